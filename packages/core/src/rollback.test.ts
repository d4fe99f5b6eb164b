import { createFakeTenant, type FakeTenant } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { apply } from './apply'
import { emptyJournal, type Journal } from './journal'
import { plan, type RunEvent } from './plan'
import type { CmdletCall } from './ports'
import { rollback } from './rollback'
import { buildRunbook } from './runbook'

const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com' })

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the rollback to be refused')
    },
    (error: unknown) => error as Error & { code: string; data: Record<string, unknown> },
  )

async function applied() {
  const tenant = createFakeTenant()
  const start = tenant.state()
  const { journal } = await apply(await plan(runbook, tenant), tenant)
  return { tenant, start, journal }
}

/** The tenant with an Exchange session that dies at its first failure: later calls, read-backs included, fail. */
function dyingAtFirstFailure(tenant: FakeTenant): FakeTenant {
  let dead = false
  return {
    ...tenant,
    exchange: {
      ...tenant.exchange,
      async invoke(call: CmdletCall) {
        if (dead) throw new Error('the PowerShell session is gone')
        try {
          return await tenant.exchange.invoke(call)
        } catch (error) {
          dead = true
          throw error
        }
      },
    },
  }
}

const undoOrder = (journal: Journal) =>
  [...journal.entries].sort((a, b) => b.seq - a.seq).flatMap((e) => [...e.undo].reverse().map(() => e.step))

describe('rollback', () => {
  it('with whatIf lists every undo, newest change first, with the object each acts on, and changes nothing', async () => {
    const { tenant, journal } = await applied()
    const writes = tenant.changes.length
    const saved: Journal[] = []
    const events: RunEvent[] = []
    const { undone } = await rollback(journal, tenant, {
      whatIf: true,
      onJournal: (j) => {
        saved.push(j)
      },
      onEvent: (e) => events.push(e),
    })
    expect(undone.map((u) => u.step)).toEqual(undoOrder(journal))
    expect(undone.map((u) => u.action)).toEqual(
      [...journal.entries].sort((a, b) => b.seq - a.seq).flatMap((e) => [...e.undo].reverse()),
    )
    expect(undone.every((u) => u.skipped === undefined)).toBe(true)
    const mailUser = journal.entries.find((e) => e.step === 'mailUser.TeamsScheduler')!
    const guid = (mailUser.result as { Guid: string }[])[0]!.Guid
    expect(undone.find((u) => u.step === 'mailUser.TeamsScheduler')).toMatchObject({
      title: 'mail user TeamsScheduler',
      target: `mail user TeamsScheduler (${guid})`,
    })
    // an Entra undo names no Exchange object
    for (const u of undone.filter((u) => u.action.system === 'entra')) expect(u).not.toHaveProperty('target')
    expect(tenant.changes).toHaveLength(writes)
    expect(saved).toEqual([])
    expect(events).toEqual([])
    expect(journal.entries.some((e) => e.undoneAt)).toBe(false)
  })

  it('undoes newest first, reports each undo, marks each entry as it goes, and restores the start', async () => {
    const { tenant, start, journal } = await applied()
    const events: RunEvent[] = []
    const marked: number[] = []
    const { undone } = await rollback(journal, tenant, {
      onEvent: (e) => events.push(e),
      onJournal: (j) => {
        marked.push(j.entries.filter((e) => e.undoneAt).length)
      },
    })
    expect(tenant.state()).toEqual(start)
    expect(undone.map((u) => u.step)).toEqual(undoOrder(journal))
    expect(events).toEqual(undone.map((u) => ({ type: 'undo', ...u })))
    expect(marked).toEqual(journal.entries.map((_, i) => i + 1))
    expect(journal.entries.every((e) => typeof e.undoneAt === 'string')).toBe(true)

    // run again over the same file: nothing is undone twice
    const writes = tenant.changes.length
    expect((await rollback(journal, tenant)).undone).toEqual([])
    expect(tenant.changes).toHaveLength(writes)
  })

  it('skips what is already gone or already set back, so it can be run again', async () => {
    const { tenant, start, journal } = await applied()
    await tenant.exchange.invoke({
      cmdlet: 'Remove-PartnerApplication',
      params: { Identity: 'CloudVoicemail', Confirm: false },
    })
    const keyEntry = journal.entries.find((e) => e.action.system === 'entra')!
    const backup = keyEntry.before as { id: string; keyCredentials: unknown[] }
    await tenant.entra.setKeyCredentials(backup.id, backup.keyCredentials as never)

    const { undone } = await rollback(journal, tenant)
    expect(tenant.state()).toEqual(start)
    expect(undone.find((u) => u.step === 'partnerApplication.CloudVoicemail')).toMatchObject({
      skipped: 'already gone',
      target: expect.stringMatching(/^partner application CloudVoicemail \(/),
    })
    expect(undone.find((u) => u.step === keyEntry.step)).toMatchObject({ skipped: 'already undone' })
    expect(undone.filter((u) => u.skipped)).toHaveLength(2)
    // marked undone all the same
    expect(journal.entries.every((e) => e.undoneAt)).toBe(true)
  })

  it('skips an object that went away between its check and its undo', async () => {
    const { tenant, start, journal } = await applied()
    const racing: FakeTenant = {
      ...tenant,
      exchange: {
        ...tenant.exchange,
        async invoke(call: CmdletCall) {
          if (call.cmdlet === 'Remove-PartnerApplication') await tenant.exchange.invoke(call)
          return tenant.exchange.invoke(call)
        },
      },
    }
    const { undone } = await rollback(journal, racing)
    expect(tenant.state()).toEqual(start)
    expect(undone.filter((u) => u.skipped).map((u) => [u.step, u.skipped])).toEqual([
      ['partnerApplication.CloudVoicemail', 'already gone'],
      ['partnerApplication.TeamsScheduler', 'already gone'],
    ])
  })

  it('refuses, before any change, to remove an object of that Guid that is no longer the one it created', async () => {
    const { tenant, journal } = await applied()
    await tenant.exchange.invoke({
      cmdlet: 'Set-PartnerApplication',
      params: { Identity: 'TeamsScheduler', Name: 'SomeoneElses' },
    })
    const writes = tenant.changes.length
    const error = await failureOf(rollback(journal, tenant))
    const entry = journal.entries.find((e) => e.step === 'partnerApplication.TeamsScheduler')!
    expect(error.code).toBe('JOURNAL_INVALID')
    expect(error.data).toMatchObject({ field: 'journal', seq: entry.seq })
    const guid = (entry.result as { Guid: string }[])[0]!.Guid
    expect(error.message).toBe(
      `journal: entry ${entry.seq} (${entry.title}) would undo partner application TeamsScheduler (${guid}), but the object of that Guid is SomeoneElses, not the one teams-oauth created; the journal was changed after apply wrote it, or it is another organisation's. Nothing was rolled back.`,
    )
    expect(tenant.changes).toHaveLength(writes)
    expect(journal.entries.some((e) => e.undoneAt)).toBe(false)
  })

  it('refuses to set back an object it changed that now has another name', async () => {
    const { tenant, journal } = await applied()
    await tenant.exchange.invoke({
      cmdlet: 'Set-MailUser',
      params: { Identity: 'TeamsScheduler', Name: 'Renamed' },
    })
    const writes = tenant.changes.length
    const error = await failureOf(rollback(journal, tenant))
    expect(error.code).toBe('JOURNAL_INVALID')
    expect(error.message).toMatch(
      /\(TeamsScheduler hidden from address lists\) would undo mail user TeamsScheduler/,
    )
    expect(error.message).toMatch(/the object of that Guid is Renamed, not the one teams-oauth changed;/)
    expect(tenant.changes).toHaveLength(writes)
  })

  it('names the change whose undo failed, keeping the code, and leaves the rest marked as it was', async () => {
    const { tenant, journal } = await applied()
    // the third undo fails: the three Entra keys are undone first, in one write each
    tenant.faults.failWrite(4)
    const error = await failureOf(rollback(journal, tenant))
    const newestFirst = [...journal.entries].sort((a, b) => b.seq - a.seq)
    const failed = newestFirst[3]!
    expect(error.message.startsWith(`rollback of ${failed.title}: `)).toBe(true)
    expect(error.data.step).toBe(failed.step)
    expect(error.code).toMatch(/^[A-Z_]+$/)
    expect(newestFirst.map((e) => Boolean(e.undoneAt))).toEqual(newestFirst.map((_, i) => i < 3))
  })

  it('leaves an Exchange change whose outcome was never confirmed, saying how to finish, and reads it back first when it can', async () => {
    const tenant = createFakeTenant()
    const planned = await plan(runbook, tenant)
    const journal = emptyJournal()
    tenant.faults.loseAnswer({ atExchangeWrite: 2 })
    await apply(planned, dyingAtFirstFailure(tenant), { journal }).catch(() => null)
    expect(journal.entries.at(-1)!.unconfirmed).toBe(true)

    // what-if on a live session reads it back, but does not save that
    const saves: Journal[] = []
    const onJournal = (j: Journal) => {
      saves.push(structuredClone(j))
    }
    const preview = await rollback(structuredClone(journal), tenant, { whatIf: true, onJournal })
    expect(saves).toEqual([])
    expect(preview.undone.every((u) => !u.skipped)).toBe(true)

    const { undone } = await rollback(journal, tenant, { onJournal })
    expect(saves[0]!.entries.some((e) => e.unconfirmed)).toBe(false)
    expect(saves[0]!.entries.some((e) => e.undoneAt)).toBe(false)
    expect(undone.map((u) => u.step)).toEqual(undoOrder(journal))
    expect(journal.entries.every((e) => e.undoneAt)).toBe(true)
  })

  it('skips an unconfirmed Exchange change it cannot read back and does not mark it undone', async () => {
    const tenant = createFakeTenant()
    const planned = await plan(runbook, tenant)
    const journal = emptyJournal()
    tenant.faults.loseAnswer({ atExchangeWrite: 2 })
    await apply(planned, dyingAtFirstFailure(tenant), { journal }).catch(() => null)
    const unconfirmed = journal.entries.at(-1)!
    // the read-back answers nothing either way: the outcome stays unknown
    const unsure: FakeTenant = {
      ...tenant,
      exchange: {
        ...tenant.exchange,
        async invoke(call: CmdletCall) {
          if (call.cmdlet.startsWith('Get-') && call.params.Identity === 'TeamsScheduler')
            throw new Error('no answer')
          return tenant.exchange.invoke(call)
        },
      },
    }
    const saves: Journal[] = []
    const result = await rollback(journal, unsure, {
      onJournal: (j) => {
        saves.push(structuredClone(j))
      },
    })
    // nothing was read back: the first save is the first entry undone, the unconfirmed one still unconfirmed
    expect(saves[0]!.entries.filter((e) => e.undoneAt)).toHaveLength(1)
    expect(saves[0]!.entries.find((e) => e.seq === unconfirmed.seq)!.unconfirmed).toBe(true)
    const skipped = result.undone.find((u) => u.step === unconfirmed.step)
    expect(skipped?.skipped).toBe(
      'its outcome was never confirmed; run apply again to read it back, then roll back',
    )
    expect(unconfirmed.undoneAt).toBeUndefined()
  })

  it('lists in what-if what it would skip, and reports each skip as an event', async () => {
    const { tenant, journal } = await applied()
    await tenant.exchange.invoke({
      cmdlet: 'Remove-PartnerApplication',
      params: { Identity: 'CloudVoicemail', Confirm: false },
    })
    const preview = await rollback(journal, tenant, { whatIf: true })
    expect(preview.undone.filter((u) => u.skipped).map((u) => [u.step, u.skipped])).toEqual([
      ['partnerApplication.CloudVoicemail', 'already gone'],
    ])
    const events: RunEvent[] = []
    await rollback(journal, tenant, { onEvent: (e) => events.push(e) })
    expect(events.find((e) => e.step === 'partnerApplication.CloudVoicemail')).toMatchObject({
      type: 'undo',
      skipped: 'already gone',
    })
  })

  it('reads back each object on the domain controller the change was pinned to', async () => {
    const tenant = createFakeTenant()
    const pinnedRunbook = buildRunbook({
      profile: 'teams',
      domain: 'contoso.com',
      domainController: 'dc01.contoso.com',
    })
    const { journal } = await apply(await plan(pinnedRunbook, tenant), tenant)
    const reads: CmdletCall[] = []
    const spying: FakeTenant = {
      ...tenant,
      exchange: {
        ...tenant.exchange,
        async invoke(call: CmdletCall) {
          if (call.cmdlet.startsWith('Get-')) reads.push(call)
          return tenant.exchange.invoke(call)
        },
      },
    }
    await rollback(journal, spying, { whatIf: true })
    const exchangeEntries = journal.entries.filter((e) => e.action.system === 'exchange' && e.undo.length > 0)
    const byGuid = reads.filter((c) => /^[0-9a-f-]{36}$/.test(String(c.params.Identity)))
    expect(byGuid.length).toBeGreaterThan(0)
    expect(byGuid).toHaveLength(exchangeEntries.length)
    for (const call of byGuid) expect(call.params.DomainController).toBe('dc01.contoso.com')
  })

  it('refuses an object read back by its Guid that answers with another Guid', async () => {
    const { tenant, journal } = await applied()
    const lying: FakeTenant = {
      ...tenant,
      exchange: {
        ...tenant.exchange,
        async invoke(call: CmdletCall) {
          const output = await tenant.exchange.invoke(call)
          return call.cmdlet === 'Get-PartnerApplication'
            ? output.map((o) => ({ ...o, Guid: '00000000-0000-0000-0000-000000000001' }))
            : output
        },
      },
    }
    const writes = tenant.changes.length
    const error = await failureOf(rollback(journal, lying))
    expect(error.code).toBe('JOURNAL_INVALID')
    expect(error.message).toMatch(/would undo partner application CloudVoicemail/)
    expect(tenant.changes).toHaveLength(writes)
  })

  it('saves what it read back even when the caller keeps no file', async () => {
    const tenant = createFakeTenant()
    const start = tenant.state()
    const journal = emptyJournal()
    tenant.faults.loseAnswer({ atExchangeWrite: 2 })
    await apply(await plan(runbook, tenant), dyingAtFirstFailure(tenant), { journal }).catch(() => null)
    expect(journal.entries.at(-1)!.unconfirmed).toBe(true)
    await rollback(journal, tenant)
    expect(tenant.state()).toEqual(start)
    expect(journal.entries.every((e) => !e.unconfirmed && e.undoneAt)).toBe(true)
  })

  it('runs no undo of an Exchange change it skipped as unconfirmed', async () => {
    const tenant = createFakeTenant()
    const journal = emptyJournal()
    tenant.faults.loseAnswer({ atExchangeWrite: 2 })
    await apply(await plan(runbook, tenant), dyingAtFirstFailure(tenant), { journal }).catch(() => null)
    const unsure: FakeTenant = {
      ...tenant,
      exchange: {
        ...tenant.exchange,
        async invoke(call: CmdletCall) {
          if (call.cmdlet.startsWith('Get-') && call.params.Identity === 'TeamsScheduler')
            throw new Error('no answer')
          return tenant.exchange.invoke(call)
        },
      },
    }
    const writes = tenant.changes.length
    await rollback(journal, unsure)
    expect(tenant.changes.slice(writes).map((c) => c.operation)).toEqual(['Remove-MailUser'])
  })

  it('undoes an Entra write whose outcome was never confirmed, from its backup, and marks it', async () => {
    const tenant = createFakeTenant()
    const start = tenant.state()
    const sfb = buildRunbook({ profile: 'sfbonline', domain: 'contoso.com' })
    // the write lands, then the connection drops before the answer
    const entra = {
      getServicePrincipal: (appId: string) => tenant.entra.getServicePrincipal(appId),
      setKeyCredentials: async (id: string, keys: Parameters<typeof tenant.entra.setKeyCredentials>[1]) => {
        await tenant.entra.setKeyCredentials(id, keys)
        throw new Error('connection dropped')
      },
    }
    const journal = emptyJournal()
    await expect(
      apply(await plan(sfb, tenant), { exchange: tenant.exchange, entra }, { journal }),
    ).rejects.toThrow('connection dropped')
    const last = journal.entries.at(-1)!
    expect(last).toMatchObject({ unconfirmed: true, action: { system: 'entra' } })
    const { undone } = await rollback(journal, tenant)
    expect(undone.find((u) => u.step === last.step)?.skipped).toBeUndefined()
    expect(last.undoneAt).toEqual(expect.any(String))
    expect(tenant.state()).toEqual(start)
  })
})
