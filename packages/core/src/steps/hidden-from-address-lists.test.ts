import { createFakeTenant } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import type { Action, ExchangeAction } from '../actions'
import type { ValidInput } from '../input'
import type { Targets } from '../ports'
import { hiddenFromAddressLists } from './hidden-from-address-lists'
import type { StepContext } from './step'

const step = { kind: 'hiddenFromAddressLists' as const, id: 'hidden.TeamsScheduler', user: 'TeamsScheduler' }

const context = (
  targets: Targets,
  fields: { domainController?: string; accounts?: Record<string, string> } = {},
): StepContext => ({
  input: { domainController: fields.domainController } as ValidInput,
  targets,
  now: new Date(),
  certificates: [],
  accounts: fields.accounts ?? {},
})

/** The fake organisation with TeamsScheduler (and Legacy) as mail users, shown in the address book. */
async function organisation() {
  const tenant = createFakeTenant()
  for (const name of ['TeamsScheduler', 'Legacy'])
    await tenant.exchange.invoke({
      cmdlet: 'New-MailUser',
      params: { Name: name, ExternalEmailAddress: `${name}@contoso.com`, ApplicationAccount: true },
    })
  const [user] = await tenant.exchange.invoke({
    cmdlet: 'Get-MailUser',
    params: { Identity: 'TeamsScheduler' },
  })
  return { tenant, guid: String(user!.Guid) }
}

const hide = (identity: string, extra: Record<string, string> = {}): ExchangeAction => ({
  system: 'exchange',
  cmdlet: 'Set-MailUser',
  params: { Identity: identity, HiddenFromAddressListsEnabled: true, ...extra },
})

describe('the hidden-from-address-lists step', () => {
  it('is titled by its user', () => {
    expect(hiddenFromAddressLists.title(step)).toBe('TeamsScheduler hidden from address lists')
  })

  it('observes the flag, or nothing when the user is not there yet', async () => {
    const empty = createFakeTenant()
    expect(await hiddenFromAddressLists.observe(step, context(empty))).toBeNull()
    const { tenant } = await organisation()
    expect(await hiddenFromAddressLists.observe(step, context(tenant))).toEqual({ hidden: false })
    await tenant.exchange.invoke(hide('TeamsScheduler'))
    expect(await hiddenFromAddressLists.observe(step, context(tenant))).toEqual({ hidden: true })
  })

  it('observes the account the partner application acts as, when it is another', async () => {
    const { tenant } = await organisation()
    await tenant.exchange.invoke(hide('Legacy'))
    const linked = context(tenant, { accounts: { teamsscheduler: 'Legacy' } })
    expect(await hiddenFromAddressLists.observe(step, linked)).toEqual({ hidden: true })
  })

  it('hides a shown user, pinned to the domain controller of the run', () => {
    const targets = {} as Targets
    expect(hiddenFromAddressLists.decide(step, { hidden: false }, context(targets))).toEqual({
      desired: 'hidden from address lists',
      actual: 'shown in address lists',
      actions: [
        {
          reason: 'an application account has no business in the address book',
          action: hide('TeamsScheduler'),
        },
      ],
    })
    const pinned = hiddenFromAddressLists.decide(
      step,
      null,
      context(targets, { domainController: 'dc1.contoso.com' }),
    )
    expect(pinned.actual).toBe('TeamsScheduler not created yet')
    expect(pinned.actions.map((a) => a.action)).toEqual([
      hide('TeamsScheduler', { DomainController: 'dc1.contoso.com' }),
    ])
  })

  it('changes nothing for a hidden user', () => {
    expect(hiddenFromAddressLists.decide(step, { hidden: true }, context({} as Targets))).toEqual({
      actions: [],
      desired: 'hidden from address lists',
      actual: 'hidden from address lists',
    })
  })

  it('hides the account the partner application acts as, naming it', () => {
    const linked = context({} as Targets, { accounts: { teamsscheduler: 'Legacy' } })
    const decision = hiddenFromAddressLists.decide(step, { hidden: false }, linked)
    expect(decision.desired).toBe('Legacy hidden from address lists')
    expect(decision.actual).toBe('Legacy shown in address lists')
    expect(decision.actions.map((a) => a.action)).toEqual([hide('Legacy')])
    expect(hiddenFromAddressLists.decide(step, null, linked).actual).toBe('Legacy not created yet')
  })

  it('keeps what it replaces, of the object the action names, and sets it back by its Guid', async () => {
    const { tenant, guid } = await organisation()
    const ctx = context(tenant)
    const before = await hiddenFromAddressLists.before!(step, hide('TeamsScheduler'), ctx)
    expect(before).toEqual({ HiddenFromAddressListsEnabled: false, Guid: guid, Name: 'TeamsScheduler' })
    expect(await hiddenFromAddressLists.before!(step, hide('Nobody'), ctx)).toBeNull()
    const legacy = (await hiddenFromAddressLists.before!(step, hide('Legacy'), ctx)) as { Name: string }
    expect(legacy.Name).toBe('Legacy')

    const action = hide('TeamsScheduler', { DomainController: 'dc1.contoso.com' })
    expect(hiddenFromAddressLists.undo(step, action, before, [], [])).toEqual([
      {
        system: 'exchange',
        cmdlet: 'Set-MailUser',
        params: { Identity: guid, HiddenFromAddressListsEnabled: false, DomainController: 'dc1.contoso.com' },
      },
    ])
    expect(hiddenFromAddressLists.target!(step, action, before, [])).toEqual({
      read: 'Get-MailUser',
      guid,
      name: 'TeamsScheduler',
      what: 'mail user TeamsScheduler',
    })
  })

  it('undoes nothing it cannot tie to the object it changed', async () => {
    const { tenant } = await organisation()
    const before = await hiddenFromAddressLists.before!(step, hide('TeamsScheduler'), context(tenant))
    const undo = (action: Action, b: unknown) => hiddenFromAddressLists.undo(step, action, b, [], [])
    expect(undo(hide('TeamsScheduler'), null)).toEqual([])
    expect(
      undo(hide('TeamsScheduler'), { ...(before as object), HiddenFromAddressListsEnabled: 'no' }),
    ).toEqual([])
    expect(undo(hide('TeamsScheduler'), { ...(before as object), Guid: 'not-a-guid' })).toEqual([])
    expect(undo(hide('Legacy'), before)).toEqual([])
    expect(undo({ system: 'entra', op: 'addKey' } as unknown as Action, before)).toEqual([])
    expect(hiddenFromAddressLists.target!(step, hide('TeamsScheduler'), null, [])).toBeNull()
  })

  it('reads back whether the hide landed', async () => {
    const { tenant } = await organisation()
    const ctx = context(tenant)
    expect(await hiddenFromAddressLists.landed!(step, hide('TeamsScheduler'), ctx)).toBeNull()
    await tenant.exchange.invoke(hide('TeamsScheduler'))
    expect(await hiddenFromAddressLists.landed!(step, hide('TeamsScheduler'), ctx)).toEqual({ result: [] })
    expect(await hiddenFromAddressLists.landed!(step, hide('Nobody'), ctx)).toBeNull()
    expect(
      await hiddenFromAddressLists.landed!(step, { system: 'entra', op: 'addKey' } as unknown as Action, ctx),
    ).toBeNull()
  })

  it('owns only the hide of its user, or of the object it read before', () => {
    const fits = (action: Action, before: unknown = null) =>
      hiddenFromAddressLists.fits!(step, action, before)
    expect(fits(hide('TeamsScheduler'))).toBe(true)
    expect(fits(hide('teamsscheduler'))).toBe(false)
    expect(fits(hide('Legacy'))).toBe(false)
    const legacyBefore = {
      HiddenFromAddressListsEnabled: false,
      Guid: '3c67a56e-22c3-5b33-bd5c-f8e59adbc964',
      Name: 'Legacy',
    }
    expect(fits(hide('Legacy'), legacyBefore)).toBe(true)
    expect(fits({ ...hide('TeamsScheduler'), cmdlet: 'Set-Mailbox' })).toBe(false)
    expect(
      fits({
        system: 'exchange',
        cmdlet: 'Set-MailUser',
        params: { Identity: 'TeamsScheduler', HiddenFromAddressListsEnabled: false },
      }),
    ).toBe(false)
    expect(fits({ system: 'entra', op: 'addKey' } as unknown as Action)).toBe(false)
  })
})
