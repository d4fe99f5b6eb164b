import { z } from 'zod'
import { parseCmdletOutput } from '../cmdlet-output'
import { mailUserObject } from '../exchange-objects'
import { psCall, quote } from '../script/quote'
import { exchangeAction, identityName, pinned, pinOf, read, type StepKind } from './step'

export const mailUserStep = z.object({
  kind: z.literal('mailUser'),
  id: z.string(),
  name: z.string(),
  externalEmailAddress: z.string(),
  /** Create with New-MailUser -ApplicationAccount where the build has it (the June 2025 procedure). */
  applicationAccount: z.boolean(),
})
export type MailUserStep = z.infer<typeof mailUserStep>

interface Observed {
  user: z.infer<typeof mailUserObject> | null
  applicationAccountSwitch: boolean
  /** Another recipient already holding the name or the address the new user would get. */
  conflict: string | null
}

export const mailUser: StepKind<MailUserStep, Observed> = {
  kind: 'mailUser',
  title: (step) => `mail user ${step.name}`,
  async observe(step, context) {
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
  decide(step, { user, applicationAccountSwitch, conflict }, context) {
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
    const lines = [
      `if (-not (Get-MailUser -Identity ${quote(step.name)} @dc -ErrorAction SilentlyContinue)) {`,
      step.applicationAccount
        ? `  $appAccount = @{}\n  if ((Get-Command New-MailUser).Parameters.ContainsKey('ApplicationAccount')) { $appAccount = @{ ApplicationAccount = $true } }\n  ${psCall('New-MailUser', { Name: step.name, ExternalEmailAddress: step.externalEmailAddress }, 'dc')} @appAccount | Out-Null`
        : `  ${psCall('New-MailUser', { Name: step.name, ExternalEmailAddress: step.externalEmailAddress }, 'dc')} | Out-Null`,
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
