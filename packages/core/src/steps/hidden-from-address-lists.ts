import { z } from 'zod'
import { mailUserObject } from '../exchange-objects'
import { psCall, quote } from '../script/quote'
import { exchangeAction, guidPattern, pinned, read, type StepKind, sameName } from './step'

/** What the journal keeps of the user before the change: its flag, and which object it was. */
interface Before {
  HiddenFromAddressListsEnabled: boolean
  Guid: string
  Name: string
}

const recorded = (before: unknown): Before | null => {
  const b = before as Partial<Before> | null
  return b &&
    typeof b.HiddenFromAddressListsEnabled === 'boolean' &&
    typeof b.Guid === 'string' &&
    guidPattern.test(b.Guid) &&
    typeof b.Name === 'string'
    ? (b as Before)
    : null
}

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
      params: pinned(context, { Identity: step.user }),
    })
    return found ? { hidden: mailUserObject.parse(found).HiddenFromAddressListsEnabled } : null
  },
  decide(step, observed, context) {
    const desired = 'hidden from address lists'
    if (observed?.hidden) return { actions: [], desired, actual: desired }
    return {
      desired,
      actual: observed ? 'shown in address lists' : `${step.user} not created yet`,
      actions: [
        {
          reason: 'an application account has no business in the address book',
          action: exchangeAction(
            'Set-MailUser',
            pinned(context, { Identity: step.user, HiddenFromAddressListsEnabled: true }),
          ),
        },
      ],
    }
  },
  print(step) {
    return [
      `if (-not (Get-MailUser -Identity ${quote(step.user)} @dc).HiddenFromAddressListsEnabled) {`,
      `  ${psCall('Set-MailUser', { Identity: step.user, HiddenFromAddressListsEnabled: true }, 'dc')}`,
      '}',
    ].join('\n')
  },
  async before(step, _action, context) {
    const [found] = await read(context, {
      cmdlet: 'Get-MailUser',
      params: pinned(context, { Identity: step.user }),
    })
    if (!found) return null
    const user = mailUserObject.parse(found)
    return {
      HiddenFromAddressListsEnabled: user.HiddenFromAddressListsEnabled,
      Guid: user.Guid,
      Name: user.Name,
    }
  },
  undo(step, action, before) {
    // set back on the object it was read from, by its Guid
    const old = recorded(before)
    if (action.system !== 'exchange' || !old || !sameName(old.Name, step.user)) return []
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
      params: pinned(context, { Identity: step.user }),
    })
    return found && mailUserObject.parse(found).HiddenFromAddressListsEnabled ? { result: [] } : null
  },
  target(step, _action, before) {
    const old = recorded(before)
    return old
      ? { read: 'Get-MailUser', guid: old.Guid, name: old.Name, what: `mail user ${step.user}` }
      : null
  },
  fits: (step, action) =>
    action.system === 'exchange' &&
    action.cmdlet === 'Set-MailUser' &&
    action.params.Identity === step.user &&
    action.params.HiddenFromAddressListsEnabled === true,
}
