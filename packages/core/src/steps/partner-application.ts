import { z } from 'zod'
import { appNames } from '../app-ids'
import { partnerApplicationObject } from '../exchange-objects'
import type { CmdletValue } from '../ports'
import { psCall, quote } from '../script/quote'
import { exchangeAction, pinned, pinOf, read, type StepKind, sameName } from './step'

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
type Observed = PartnerApplication | null

const linkedRight = (step: PartnerApplicationStep, app: PartnerApplication) =>
  step.linkedAccount === null ? true : sameName(app.LinkedAccount, step.linkedAccount)

export const partnerApplication: StepKind<PartnerApplicationStep, Observed> = {
  kind: 'partnerApplication',
  title: (step) => `partner application ${step.name} (${step.applicationIdentifier})`,
  async observe(step, context) {
    const apps = (await read(context, { cmdlet: 'Get-PartnerApplication', params: pinned(context, {}) })).map(
      (a) => partnerApplicationObject.parse(a),
    )
    // The application identifier is what Exchange matches tokens on; the name is only a label.
    return (
      apps.find((a) => a.ApplicationIdentifier.toLowerCase() === step.applicationIdentifier.toLowerCase()) ??
      null
    )
  },
  decide(step, app, context) {
    const linked = step.linkedAccount ? `, linked to ${step.linkedAccount}` : ''
    const desired = `enabled${linked}`
    if (!app) {
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
    if (app.Enabled && linkedRight(step, app)) return { actions: [], desired, actual }
    const params: Record<string, CmdletValue> = { Identity: app.Name, Enabled: true }
    if (!linkedRight(step, app) && step.linkedAccount) params.LinkedAccount = step.linkedAccount
    return {
      desired,
      actual,
      actions: [
        {
          reason: app.Enabled ? `${app.Name} is linked to the wrong account` : `${app.Name} is disabled`,
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
    const app = await partnerApplication.observe(step, context)
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
