import { z } from 'zod'
import type { Action } from '../actions'
import { parseCmdletOutput } from '../cmdlet-output'
import { mailUserObject } from '../exchange-objects'
import { quote } from '../script/quote'
import { identifiedObject, undoTarget } from './journaled'
import { accountFor, exchangeAction, pinned, read, type StepKind, sameName, stepObject } from './step'

/** What the journal keeps of the user before the change: its flag, and which object it was. */
type Before = {
  HiddenFromAddressListsEnabled: boolean
  Guid: string
  Name: string
}

const recorded = (before: unknown): Before | null => {
  const b = identifiedObject(before)
  return b && typeof b.HiddenFromAddressListsEnabled === 'boolean' ? (b as Before) : null
}

/** The account an action set: the procedure's, or the one its partner application already acts as. */
const accountOf = (step: { user: string }, action: Action): string =>
  action.system === 'exchange' && typeof action.params.Identity === 'string'
    ? action.params.Identity
    : step.user

export const hiddenFromAddressListsStep = stepObject('hiddenFromAddressLists', {
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
    if (!found) return null
    const user = parseCmdletOutput('Get-MailUser', mailUserObject, found)
    return {
      HiddenFromAddressListsEnabled: user.HiddenFromAddressListsEnabled,
      Guid: user.Guid,
      Name: user.Name,
    }
  },
  undo(step, action, before) {
    // set back on the object it was read from, by its Guid
    const old = recorded(before)
    if (action.system !== 'exchange' || !old || !sameName(old.Name, accountOf(step, action))) return []
    return [
      exchangeAction('Set-MailUser', {
        ...action.params,
        Identity: old.Guid,
        HiddenFromAddressListsEnabled: old.HiddenFromAddressListsEnabled,
      }),
    ]
  },
  async landed(step, action, context) {
    if (action.system !== 'exchange') return null
    const [found] = await read(context, {
      cmdlet: 'Get-MailUser',
      params: pinned(context, { Identity: accountOf(step, action) }),
    })
    return found && mailUserObject.parse(found).HiddenFromAddressListsEnabled ? { result: [] } : null
  },
  target: (_step, action, before) =>
    undoTarget('Get-MailUser', recorded(before), (name) => `mail user ${accountOf({ user: name }, action)}`),
  // the procedure's account, or the one its partner application acts as (the object read before the change)
  fits: (step, action, before) =>
    action.system === 'exchange' &&
    action.cmdlet === 'Set-MailUser' &&
    (action.params.Identity === step.user || sameName(recorded(before)?.Name, accountOf(step, action))) &&
    action.params.HiddenFromAddressListsEnabled === true,
}
