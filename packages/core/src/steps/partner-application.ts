import { z } from 'zod'
import { appNames } from '../app-ids'
import { parseCmdletOutput } from '../cmdlet-output'
import { partnerApplicationObject } from '../exchange-objects'
import type { CmdletValue } from '../ports'
import { psCall, quote } from '../script/quote'
import { accountFor, exchangeAction, pinned, pinOf, read, type StepKind, sameName } from './step'

export const partnerApplicationStep = z.object({
  kind: z.literal('partnerApplication'),
  id: z.string(),
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
  print(step) {
    const create = {
      Name: step.name,
      ApplicationIdentifier: step.applicationIdentifier,
      Enabled: true,
      ...(step.linkedAccount ? { LinkedAccount: step.linkedAccount } : {}),
    }
    return [
      `$app = Get-PartnerApplication @dc | Where-Object { $_.ApplicationIdentifier -eq ${quote(step.applicationIdentifier)} }`,
      'if (-not $app) {',
      `  ${psCall('New-PartnerApplication', create, 'dc')} | Out-Null`,
      '} elseif (-not $app.Enabled) {',
      `  Set-PartnerApplication -Identity $app.Name -Enabled $true @dc`,
      '}',
    ].join('\n')
  },
  async before(step, action, context) {
    if (action.system !== 'exchange' || action.cmdlet !== 'Set-PartnerApplication') return null
    const { app } = await partnerApplication.observe(step, context)
    return app ? { Name: app.Name, Enabled: app.Enabled, LinkedAccount: app.LinkedAccount } : null
  },
  undo(step, action, before) {
    if (action.system !== 'exchange') return []
    const pin = pinOf(action)
    if (action.cmdlet === 'New-PartnerApplication')
      return [exchangeAction('Remove-PartnerApplication', { Identity: step.name, Confirm: false, ...pin })]
    if (action.cmdlet === 'Set-PartnerApplication' && before) {
      const old = before as { Name: string; Enabled: boolean; LinkedAccount: string | null }
      const params: Record<string, CmdletValue> = { Identity: old.Name, Enabled: old.Enabled, ...pin }
      if ('LinkedAccount' in action.params) params.LinkedAccount = old.LinkedAccount
      return [exchangeAction('Set-PartnerApplication', params)]
    }
    return []
  },
}
