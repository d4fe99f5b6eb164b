import { z } from 'zod'
import { appNames } from '../app-ids'
import { parseCmdletOutput } from '../cmdlet-output'
import { partnerApplicationObject } from '../exchange-objects'
import type { CmdletValue } from '../ports'
import { psCall, quote } from '../script/quote'
import { createdObject, identifiedObject, pinOf, undoTarget } from './journaled'
import { accountFor, exchangeAction, pinned, read, type StepKind, sameName, stepObject } from './step'

export const partnerApplicationStep = stepObject('partnerApplication', {
  name: z.string(),
  applicationIdentifier: z.string(),
  /** The account the application acts as; CloudVoicemail has none. */
  linkedAccount: z.string().nullable(),
})
export type PartnerApplicationStep = z.infer<typeof partnerApplicationStep>

type PartnerApplication = z.infer<typeof partnerApplicationObject>
interface Observed {
  app: PartnerApplication | null
  /** another application already holding the name this step would create */
  nameTaken: PartnerApplication | null
}

const linkedRight = (account: string | null, app: PartnerApplication) =>
  account === null ? true : sameName(app.LinkedAccount, account)

export const partnerApplication: StepKind<PartnerApplicationStep, Observed> = {
  kind: 'partnerApplication',
  title: (step) => `partner application ${step.name} (${step.applicationIdentifier})`,
  async observe(step, context) {
    const apps = (await read(context, { cmdlet: 'Get-PartnerApplication', params: pinned(context, {}) })).map(
      (a) => parseCmdletOutput('Get-PartnerApplication', partnerApplicationObject, a),
    )
    // The application identifier is what Exchange matches tokens on; the name is only a label.
    const app = apps.find(
      (a) => a.ApplicationIdentifier.toLowerCase() === step.applicationIdentifier.toLowerCase(),
    )
    const nameTaken = apps.find((a) => a !== app && a.Name.toLowerCase() === step.name.toLowerCase())
    return { app: app ?? null, nameTaken: nameTaken ?? null }
  },
  decide(step, { app, nameTaken }, context) {
    // the account this run gives the role to: the one the application already acts as, if it does
    const account = step.linkedAccount === null ? null : accountFor(context, step.linkedAccount)
    const linked = account ? `, linked to ${account}` : ''
    const desired = `enabled${linked}`
    if (!app) {
      if (nameTaken)
        return {
          desired,
          actual: `absent; the name ${nameTaken.Name} is taken by the partner application of ${nameTaken.ApplicationIdentifier}`,
          actions: [],
          blocked: `a partner application named ${nameTaken.Name} already exists for ${nameTaken.ApplicationIdentifier}; rename it (Set-PartnerApplication -Identity ${quote(nameTaken.Name)} -Name <another name>) or remove it if it is unused, then run again`,
        }
      return {
        desired,
        actual: 'absent',
        actions: [
          {
            reason: `Exchange accepts tokens of ${appNames[step.applicationIdentifier] ?? step.applicationIdentifier} only from a partner application`,
            action: exchangeAction(
              'New-PartnerApplication',
              pinned(context, {
                Name: step.name,
                ApplicationIdentifier: step.applicationIdentifier,
                Enabled: true,
                ...(step.linkedAccount ? { LinkedAccount: step.linkedAccount } : {}),
              }),
            ),
          },
        ],
      }
    }
    const actual = `${app.Name}: ${app.Enabled ? 'enabled' : 'disabled'}${app.LinkedAccount ? `, linked to ${app.LinkedAccount}` : ''}`
    // An application already acting as another account is left linked as it is: re-linking a working
    // integration is not this tool's call. Only a missing link is added.
    const linkMissing = account !== null && !app.LinkedAccount
    const linkedElsewhere = account !== null && Boolean(app.LinkedAccount) && !linkedRight(account, app)
    const notes = linkedElsewhere
      ? [
          `${app.Name} acts as ${app.LinkedAccount}, not ${account}; left as it is (re-link it by hand if that account is wrong)`,
        ]
      : []
    if (app.Enabled && !linkMissing) return { actions: [], desired, actual, notes }
    const params: Record<string, CmdletValue> = { Identity: app.Name, Enabled: true }
    if (linkMissing && account) params.LinkedAccount = account
    return {
      desired,
      actual,
      notes,
      actions: [
        {
          reason: !app.Enabled ? `${app.Name} is disabled` : `${app.Name} acts as no account`,
          action: exchangeAction('Set-PartnerApplication', pinned(context, params)),
        },
      ],
    }
  },
  printCheck(step) {
    return [
      '$apps = @(Get-PartnerApplication @dc)',
      `if (-not ($apps | Where-Object { [string]$_.ApplicationIdentifier -eq ${quote(step.applicationIdentifier)} })) {`,
      `  $taken = @($apps | Where-Object { [string]$_.Name -eq ${quote(step.name)} })`,
      "  if ($taken.Count -gt 0) { $blocked.Add('a partner application named ' + $taken[0].Name + ' already exists for ' + $taken[0].ApplicationIdentifier + '; rename it (Set-PartnerApplication -Identity ''' + $taken[0].Name + ''' -Name <another name>) or remove it if it is unused, then run again') }",
      '}',
    ].join('\n')
  },
  print(step) {
    const create = {
      Name: step.name,
      ApplicationIdentifier: step.applicationIdentifier,
      Enabled: true,
      ...(step.linkedAccount ? { LinkedAccount: step.linkedAccount } : {}),
    }
    const lines = [
      `$app = @(Get-PartnerApplication @dc | Where-Object { [string]$_.ApplicationIdentifier -eq ${quote(step.applicationIdentifier)} })[0]`,
      'if (-not $app) {',
      `  ${psCall('New-PartnerApplication', create, 'dc')} | Out-Null`,
      '} else {',
      '  $change = @{ Enabled = $true }',
      '  $needed = -not $app.Enabled',
    ]
    if (step.linkedAccount)
      lines.push(
        '  # a missing link is added; an application already acting as another account is left as it is',
        `  if (-not $app.LinkedAccount) { $change['LinkedAccount'] = ${quote(step.linkedAccount)}; $needed = $true }`,
        `  elseif ((([string]$app.LinkedAccount) -split '[/\\\\]')[-1].Trim() -ne ${quote(step.linkedAccount)}) { Write-Warning ($app.Name + ' acts as ' + $app.LinkedAccount + ', not ' + ${quote(step.linkedAccount)} + '; left as it is (re-link it by hand if that account is wrong)') }`,
      )
    lines.push('  if ($needed) { Set-PartnerApplication -Identity ([string]$app.Name) @change @dc }', '}')
    return lines.join('\n')
  },
  async before(step, action, context) {
    if (action.system !== 'exchange' || action.cmdlet !== 'Set-PartnerApplication') return null
    const { app } = await partnerApplication.observe(step, context)
    const guid = (app as { Guid?: unknown } | null)?.Guid
    return app && typeof guid === 'string'
      ? {
          Name: app.Name,
          Enabled: app.Enabled,
          LinkedAccount: app.LinkedAccount,
          ApplicationIdentifier: app.ApplicationIdentifier,
          Guid: guid,
        }
      : null
  },
  undo(step, action, before, result) {
    if (action.system !== 'exchange') return []
    const pin = pinOf(action)
    if (action.cmdlet === 'New-PartnerApplication') {
      const created = ours(step, result)
      return created
        ? [exchangeAction('Remove-PartnerApplication', { Identity: created.Guid, Confirm: false, ...pin })]
        : []
    }
    const old = recorded(step, before)
    if (action.cmdlet === 'Set-PartnerApplication' && old) {
      const params: Record<string, CmdletValue> = { Identity: old.Guid, Enabled: old.Enabled, ...pin }
      if ('LinkedAccount' in action.params) params.LinkedAccount = old.LinkedAccount
      return [exchangeAction('Set-PartnerApplication', params)]
    }
    return []
  },
  async landed(step, action, context) {
    if (action.system !== 'exchange') return null
    const { app } = await partnerApplication.observe(step, context)
    if (!app) return null
    if (action.cmdlet === 'New-PartnerApplication') return app.Name === step.name ? { result: [app] } : null
    const linkWanted = 'LinkedAccount' in action.params
    return app.Enabled && (!linkWanted || sameName(app.LinkedAccount, step.linkedAccount))
      ? { result: [] }
      : null
  },
  target: (step, action, before, result) =>
    undoTarget(
      'Get-PartnerApplication',
      action.system === 'exchange' && action.cmdlet === 'New-PartnerApplication'
        ? ours(step, result)
        : recorded(step, before),
      (name) => `partner application ${name}`,
    ),
  fits(step, action, before) {
    if (action.system !== 'exchange') return false
    if (action.cmdlet === 'New-PartnerApplication')
      return (
        action.params.Name === step.name &&
        action.params.ApplicationIdentifier === step.applicationIdentifier &&
        (action.params.LinkedAccount ?? null) === step.linkedAccount
      )
    return (
      action.cmdlet === 'Set-PartnerApplication' && recorded(step, before)?.Name === action.params.Identity
    )
  },
}

/** The application a New-PartnerApplication returned, when it is this step's (its name, its identifier). */
function ours(step: PartnerApplicationStep, result: unknown) {
  const created = createdObject(result)
  const right =
    created &&
    created.Name === step.name &&
    String(created.ApplicationIdentifier).toLowerCase() === step.applicationIdentifier.toLowerCase()
  return right ? created : null
}

/** The application a Set-PartnerApplication changed, as read before it, when it is this step's. */
function recorded(step: PartnerApplicationStep, before: unknown) {
  const old = identifiedObject(before)
  if (
    !old ||
    typeof old.Enabled !== 'boolean' ||
    String(old.ApplicationIdentifier).toLowerCase() !== step.applicationIdentifier.toLowerCase()
  )
    return null
  return {
    Name: old.Name,
    Enabled: old.Enabled,
    LinkedAccount: typeof old.LinkedAccount === 'string' ? old.LinkedAccount : null,
    Guid: old.Guid,
  }
}
