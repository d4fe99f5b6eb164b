import { mailUserObject, managementRoleEntryObject, roleAssignmentObject } from '../exchange-objects'
import type { Targets } from '../ports'
import { type Check, check } from './checks'
import { applyFix, type DiagnoseOptions, type PartnerAppWanted, read } from './context'

export async function accountCheck(
  targets: Targets,
  wanted: PartnerAppWanted,
  options: DiagnoseOptions,
): Promise<Check> {
  const account = wanted.account!
  const title = `Application account ${account}: hidden, holding ${wanted.roles.join(', ')}`
  const [raw] = await read(targets, { cmdlet: 'Get-MailUser', params: { Identity: account } })
  if (!raw)
    return check(
      `account.${account}`,
      title,
      'fail',
      ['absent'],
      applyFix(options),
      'The partner application acts as this account.',
    )
  const user = mailUserObject.parse(raw)
  const evidence = [
    `${user.Name} <${user.ExternalEmailAddress.replace(/^smtp:/i, '')}>`,
    user.HiddenFromAddressListsEnabled ? 'hidden from address lists' : 'shown in address lists',
  ]
  let ok = user.HiddenFromAddressListsEnabled
  for (const role of wanted.roles) {
    const assignments = (
      await read(targets, {
        cmdlet: 'Get-ManagementRoleAssignment',
        params: { Role: role, RoleAssignee: account },
      })
    ).map((a) => roleAssignmentObject.parse(a))
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
    ).map((e) => managementRoleEntryObject.parse(e).Name)
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
