import { parseCmdletOutput } from '../cmdlet-output'
import {
  mailUserObject,
  managementRoleEntryObject,
  partnerApplicationObject,
  roleAssignmentObject,
} from '../exchange-objects'
import type { Targets } from '../ports'
import { quote } from '../script/quote'
import { type Check, check } from './checks'
import { applyFix, type DiagnoseOptions, type PartnerAppWanted, read } from './context'

/** The application's linked account when it has one (Exchange evaluates RBAC for it), else the wanted one. */
async function actingAccount(
  targets: Targets,
  wanted: PartnerAppWanted,
): Promise<{ identity: string; linkedTo: string | null }> {
  const apps = (await read(targets, { cmdlet: 'Get-PartnerApplication', params: {} })).map((a) =>
    parseCmdletOutput('Get-PartnerApplication', partnerApplicationObject, a),
  )
  const app = apps.find((a) => a.ApplicationIdentifier.toLowerCase() === wanted.appId.toLowerCase())
  return app?.LinkedAccount
    ? { identity: app.LinkedAccount, linkedTo: app.Name }
    : { identity: wanted.account!, linkedTo: null }
}

export async function accountCheck(
  targets: Targets,
  wanted: PartnerAppWanted,
  options: DiagnoseOptions,
): Promise<Check> {
  const { identity, linkedTo } = await actingAccount(targets, wanted)
  const [raw] = await read(targets, { cmdlet: 'Get-MailUser', params: { Identity: identity } })
  const user = raw ? parseCmdletOutput('Get-MailUser', mailUserObject, raw) : null
  const account = user?.Name ?? identity.split(/[/\\]/).pop() ?? identity
  const title = `Application account ${account}: hidden, holding ${wanted.roles.join(', ')}`
  const acting = linkedTo ? [`${linkedTo} acts as ${identity}`] : []
  if (!user)
    return check(
      `account.${account}`,
      title,
      'fail',
      [...acting, linkedTo ? 'not a mail user' : 'absent'],
      linkedTo
        ? `Set-PartnerApplication -Identity ${quote(linkedTo)} -LinkedAccount <a mail user to act as>`
        : applyFix(options),
      'The partner application acts as this account.',
    )
  const evidence = [
    ...acting,
    `${user.Name} <${user.ExternalEmailAddress.replace(/^smtp:/i, '')}>`,
    user.HiddenFromAddressListsEnabled ? 'hidden from address lists' : 'shown in address lists',
  ]
  let ok = user.HiddenFromAddressListsEnabled
  for (const role of wanted.roles) {
    const assignments = (
      await read(targets, {
        cmdlet: 'Get-ManagementRoleAssignment',
        params: { Role: role, RoleAssignee: user.Name },
      })
    ).map((a) => parseCmdletOutput('Get-ManagementRoleAssignment', roleAssignmentObject, a))
    const held = assignments.some((a) => a.Enabled)
    ok &&= held
    evidence.push(`${role}: ${held ? 'assigned' : 'not assigned'}`)
  }
  if (wanted.roles.includes('TeamsSchedulerRole')) {
    const entries = (
      await read(targets, {
        cmdlet: 'Get-ManagementRoleEntry',
        params: { Identity: 'TeamsSchedulerRole\\*' },
      })
    ).map((e) => parseCmdletOutput('Get-ManagementRoleEntry', managementRoleEntryObject, e).Name)
    const onlyGetDelegate = entries.length === 1 && entries[0]?.toLowerCase() === 'getdelegate'
    ok &&= onlyGetDelegate
    evidence.push(
      `TeamsSchedulerRole entries: ${entries.length ? (entries.length > 4 ? `${entries.length} entries` : entries.join(', ')) : 'none'}`,
    )
  }
  return check(
    `account.${account}`,
    title,
    ok ? 'pass' : 'fail',
    evidence,
    applyFix(options),
    'The scheduling service acts as this account, with exactly these rights.',
  )
}
