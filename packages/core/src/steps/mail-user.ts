import { z } from 'zod'
import { parseCmdletOutput } from '../cmdlet-output'
import { mailUserObject, partnerApplicationObject } from '../exchange-objects'
import { psCall, quote } from '../script/quote'
import {
  exchangeAction,
  identityName,
  pinned,
  pinOf,
  read,
  type StepContext,
  type StepKind,
  sameName,
} from './step'

export const mailUserStep = z.object({
  kind: z.literal('mailUser'),
  id: z.string(),
  name: z.string(),
  externalEmailAddress: z.string(),
  /** Create with New-MailUser -ApplicationAccount where the build has it (the June 2025 procedure). */
  applicationAccount: z.boolean(),
  /** The partner application (its identifier) this account acts for: an account it already acts as is the account. */
  forApplication: z.string().optional(),
})
export type MailUserStep = z.infer<typeof mailUserStep>

type MailUser = z.infer<typeof mailUserObject>

/** The partner application that already acts as an account, and that account (null when it is no mail user). */
interface Linked {
  app: string
  linkedAccount: string
  user: MailUser | null
}

interface Observed {
  user: MailUser | null
  linked?: Linked | null
  applicationAccountSwitch: boolean
  /** Another recipient already holding the name or the address the new user would get. */
  conflict: string | null
}

export const mailUser: StepKind<MailUserStep, Observed> = {
  kind: 'mailUser',
  title: (step) => `mail user ${step.name}`,
  async observe(step, context) {
    const linked = step.forApplication ? await linkedAccount(context, step.forApplication) : null
    if (linked && !sameName(linked.linkedAccount, step.name))
      return { user: null, linked, applicationAccountSwitch: false, conflict: null }
    const [found] = await read(context, {
      cmdlet: 'Get-MailUser',
      params: pinned(context, { Identity: step.name }),
    })
    const applicationAccountSwitch = step.applicationAccount
      ? await context.targets.exchange.hasParameter('New-MailUser', 'ApplicationAccount')
      : false
    let conflict: string | null = null
    if (!found) {
      // New-MailUser would fail half-way through a run on a name or address another recipient holds
      for (const call of [
        { cmdlet: 'Get-MailUser', params: pinned(context, { Identity: step.externalEmailAddress }) },
        { cmdlet: 'Get-Mailbox', params: pinned(context, { Identity: step.name }) },
        { cmdlet: 'Get-Mailbox', params: pinned(context, { Identity: step.externalEmailAddress }) },
      ]) {
        const [holder] = await read(context, call)
        if (holder) {
          conflict = String(holder.Identity ?? holder.Name)
          break
        }
      }
    }
    return {
      user: found ? parseCmdletOutput('Get-MailUser', mailUserObject, found) : null,
      applicationAccountSwitch,
      conflict,
    }
  },
  decide(step, { user, linked, applicationAccountSwitch, conflict }, context) {
    if (linked) return decideLinked(step, linked)
    const desired = `mail user ${step.name} <${step.externalEmailAddress}>`
    if (user)
      return {
        actions: [],
        desired,
        actual: `${user.Name} <${user.ExternalEmailAddress.replace(/^smtp:/i, '')}>`,
      }
    if (conflict)
      return {
        actions: [],
        desired,
        actual: `absent; ${conflict} already holds the name or the address`,
        blocked: `${conflict} already holds the name ${step.name} or the address ${step.externalEmailAddress}; choose another account name (--teams-account / --sfbonline-account) or free them, then run again`,
      }
    const notes =
      step.applicationAccount && !applicationAccountSwitch
        ? [
            'this Exchange build has no New-MailUser -ApplicationAccount; the account is created as a plain mail user',
          ]
        : []
    return {
      desired,
      actual: 'absent',
      notes,
      actions: [
        {
          reason: `no mail user named ${step.name}: the partner application needs an account to act as`,
          action: exchangeAction(
            'New-MailUser',
            pinned(context, {
              Name: step.name,
              ExternalEmailAddress: step.externalEmailAddress,
              ...(applicationAccountSwitch ? { ApplicationAccount: true } : {}),
            }),
          ),
        },
      ],
    }
  },
  print(step) {
    const create = step.applicationAccount
      ? `  $appAccount = @{}\n  if ((Get-Command New-MailUser).Parameters.ContainsKey('ApplicationAccount')) { $appAccount = @{ ApplicationAccount = $true } }\n  ${psCall('New-MailUser', { Name: step.name, ExternalEmailAddress: step.externalEmailAddress }, 'dc')} @appAccount | Out-Null`
      : `  ${psCall('New-MailUser', { Name: step.name, ExternalEmailAddress: step.externalEmailAddress }, 'dc')} | Out-Null`
    const lines = [
      'if ($null -eq $accounts) { $accounts = @{} }',
      `$account = ${quote(step.name)}`,
      ...(step.forApplication
        ? [
            '# the account the partner application already acts as is the account: no second one is created',
            `$linked = @(Get-PartnerApplication @dc | Where-Object { $_.ApplicationIdentifier -eq ${quote(step.forApplication)} -and $_.LinkedAccount })`,
            'if ($linked.Count -gt 0) {',
            '  $linkedUser = Get-MailUser -Identity ([string]$linked[0].LinkedAccount) @dc -ErrorAction SilentlyContinue',
            "  if (-not $linkedUser) { throw ('The partner application ' + $linked[0].Name + ' acts as ' + $linked[0].LinkedAccount + ', which is not a mail user: link it to a mail user (Set-PartnerApplication -LinkedAccount), then run again.') }",
            '  $account = $linkedUser.Name',
            '}',
          ]
        : []),
      `$accounts[${quote(step.name)}] = $account`,
      `if ($account -eq ${quote(step.name)} -and -not (Get-MailUser -Identity ${quote(step.name)} @dc -ErrorAction SilentlyContinue)) {`,
      create,
      '}',
    ]
    return lines.join('\n')
  },
  undo(step, action) {
    if (action.system !== 'exchange' || action.cmdlet !== 'New-MailUser') return []
    return [
      exchangeAction('Remove-MailUser', {
        Identity: identityName(step.name),
        Confirm: false,
        ...pinOf(action),
      }),
    ]
  },
}

/** The account the step's partner application already acts as, if it acts as one. */
async function linkedAccount(context: StepContext, applicationIdentifier: string): Promise<Linked | null> {
  const apps = (await read(context, { cmdlet: 'Get-PartnerApplication', params: pinned(context, {}) })).map(
    (a) => parseCmdletOutput('Get-PartnerApplication', partnerApplicationObject, a),
  )
  const app = apps.find((a) => a.ApplicationIdentifier.toLowerCase() === applicationIdentifier.toLowerCase())
  if (!app?.LinkedAccount) return null
  const [found] = await read(context, {
    cmdlet: 'Get-MailUser',
    params: pinned(context, { Identity: app.LinkedAccount }),
  })
  return {
    app: app.Name,
    linkedAccount: app.LinkedAccount,
    user: found ? parseCmdletOutput('Get-MailUser', mailUserObject, found) : null,
  }
}

// Exchange evaluates RBAC for the linked account: that one gets the role and is hidden, and no second account is made.
function decideLinked(step: MailUserStep, { app, linkedAccount, user }: Linked) {
  const desired = `the account ${app} acts as`
  if (!user)
    return {
      actions: [],
      desired,
      actual: `${app} acts as ${linkedAccount}, which is not a mail user`,
      blocked: `the partner application ${app} acts as ${linkedAccount}, which is not a mail user here, so it can be neither hidden nor checked; link ${app} to a mail user (Set-PartnerApplication -Identity ${quote(app)} -LinkedAccount <mail user>), then run again`,
    }
  return {
    actions: [],
    desired,
    actual: `${user.Name} <${user.ExternalEmailAddress.replace(/^smtp:/i, '')}>, linked to ${app}`,
    notes: [
      `${app} already acts as ${user.Name}: ${user.Name} gets the role and is hidden; no ${step.name} is created`,
    ],
    provides: { accounts: { [step.name.toLowerCase()]: user.Name } },
  }
}
