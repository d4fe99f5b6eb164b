import { createFakeTenant, scenarios } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import type { Action } from '../actions'
import { delegateAccessSteps } from '../delegates/evaluate'
import type { ValidInput } from '../input'
import type { Targets } from '../ports'
import { delegatePermission } from './delegate-permission'
import type { StepContext } from './step'

const step = {
  kind: 'delegatePermission' as const,
  id: 'delegate.bob.alice',
  delegate: 'bob',
  delegator: 'alice',
}
const notes = [delegateAccessSteps('alice', 'bob')]

const context = (targets: Targets, domainController?: string): StepContext => ({
  input: { domainController } as ValidInput,
  targets,
  now: new Date(),
  certificates: [],
  accounts: {},
})

const grant = (cmdlet: string, extra: Record<string, string> = {}): Action => ({
  system: 'exchange',
  cmdlet,
  params: { Identity: 'alice:\\Calendar', User: 'bob', AccessRights: 'Editor', ...extra },
})

describe('the delegate permission step', () => {
  it('is titled by the delegate and the delegator', () => {
    expect(delegatePermission.title(step)).toBe("bob holds Editor on alice's calendar")
  })

  it('observes the calendar found by its type and the entry of the delegate', async () => {
    expect(await delegatePermission.observe(step, context(createFakeTenant()))).toEqual({
      calendar: 'Calendar',
      unknownDelegate: false,
      rights: ['Editor'],
    })
    const german = createFakeTenant(scenarios.germanCalendar())
    expect(await delegatePermission.observe(step, context(german))).toMatchObject({ calendar: 'Kalender' })
    // klaus has no entry on bob's calendar
    expect(
      await delegatePermission.observe(
        { ...step, delegate: 'klaus', delegator: 'bob' },
        context(createFakeTenant()),
      ),
    ).toEqual({ calendar: 'Calendar', unknownDelegate: false, rights: null })
  })

  it('observes a delegator with no mailbox as no calendar, and a delegate Exchange cannot resolve as unknown', async () => {
    const tenant = createFakeTenant()
    expect(await delegatePermission.observe({ ...step, delegator: 'nobody' }, context(tenant))).toEqual({
      calendar: null,
    })
    expect(await delegatePermission.observe({ ...step, delegate: 'nobody' }, context(tenant))).toEqual({
      calendar: 'Calendar',
      unknownDelegate: true,
    })
  })

  it('leaves an Editor as it is, with the Outlook note', () => {
    expect(
      delegatePermission.decide(
        step,
        { calendar: 'Calendar', unknownDelegate: false, rights: ['Editor'] },
        context({} as Targets),
      ),
    ).toEqual({ desired: 'Editor', actual: 'Editor on alice:\\Calendar', actions: [], notes })
  })

  it('adds Editor where the delegate has no entry, pinned to the run’s domain controller', () => {
    const decision = delegatePermission.decide(
      step,
      { calendar: 'Kalender', unknownDelegate: false, rights: null },
      context({} as Targets, 'dc1.contoso.com'),
    )
    expect(decision).toEqual({
      desired: 'Editor',
      actual: 'no permission on alice:\\Kalender',
      notes,
      actions: [
        {
          reason: "a delegate needs Editor on the delegator's calendar to schedule for them",
          action: {
            system: 'exchange',
            cmdlet: 'Add-MailboxFolderPermission',
            params: {
              Identity: 'alice:\\Kalender',
              User: 'bob',
              AccessRights: 'Editor',
              DomainController: 'dc1.contoso.com',
            },
          },
        },
      ],
    })
  })

  it('sets Editor on an entry short of it, saying why an Owner is not enough', () => {
    const decide = (rights: string[]) =>
      delegatePermission.decide(
        step,
        { calendar: 'Calendar', unknownDelegate: false, rights },
        context({} as Targets),
      )
    const owner = decide(['owner'])
    expect(owner.actual).toBe('owner on alice:\\Calendar')
    expect(owner.actions).toEqual([
      {
        reason:
          'a delegate holding only Owner cannot add a Teams meeting; Editor is what Delegate Access gives',
        action: grant('Set-MailboxFolderPermission'),
      },
    ])
    const reviewer = decide(['Reviewer', 'FolderVisible'])
    expect(reviewer.actual).toBe('Reviewer, FolderVisible on alice:\\Calendar')
    expect(reviewer.actions[0]!.reason).toBe(
      "a delegate needs Editor on the delegator's calendar to schedule for them",
    )
    expect(decide(['Owners']).actions[0]!.reason).toMatch(/^a delegate needs Editor/)
  })

  it('is blocked without a calendar, or with a delegate Exchange does not know', () => {
    expect(delegatePermission.decide(step, { calendar: null }, context({} as Targets))).toEqual({
      desired: 'Editor',
      actual: "no calendar folder in alice's mailbox",
      actions: [],
      notes,
      blocked:
        "alice has no calendar folder here: is alice a mailbox of this organisation (Get-Mailbox -Identity 'alice')?",
    })
    expect(
      delegatePermission.decide(
        step,
        { calendar: 'Calendar', unknownDelegate: true },
        context({} as Targets),
      ),
    ).toEqual({
      desired: 'Editor',
      actual: 'bob unknown',
      actions: [],
      notes,
      blocked: 'Exchange knows no recipient bob: name the delegate by alias, address or name (--delegate)',
    })
  })

  it('keeps the delegator mailbox, and for a Set the rights it replaces', async () => {
    const tenant = createFakeTenant(scenarios.delegateOwnerOnly())
    const [alice] = await tenant.exchange.invoke({ cmdlet: 'Get-Mailbox', params: { Identity: 'alice' } })
    const owner = { Guid: alice!.Guid, Name: alice!.Name }
    const ctx = context(tenant)
    expect(await delegatePermission.before!(step, grant('Add-MailboxFolderPermission'), ctx)).toEqual(owner)
    expect(await delegatePermission.before!(step, grant('Set-MailboxFolderPermission'), ctx)).toEqual({
      AccessRights: ['Owner'],
      ...owner,
    })
    expect(
      await delegatePermission.before!(
        { ...step, delegator: 'nobody' },
        grant('Add-MailboxFolderPermission'),
        ctx,
      ),
    ).toBeNull()
    // a Set where the delegate has no entry has nothing to set back
    expect(
      await delegatePermission.before!(
        { ...step, delegate: 'klaus' },
        grant('Set-MailboxFolderPermission'),
        ctx,
      ),
    ).toBeNull()
    expect(
      await delegatePermission.before!(step, { system: 'entra', op: 'addKey' } as unknown as Action, ctx),
    ).toBeNull()

    expect(
      delegatePermission.target!(
        step,
        grant('Set-MailboxFolderPermission'),
        { AccessRights: ['Owner'], ...owner },
        [],
      ),
    ).toEqual({
      read: 'Get-Mailbox',
      guid: owner.Guid,
      name: owner.Name,
      what: `bob's rights on the calendar of mailbox ${owner.Name}`,
    })
    expect(delegatePermission.target!(step, grant('Add-MailboxFolderPermission'), null, [])).toBeNull()
  })

  it('undoes an Add by removing that entry, and a Set by setting the rights back', () => {
    const pin = { DomainController: 'dc1.contoso.com' }
    expect(delegatePermission.undo(step, grant('Add-MailboxFolderPermission', pin), null, [], [])).toEqual([
      {
        system: 'exchange',
        cmdlet: 'Remove-MailboxFolderPermission',
        params: { Identity: 'alice:\\Calendar', User: 'bob', ...pin, Confirm: false },
      },
    ])
    expect(
      delegatePermission.undo(
        step,
        grant('Set-MailboxFolderPermission'),
        { AccessRights: ['Owner'] },
        [],
        [],
      ),
    ).toEqual([
      {
        system: 'exchange',
        cmdlet: 'Set-MailboxFolderPermission',
        params: { Identity: 'alice:\\Calendar', User: 'bob', AccessRights: ['Owner'] },
      },
    ])
    expect(delegatePermission.undo(step, grant('Set-MailboxFolderPermission'), null, [], [])).toEqual([])
    expect(
      delegatePermission.undo(step, grant('Set-MailboxFolderPermission'), { AccessRights: 'Owner' }, [], []),
    ).toEqual([])
    expect(
      delegatePermission.undo(
        step,
        grant('Remove-MailboxFolderPermission'),
        { AccessRights: ['Owner'] },
        [],
        [],
      ),
    ).toEqual([])
    expect(
      delegatePermission.undo(step, { system: 'entra', op: 'addKey' } as unknown as Action, null, [], []),
    ).toEqual([])
  })

  it('reads back whether Editor landed', async () => {
    const ctx = context(createFakeTenant(scenarios.delegateOwnerOnly()))
    expect(await delegatePermission.landed!(step, grant('Set-MailboxFolderPermission'), ctx)).toBeNull()
    expect(
      await delegatePermission.landed!(
        { ...step, delegate: 'klaus' },
        grant('Add-MailboxFolderPermission'),
        ctx,
      ),
    ).toBeNull()
    expect(
      await delegatePermission.landed!(
        { ...step, delegator: 'nobody' },
        grant('Add-MailboxFolderPermission'),
        ctx,
      ),
    ).toBeNull()
    const done = context(createFakeTenant())
    expect(await delegatePermission.landed!(step, grant('Set-MailboxFolderPermission'), done)).toEqual({
      result: [],
    })
    expect(
      await delegatePermission.landed!(step, { system: 'entra', op: 'addKey' } as unknown as Action, done),
    ).toBeNull()
  })

  it("owns only an Editor grant to its delegate on its delegator's folders", () => {
    const fits = (action: Action) => delegatePermission.fits!(step, action, null)
    expect(fits(grant('Add-MailboxFolderPermission'))).toBe(true)
    expect(fits(grant('Set-MailboxFolderPermission'))).toBe(true)
    expect(fits(grant('Remove-MailboxFolderPermission'))).toBe(false)
    expect(fits(grant('Add-MailboxFolderPermission', { User: 'eve' }))).toBe(false)
    expect(fits(grant('Add-MailboxFolderPermission', { AccessRights: 'Owner' }))).toBe(false)
    expect(fits(grant('Add-MailboxFolderPermission', { Identity: 'mallory:\\Calendar' }))).toBe(false)
    expect(fits(grant('Add-MailboxFolderPermission', { Identity: 'alice' }))).toBe(false)
    expect(
      fits({
        system: 'exchange',
        cmdlet: 'Add-MailboxFolderPermission',
        params: { User: 'bob', AccessRights: 'Editor' },
      }),
    ).toBe(false)
    expect(fits({ system: 'entra', op: 'addKey' } as unknown as Action)).toBe(false)
  })
})
