import { apply, buildRunbook, plan, rollback, verify } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { createFakeTenant, type FakeTenant, scenarios } from '../src/index'

const rightsOf = (tenant: FakeTenant, delegator: string, delegate: string) =>
  tenant
    .state()
    .exchange.mailboxes.find((m) => m.alias === delegator)
    ?.calendar.permissions.find((p) => p.user === delegate)?.accessRights

const pair = (delegate: string, delegator: string) =>
  buildRunbook({ profile: 'teams', domain: 'contoso.com', delegate: { delegate, delegator } })

describe('the delegatePermission step', () => {
  it('sets an Owner-only entry to Editor on the German calendar, journals Owner, and rollback puts it back', async () => {
    const tenant = createFakeTenant(
      scenarios.combine(scenarios.germanCalendar(), scenarios.delegateOwnerOnly()),
    )
    const runbook = pair('bob', 'alice')
    const planned = await plan(runbook, tenant)
    const step = planned.steps.find((s) => s.kind === 'delegatePermission')!
    expect(step.actions.map((a) => a.action)).toEqual([
      {
        system: 'exchange',
        cmdlet: 'Set-MailboxFolderPermission',
        params: { Identity: 'alice:\\Kalender', User: 'bob', AccessRights: 'Editor' },
      },
    ])
    expect(step.notes.join(' ')).toContain('File > Account Settings > Delegate Access')
    const { journal } = await apply(planned, tenant)
    expect(rightsOf(tenant, 'alice', 'bob')).toEqual(['Editor'])
    expect((await verify(runbook, tenant)).ok).toBe(true)
    const entry = journal.entries.find((e) => e.step === step.id)!
    expect(entry.undo).toEqual([
      {
        system: 'exchange',
        cmdlet: 'Set-MailboxFolderPermission',
        params: { Identity: 'alice:\\Kalender', User: 'bob', AccessRights: ['Owner'] },
      },
    ])
    await rollback(journal, tenant)
    expect(rightsOf(tenant, 'alice', 'bob')).toEqual(['Owner'])
  })

  it('adds an entry where the delegate has none, and rollback removes only that entry', async () => {
    const tenant = createFakeTenant()
    const { journal } = await apply(await plan(pair('alice', 'bob'), tenant), tenant)
    expect(rightsOf(tenant, 'bob', 'alice')).toEqual(['Editor'])
    const entry = journal.entries.find((e) => e.step.startsWith('delegatePermission'))!
    expect(entry.undo[0]).toMatchObject({
      cmdlet: 'Remove-MailboxFolderPermission',
      params: { User: 'alice', Confirm: false },
    })
    await rollback(journal, tenant)
    expect(rightsOf(tenant, 'bob', 'alice')).toBeUndefined()
    expect(
      tenant
        .state()
        .exchange.mailboxes.find((m) => m.alias === 'bob')
        ?.calendar.permissions.map((p) => p.user),
    ).toEqual(['Default', 'Anonymous'])
  })

  it('leaves an Editor as it is', async () => {
    const tenant = createFakeTenant()
    const planned = await plan(pair('bob', 'alice'), tenant)
    expect(planned.steps.find((s) => s.kind === 'delegatePermission')?.actions).toEqual([])
  })

  it('refuses an empty or control-character delegate before reading anything', () => {
    expect(() => pair('', 'alice')).toThrow(/delegate\.delegate: is empty/)
    expect(() => pair('bob\nSet-Mailbox', 'alice')).toThrow(/delegate\.delegate: holds a control character/)
  })
})
