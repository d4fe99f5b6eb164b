import { createFakeTenant, type FakeTenant } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { apply } from './apply'
import { isTeamsOAuthError, TeamsOAuthError } from './errors'
import { emptyJournal, type Journal } from './journal'
import { type Plan, plan, type RunEvent } from './plan'
import type { CmdletCall } from './ports'
import { rollback } from './rollback'
import { buildRunbook } from './runbook'

const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com' })

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the run to fail')
    },
    (error: unknown) => error,
  )

/** The plan's steps cut to those of one kind, as a plan made before someone else's run would still hold them. */
const onlyKind = (planned: Plan, kind: string): Plan => {
  const steps = planned.steps.filter((s) => s.kind === kind)
  return { ...planned, steps, actions: planned.actions.filter((a) => steps.some((s) => s.id === a.step)) }
}

describe('apply', () => {
  it('reports each action as it starts and ends, in the plan order, and journals every change', async () => {
    const tenant = createFakeTenant()
    const planned = await plan(runbook, tenant)
    const events: RunEvent[] = []
    const saved: number[] = []
    const result = await apply(planned, tenant, {
      onEvent: (event) => events.push(event),
      onJournal: (journal) => {
        saved.push(journal.entries.length)
        expect(journal.entries.every((e) => e.hash !== '')).toBe(true)
      },
    })

    expect(result.interrupted).toBeUndefined()
    expect(result.changes).toBe(planned.actions.length)
    expect(result.journal.entries).toHaveLength(planned.actions.length)
    expect(result.journal.entries.map((e) => e.seq)).toEqual(planned.actions.map((_, i) => i + 1))
    expect(result.journal.entries.map((e) => [e.step, e.action])).toEqual(
      planned.actions.map((a) => [a.step, a.action]),
    )
    expect(result.journal.entries.some((e) => e.unconfirmed)).toBe(false)
    expect(result.journal.organisation).not.toBeNull()

    expect(events.map((e) => e.type)).toEqual(planned.actions.flatMap(() => ['action-start', 'action-done']))
    planned.actions.forEach((a, i) => {
      expect(events[2 * i]).toEqual({
        type: 'action-start',
        step: a.step,
        title: a.title,
        action: a.action,
        reason: a.reason,
      })
      expect(events[2 * i + 1]).toMatchObject({ type: 'action-done', step: a.step, changed: true })
    })
    // an Entra write says how Graph took the keys
    const entraDone = events.filter((e) => e.type === 'action-done' && e.action.system === 'entra')
    expect(entraDone.length).toBeGreaterThan(0)
    for (const event of entraDone) expect(event).toHaveProperty('note', expect.any(String))
    for (const event of events.filter((e) => e.type === 'action-done' && e.action.system === 'exchange'))
      expect(event).not.toHaveProperty('note')

    // saved before each Exchange write is sent and again with its answer; the last save holds every change
    expect(saved.at(-1)).toBe(planned.actions.length)
    expect(saved.length).toBeGreaterThanOrEqual(2 * planned.actions.length)
    for (let i = 1; i < saved.length; i++) expect(saved[i]!).toBeGreaterThanOrEqual(saved[i - 1]! - 1)
  })

  it('appends to the journal it is given, numbering on', async () => {
    const tenant = createFakeTenant()
    const planned = await plan(runbook, tenant)
    const journal = emptyJournal()
    const first = await apply(onlyKind(planned, 'mailUser'), tenant, { journal })
    expect(first.journal).toBe(journal)
    expect(journal.entries.map((e) => e.seq)).toEqual([1])
    const second = await apply(onlyKind(planned, 'hiddenFromAddressLists'), tenant, { journal })
    expect(second.changes).toBe(1)
    expect(journal.entries.map((e) => [e.seq, e.step])).toEqual([
      [1, 'mailUser.TeamsScheduler'],
      [2, 'hidden.TeamsScheduler'],
    ])
  })

  it('stops before the next action once its signal is aborted, and says it was interrupted', async () => {
    const tenant = createFakeTenant()
    const planned = await plan(runbook, tenant)
    const controller = new AbortController()
    const started: string[] = []
    const result = await apply(planned, tenant, {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'action-start') started.push(event.step)
        // aborted while the second action is in flight: it finishes, the third never starts
        if (event.type === 'action-start' && started.length === 2) controller.abort()
      },
    })
    expect(result).toMatchObject({ changes: 2, interrupted: true })
    expect(started).toEqual(planned.actions.slice(0, 2).map((a) => a.step))
    expect(result.journal.entries).toHaveLength(2)
    expect(tenant.changes).toHaveLength(2)

    // running plan and apply again finishes the rest
    const rest = await apply(await plan(runbook, tenant), tenant, { journal: result.journal })
    expect(rest.interrupted).toBeUndefined()
    expect(rest.changes).toBe(planned.actions.length - 2)
  })

  it('changes nothing when its signal is aborted before it starts', async () => {
    const tenant = createFakeTenant()
    const planned = await plan(runbook, tenant)
    const events: RunEvent[] = []
    const result = await apply(planned, tenant, {
      signal: AbortSignal.abort(),
      onEvent: (e) => events.push(e),
    })
    expect(result).toEqual({ journal: result.journal, changes: 0, interrupted: true })
    expect(result.journal.entries).toEqual([])
    expect(events).toEqual([])
    expect(tenant.changes).toEqual([])
  })

  it('refuses a blocked plan before any change', async () => {
    const tenant = createFakeTenant()
    const planned = await plan(runbook, tenant)
    const blocked = {
      ...planned,
      blocked: [{ step: 'exchange.authCertificate', title: 'auth certificate', reason: 'it expired' }],
    }
    const error = await failureOf(apply(blocked, tenant))
    expect(error).toMatchObject({ code: 'PLAN_BLOCKED' })
    expect(tenant.changes).toEqual([])
  })

  it('refuses a plan that names a step its runbook does not have', async () => {
    const tenant = createFakeTenant()
    const planned = await plan(runbook, tenant)
    const stray = { ...planned.steps[0]!, id: 'mailUser.Nobody' }
    const error = await failureOf(apply({ ...planned, steps: [stray, ...planned.steps] }, tenant))
    expect(error).toMatchObject({ code: 'PLAN_BLOCKED' })
    expect((error as Error).message).toBe('the plan names a step mailUser.Nobody its runbook does not have')
    expect(tenant.changes).toEqual([])
  })

  it('names the step that failed, reports it, and keeps in the journal what was done before it', async () => {
    const tenant = createFakeTenant()
    const planned = await plan(runbook, tenant)
    tenant.faults.failWrite(3)
    const events: RunEvent[] = []
    const journal = emptyJournal()
    const error = await failureOf(apply(planned, tenant, { journal, onEvent: (e) => events.push(e) }))
    const third = planned.actions[2]!
    expect(isTeamsOAuthError(error)).toBe(true)
    expect(error).toMatchObject({ data: { step: third.step } })
    expect((error as Error).message.startsWith(`${third.title}: `)).toBe(true)
    expect(events.at(-1)).toEqual({
      type: 'action-failed',
      step: third.step,
      title: third.title,
      action: third.action,
      error,
    })
    // the failed write was read back, not there: it is no change of the journal's
    expect(journal.entries.map((e) => e.step)).toEqual(planned.actions.slice(0, 2).map((a) => a.step))
    expect(journal.entries.some((e) => e.unconfirmed)).toBe(false)
  })

  it('journals nothing for a key that was already there by the time of the write', async () => {
    const tenant = createFakeTenant()
    const stale = onlyKind(await plan(runbook, tenant), 'servicePrincipalKey')
    expect(stale.actions.length).toBeGreaterThan(0)
    // another run uploads the keys between this plan and its apply
    await apply(stale, tenant)
    const writes = tenant.changes.length
    const events: RunEvent[] = []
    const saved: Journal[] = []
    const result = await apply(stale, tenant, {
      onEvent: (e) => events.push(e),
      onJournal: (j) => {
        saved.push(structuredClone(j))
      },
    })
    expect(result.changes).toBe(0)
    expect(result.journal.entries).toEqual([])
    expect(tenant.changes).toHaveLength(writes)
    const done = events.filter((e) => e.type === 'action-done')
    expect(done).toHaveLength(stale.actions.length)
    for (const event of done) {
      expect(event).toMatchObject({ changed: false })
      expect(event).not.toHaveProperty('note')
    }
    // nothing of this run ever reaches the file
    expect(saved.flatMap((j) => j.entries)).toEqual([])

    // a journal kept across runs keeps its earlier changes when a key turns out to be there
    const kept = emptyJournal()
    const earlier = createFakeTenant()
    const planned = await plan(runbook, earlier)
    await apply(onlyKind(planned, 'mailUser'), earlier, { journal: kept })
    const staleKeys = onlyKind(planned, 'servicePrincipalKey')
    await apply(staleKeys, earlier)
    await apply(staleKeys, earlier, { journal: kept })
    expect(kept.entries.map((e) => e.step)).toEqual(['mailUser.TeamsScheduler'])
  })

  it('reads a management role once for the journal of all its entry changes, not once per entry', async () => {
    const tenant = createFakeTenant()
    const start = tenant.state()
    const reads: CmdletCall[] = []
    const counted: FakeTenant = {
      ...tenant,
      exchange: {
        ...tenant.exchange,
        async invoke(call: CmdletCall, options) {
          if (call.cmdlet === 'Get-ManagementRole') reads.push(call)
          return tenant.exchange.invoke(call, options)
        },
      },
    }
    const planned = await plan(runbook, counted)
    const removals = planned.actions.filter(
      (a) => a.action.system === 'exchange' && a.action.cmdlet === 'Remove-ManagementRoleEntry',
    )
    expect(removals.length).toBeGreaterThan(1)
    reads.length = 0
    const result = await apply(planned, counted)
    expect(reads).toHaveLength(1)
    const recorded = result.journal.entries
      .filter((e) => e.action.system === 'exchange' && e.action.cmdlet === 'Remove-ManagementRoleEntry')
      .map((e) => e.before)
    expect(recorded).toHaveLength(removals.length)
    expect(new Set(recorded.map((b) => JSON.stringify(b))).size).toBe(1)
    expect(recorded[0]).toEqual({ role: { Name: 'TeamsSchedulerRole', Guid: expect.any(String) } })
    await rollback(result.journal, tenant)
    expect(tenant.state()).toEqual(start)
  })

  it('reads back a created object whose answer carried no Guid, so rollback can remove it', async () => {
    const tenant = createFakeTenant()
    const start = tenant.state()
    const silent: FakeTenant = {
      ...tenant,
      exchange: {
        ...tenant.exchange,
        async invoke(call: CmdletCall) {
          const output = await tenant.exchange.invoke(call)
          return call.cmdlet.startsWith('New-') ? [] : output
        },
      },
    }
    const result = await apply(await plan(runbook, silent), silent)
    const created = result.journal.entries.filter(
      (e) => e.action.system === 'exchange' && e.action.cmdlet.startsWith('New-'),
    )
    expect(created.length).toBeGreaterThan(0)
    for (const entry of created)
      expect(
        (entry.result as { Guid?: unknown }[] | null)?.[0]?.Guid ??
          (entry.result as { Guid?: unknown })?.Guid,
      ).toEqual(expect.any(String))
    await rollback(result.journal, tenant)
    expect(tenant.state()).toEqual(start)
  })

  it('has each change on file before it is sent, marked unconfirmed, and confirmed with its answer', async () => {
    const tenant = createFakeTenant()
    const planned = await plan(runbook, tenant)
    const before = await tenant.entra.getServicePrincipal('00000004-0000-0ff1-ce00-000000000000')
    const seen: { seq: number; unconfirmed: boolean; started: number }[] = []
    let started = 0
    const result = await apply(planned, tenant, {
      onEvent: (e) => {
        if (e.type === 'action-start') started++
      },
      onJournal: (journal) => {
        const last = journal.entries.at(-1)!
        seen.push({ seq: last.seq, unconfirmed: last.unconfirmed === true, started })
      },
    })
    // for every action (Exchange and Entra alike): a save with it unconfirmed, then one with it confirmed
    for (const entry of result.journal.entries) {
      const saves = seen.filter((s) => s.seq === entry.seq)
      expect(saves.map((s) => s.unconfirmed)).toEqual([true, false])
      expect(saves.every((s) => s.started === entry.seq)).toBe(true)
    }
    expect(new Set(result.journal.entries.map((e) => e.action.system))).toEqual(
      new Set(['exchange', 'entra']),
    )
    // an Entra change keeps the service principal it replaced, to set it back
    const key = result.journal.entries.find(
      (e) => e.action.system === 'entra' && e.step === 'entra.key.00000004-0000-0ff1-ce00-000000000000',
    )!
    expect((key.before as { keyCredentials: unknown[] }).keyCredentials).toEqual(before!.keyCredentials)
  })

  it('fails with the step error when no one listens for events', async () => {
    const tenant = createFakeTenant()
    const planned = await plan(runbook, tenant)
    tenant.faults.failWrite(1)
    const error = await failureOf(apply(planned, tenant))
    expect(error).toMatchObject({ data: { step: planned.actions[0]!.step } })
    expect((error as Error).message.startsWith(`${planned.actions[0]!.title}: `)).toBe(true)
  })

  it('keeps a write whose answer was lost as done when it reads it back, and resumes after it', async () => {
    const tenant = createFakeTenant()
    const planned = await plan(runbook, tenant)
    tenant.faults.loseAnswer({ atExchangeWrite: 2 })
    const journal = emptyJournal()
    const error = await failureOf(apply(planned, tenant, { journal }))
    expect(error).toMatchObject({ code: 'POWERSHELL_TIMEOUT', data: { step: planned.actions[1]!.step } })
    expect(journal.entries).toHaveLength(2)
    expect(journal.entries.some((e) => e.unconfirmed)).toBe(false)
    expect(journal.entries[1]!.result).not.toBeNull()

    const rest = await apply(await plan(runbook, tenant), tenant, { journal })
    expect(rest.changes).toBe(planned.actions.length - 2)
    expect(journal.entries).toHaveLength(planned.actions.length)
  })

  it('leaves a write unconfirmed when neither its answer nor a read-back comes, and reads it back on the next run', async () => {
    const tenant = createFakeTenant()
    const planned = await plan(runbook, tenant)
    let dead = false
    const dying: FakeTenant = {
      ...tenant,
      exchange: {
        ...tenant.exchange,
        async invoke(call: CmdletCall) {
          if (dead)
            throw Object.assign(new Error('the PowerShell session is gone'), { code: 'POWERSHELL_CRASHED' })
          try {
            return await tenant.exchange.invoke(call)
          } catch (error) {
            dead = true
            throw error
          }
        },
      },
    }
    tenant.faults.loseAnswer({ atExchangeWrite: 1 })
    const journal = emptyJournal()
    const error = await failureOf(apply(planned, dying, { journal }))
    // the write's own failure, not the read-back's
    expect(error).toMatchObject({ code: 'POWERSHELL_TIMEOUT' })
    expect(journal.entries).toHaveLength(1)
    expect(journal.entries[0]!.unconfirmed).toBe(true)

    // the next run reads it back and saves that before its first action
    const order: string[] = []
    const rest = await apply(await plan(runbook, tenant), tenant, {
      journal,
      onEvent: (e) => order.push(e.type),
      onJournal: (j) => {
        order.push(j.entries[0]!.unconfirmed ? 'save unconfirmed' : 'save')
      },
    })
    expect(order[0]).toBe('save')
    expect(order[1]).toBe('action-start')
    expect(rest.changes).toBe(planned.actions.length - 1)
  })

  it('saves nothing before its first action when the journal has nothing to read back', async () => {
    const tenant = createFakeTenant()
    const order: string[] = []
    await apply(await plan(runbook, tenant), tenant, {
      onEvent: (e) => order.push(e.type),
      onJournal: () => {
        order.push('save')
      },
    })
    expect(order[0]).toBe('action-start')
  })

  it('takes out the backup it journaled when the key turned out to be there by the time of the write', async () => {
    const tenant = createFakeTenant()
    const stale = onlyKind(await plan(runbook, tenant), 'servicePrincipalKey')
    let refused = 0
    // Graph refuses the whole form once; meanwhile another administrator uploads the same key
    const racing: FakeTenant = {
      ...tenant,
      entra: {
        ...tenant.entra,
        async setKeyCredentials(id, keys) {
          if (refused++ > 0) return tenant.entra.setKeyCredentials(id, keys)
          await tenant.entra.setKeyCredentials(id, keys)
          throw new TeamsOAuthError('KEY_FORM_REFUSED', 'Update to existing credential is not allowed.', {
            status: 400,
          })
        },
      },
    }
    const saved: Journal[] = []
    const events: RunEvent[] = []
    const result = await apply(stale, racing, {
      onEvent: (e) => events.push(e),
      onJournal: (j) => {
        saved.push(structuredClone(j))
      },
    })
    expect(refused).toBeGreaterThan(0)
    const first = stale.actions[0]!
    expect(events.find((e) => e.type === 'action-done' && e.step === first.step)).toMatchObject({
      changed: false,
    })
    // the backup was on file while the write was out, and is gone once nothing of ours landed
    expect(saved[0]!.entries.map((e) => [e.step, e.unconfirmed])).toEqual([[first.step, true]])
    expect(saved[1]!.entries).toEqual([])
    expect(result.journal.entries.map((e) => e.step)).not.toContain(first.step)
    expect(result.changes).toBe(stale.actions.length - 1)
  })
})
