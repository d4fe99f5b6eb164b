import { z } from 'zod'
import { parseCmdletOutput } from '../cmdlet-output'
import { mailUserObject, partnerApplicationObject } from '../exchange-objects'
import { psFind } from '../script/helpers'
import { psCall, quote } from '../script/quote'
import { createdObject, pinOf, undoTarget } from './journaled'
import { exchangeAction, pinned, read, type StepContext, type StepKind, sameName, stepObject } from './step'

const addressOf = (external: string) => external.replace(/^smtp:/i, '')

/** What to do about a mail user of the step's name that holds another address (someone else's account). */
const notTakenOver = (step: { name: string; externalEmailAddress: string }) =>
  `it is not the account this procedure makes, and teams-oauth does not take it over. Choose another account name (--teams-account / --sfbonline-account), or, if it is the account you meant, set its address (Set-MailUser -Identity ${quote(step.name)} -ExternalEmailAddress ${quote(step.externalEmailAddress)}), then run again`

export const mailUserStep = stepObject('mailUser', {
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

export const noApplicationAccountSwitch =
  "this Exchange build's New-MailUser has no -ApplicationAccount switch, which Microsoft's procedure uses and offers no fallback for: update Exchange to a build that has it, or run again with --allow-plain-mail-user to create a plain mail user (untested by Microsoft)"

export const plainMailUserNote =
  'this Exchange build has no New-MailUser -ApplicationAccount; the account is created as a plain mail user, as --allow-plain-mail-user asks (Microsoft documents no such fallback)'

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
    if (
      user &&
      addressOf(user.ExternalEmailAddress).toLowerCase() !== step.externalEmailAddress.toLowerCase()
    )
      // a mail user of that name with another address is someone else's: not taken over, not hidden, not given a role
      return {
        actions: [],
        desired,
        actual: `${user.Name} <${addressOf(user.ExternalEmailAddress)}>`,
        blocked: `a mail user ${user.Name} already exists with the address ${addressOf(user.ExternalEmailAddress)}, not ${step.externalEmailAddress}: ${notTakenOver(step)}`,
      }
    if (user)
      return {
        actions: [],
        desired,
        actual: `${user.Name} <${addressOf(user.ExternalEmailAddress)}>`,
      }
    if (conflict)
      return {
        actions: [],
        desired,
        actual: `absent; ${conflict} already holds the name or the address`,
        blocked: `${conflict} already holds the name ${step.name} or the address ${step.externalEmailAddress}; choose another account name (--teams-account / --sfbonline-account) or free them, then run again`,
      }
    const plain = step.applicationAccount && !applicationAccountSwitch
    // Microsoft's procedure offers no fallback; whether a plain mail user works is undocumented
    if (plain && !context.input.allowPlainMailUser)
      return { actions: [], desired, actual: 'absent', blocked: noApplicationAccountSwitch }
    const notes = plain ? [plainMailUserNote] : []
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
  printCheck(step, { input }) {
    const name = quote(step.name)
    const lines = [
      'if ($null -eq $accounts) { $accounts = @{} }',
      `$account = ${name}`,
      ...(step.forApplication
        ? [
            '# the account the partner application already acts as is the account: no second one is created',
            `$linked = @(Get-PartnerApplication @dc | Where-Object { $_.ApplicationIdentifier -eq ${quote(step.forApplication)} -and $_.LinkedAccount })`,
            'if ($linked.Count -gt 0) {',
            '  $linkedUser = @(Find-TeamsOAuthObject Get-MailUser @{ Identity = [string]$linked[0].LinkedAccount })',
            "  if ($linkedUser.Count -eq 0) { $blocked.Add('the partner application ' + $linked[0].Name + ' acts as ' + $linked[0].LinkedAccount + ', which is not a mail user here, so it can be neither hidden nor checked; link it to a mail user (Set-PartnerApplication -LinkedAccount), then run again'); $account = $null }",
            '  else { $account = [string]$linkedUser[0].Name }',
            '}',
          ]
        : []),
      `$accounts[${name}] = $account`,
      `if ($account -eq ${name}) {`,
      `  if (${psFind('Get-MailUser', { Identity: step.name })}.Count -eq 0) {`,
      `    $holder = @(${psFind('Get-MailUser', { Identity: step.externalEmailAddress })} + ${psFind('Get-Mailbox', { Identity: step.name })} + ${psFind('Get-Mailbox', { Identity: step.externalEmailAddress })})`,
      `    if ($holder.Count -gt 0) { $blocked.Add(([string]$holder[0].Identity) + ${quote(` already holds the name ${step.name} or the address ${step.externalEmailAddress}; choose another account name (--teams-account / --sfbonline-account) or free them, then run again`)}) }`,
    ]
    if (step.applicationAccount && !input.allowPlainMailUser)
      lines.push(
        `    elseif (-not (Get-Command New-MailUser).Parameters.ContainsKey('ApplicationAccount')) { $blocked.Add(${quote(noApplicationAccountSwitch)}) }`,
      )
    lines.push(
      '  } else {',
      `    $user = ${psFind('Get-MailUser', { Identity: step.name })}[0]`,
      "    $address = [string]$user.ExternalEmailAddress -replace '^smtp:', ''",
      `    if ($address -ne ${quote(step.externalEmailAddress)}) { $blocked.Add('a mail user ' + [string]$user.Name + ' already exists with the address ' + $address + ${quote(`, not ${step.externalEmailAddress}: ${notTakenOver(step)}`)}) }`,
      '  }',
      '}',
    )
    return lines.join('\n')
  },
  print(step) {
    // only the procedure's own account is created; one a partner application already acts as is used as it is
    const absent = `$accounts[${quote(step.name)}] -eq ${quote(step.name)} -and ${psFind('Get-MailUser', { Identity: step.name })}.Count -eq 0`
    const create = psCall(
      'New-MailUser',
      { Name: step.name, ExternalEmailAddress: step.externalEmailAddress },
      'dc',
    )
    if (!step.applicationAccount) return [`if (${absent}) {`, `  ${create} | Out-Null`, '}'].join('\n')
    // Without the switch the checks above stopped the script, unless --allow-plain-mail-user was given.
    return [
      `if (${absent}) {`,
      '  $appAccount = @{}',
      "  if ((Get-Command New-MailUser).Parameters.ContainsKey('ApplicationAccount')) { $appAccount = @{ ApplicationAccount = $true } }",
      `  else { Write-Warning ${quote(plainMailUserNote)} }`,
      `  ${create} @appAccount | Out-Null`,
      '}',
    ].join('\n')
  },
  undo(step, action, _before, result) {
    if (action.system !== 'exchange' || action.cmdlet !== 'New-MailUser') return []
    const created = createdObject(result)
    // removed by the Guid it was created with, never by its name, and only when the result is the step's user
    if (!created || !sameName(created.Name, step.name)) return []
    return [exchangeAction('Remove-MailUser', { Identity: created.Guid, Confirm: false, ...pinOf(action) })]
  },
  async landed(step, action, context) {
    if (action.system !== 'exchange' || action.cmdlet !== 'New-MailUser') return null
    const [found] = await read(context, {
      cmdlet: 'Get-MailUser',
      params: pinned(context, { Identity: step.name }),
    })
    if (!found) return null
    const user = mailUserObject.parse(found)
    return addressOf(user.ExternalEmailAddress).toLowerCase() === step.externalEmailAddress.toLowerCase()
      ? { result: [found] }
      : null
  },
  target: (step, action, _before, result) =>
    undoTarget(
      'Get-MailUser',
      action.system === 'exchange' && action.cmdlet === 'New-MailUser' ? createdObject(result) : null,
      () => `mail user ${step.name}`,
    ),
  fits: (step, action) =>
    action.system === 'exchange' &&
    action.cmdlet === 'New-MailUser' &&
    action.params.Name === step.name &&
    action.params.ExternalEmailAddress === step.externalEmailAddress,
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
