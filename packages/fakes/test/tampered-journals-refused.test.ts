import {
  apply,
  buildRunbook,
  type Journal,
  parseJournal,
  plan,
  rollback,
  TeamsOAuthError,
} from '@teams-oauth/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFakeTenant, type FakeState, scenarios } from '../src/index'
import { copy, tampers } from './tampered-journals'

const runbook = buildRunbook({ profile: 'all', domain: 'contoso.com' })

describe('a tampered journal', () => {
  let journal: Journal
  let configured: FakeState

  beforeAll(async () => {
    const tenant = createFakeTenant()
    ;({ journal } = await apply(await plan(runbook, tenant), tenant))
    configured = tenant.state()
  })

  it('is generated in 30 ways or more', () => {
    expect(tampers.length).toBeGreaterThanOrEqual(30)
  })

  it.each(tampers)('is refused by rollback before any change (%s)', async (_name, tamper) => {
    const tampered = copy(journal)
    tamper(tampered, copy(configured))
    // each on its own copy of the configured organisation, so one tamper's damage cannot hide another's
    const tenant = createFakeTenant({ state: configured })
    const writes = tenant.changes.length
    const error = await rollback(parseJournal(copy(tampered)), tenant).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(TeamsOAuthError)
    expect((error as TeamsOAuthError).code).toBe('JOURNAL_INVALID')
    expect(tenant.changes.length).toBe(writes)
    expect(tenant.state()).toEqual(configured)
  })

  it('as written by apply is accepted, and rolls the organisation back', async () => {
    const own = createFakeTenant()
    const start = own.state()
    const { journal: written } = await apply(await plan(runbook, own), own)
    // every removal goes by the Guid its create returned, never by a name
    const removals = written.entries.flatMap((e) =>
      e.undo.flatMap((u) =>
        u.system === 'exchange' && u.cmdlet.startsWith('Remove-') && !u.cmdlet.endsWith('RoleEntry')
          ? [{ identity: u.params.Identity, created: (e.result as { Guid: string }[])[0]?.Guid }]
          : [],
      ),
    )
    expect(removals.length).toBeGreaterThanOrEqual(8)
    for (const { identity, created } of removals) expect(identity).toBe(created)
    await rollback(parseJournal(copy(written)), own)
    expect(own.state()).toEqual(start)
  })
})

describe('a journal of organisation A', () => {
  it('is refused, before any change, by apply and by rollback against organisation B, though B has the same names', async () => {
    const a = createFakeTenant()
    const { journal } = await apply(await plan(runbook, a), a)
    // B already had the 2019 setup: its own SfBOnline application, account and role assignments
    const b = createFakeTenant({
      ...scenarios.legacyOnly(),
      ids: {
        organizationGuid: '6f1c2a8e-0b6d-4c3e-9a51-2d7f4e8b9c10',
        tenantId: '0e6b3f2d-5a4c-4d1e-8f7a-9b2c6d1e3f40',
      },
    })
    const start = b.state()
    for (const run of [
      () => rollback(copy(journal), b),
      async () => apply(await plan(runbook, b), b, { journal: copy(journal) }),
    ]) {
      const error = await run().then(
        () => null,
        (e: unknown) => e,
      )
      expect((error as TeamsOAuthError).code).toBe('JOURNAL_INVALID')
      expect((error as TeamsOAuthError).message).toContain('not to the Exchange organisation Contoso')
    }
    expect(b.changes).toEqual([])
    expect(b.state()).toEqual(start)
  })

  it('moved to B by editing its header is refused by the hash chain', async () => {
    const a = createFakeTenant()
    const { journal } = await apply(await plan(runbook, a), a)
    const ids = {
      organizationGuid: '6f1c2a8e-0b6d-4c3e-9a51-2d7f4e8b9c10',
      tenantId: '0e6b3f2d-5a4c-4d1e-8f7a-9b2c6d1e3f40',
    }
    const b = createFakeTenant({ ...scenarios.legacyOnly(), ids })
    const moved = copy(journal)
    moved.organisation = {
      exchange: { guid: ids.organizationGuid, name: 'Contoso' },
      entra: { tenantId: ids.tenantId },
    }
    await expect(rollback(moved, b)).rejects.toThrow(/hash/)
    expect(b.changes).toEqual([])
  })
})

describe('a journal of an earlier version', () => {
  it('is refused with what to do, since it names no organisation', () => {
    expect(() => parseJournal({ format: 'teams-oauth-journal', version: 1, entries: [] })).toThrow(
      /version 1 was written by an earlier teams-oauth.*start a new journal/,
    )
  })
})
