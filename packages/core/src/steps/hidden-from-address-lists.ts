import { z } from 'zod'
import { parseCmdletOutput } from '../cmdlet-output'
import { mailUserObject } from '../exchange-objects'
import { quote } from '../script/quote'
import { accountFor, exchangeAction, pinned, read, type StepKind } from './step'

export const hiddenFromAddressListsStep = z.object({
  kind: z.literal('hiddenFromAddressLists'),
  id: z.string(),
  user: z.string(),
})
export type HiddenFromAddressListsStep = z.infer<typeof hiddenFromAddressListsStep>

type Observed = { hidden: boolean } | null

export const hiddenFromAddressLists: StepKind<HiddenFromAddressListsStep, Observed> = {
  kind: 'hiddenFromAddressLists',
  title: (step) => `${step.user} hidden from address lists`,
  async observe(step, context) {
    const [found] = await read(context, {
      cmdlet: 'Get-MailUser',
      params: pinned(context, { Identity: accountFor(context, step.user) }),
    })
    return found
      ? { hidden: parseCmdletOutput('Get-MailUser', mailUserObject, found).HiddenFromAddressListsEnabled }
      : null
  },
  decide(step, observed, context) {
    const user = accountFor(context, step.user)
    // the account the partner application acts as, named when it is not the procedure's
    const named = user === step.user ? '' : `${user} `
    const desired = `${named}hidden from address lists`
    if (observed?.hidden) return { actions: [], desired, actual: desired }
    return {
      desired,
      actual: observed ? `${named}shown in address lists` : `${user} not created yet`,
      actions: [
        {
          reason: 'an application account has no business in the address book',
          action: exchangeAction(
            'Set-MailUser',
            pinned(context, { Identity: user, HiddenFromAddressListsEnabled: true }),
          ),
        },
      ],
    }
  },
  print(step) {
    return [
      `$account = if ($null -ne $accounts -and $accounts[${quote(step.user)}]) { $accounts[${quote(step.user)}] } else { ${quote(step.user)} }`,
      'if (-not (Get-MailUser -Identity $account @dc).HiddenFromAddressListsEnabled) {',
      '  Set-MailUser -Identity $account -HiddenFromAddressListsEnabled $true @dc',
      '}',
    ].join('\n')
  },
  async before(step, action, context) {
    const identity = action.system === 'exchange' ? action.params.Identity : undefined
    const [found] = await read(context, {
      cmdlet: 'Get-MailUser',
      params: pinned(context, { Identity: typeof identity === 'string' ? identity : step.user }),
    })
    return found
      ? {
          HiddenFromAddressListsEnabled: parseCmdletOutput('Get-MailUser', mailUserObject, found)
            .HiddenFromAddressListsEnabled,
        }
      : null
  },
  undo(step, action, before) {
    // A user this run created is removed whole by its own undo; only an existing one is set back.
    if (action.system !== 'exchange' || !before) return []
    const { HiddenFromAddressListsEnabled } = before as { HiddenFromAddressListsEnabled: boolean }
    return [
      exchangeAction('Set-MailUser', {
        Identity: step.user,
        ...action.params,
        HiddenFromAddressListsEnabled,
      }),
    ]
  },
}
