import {
  apply,
  buildRunbook,
  type CmdletCall,
  type ExchangePort,
  emptyJournal,
  type Journal,
  plan,
  rollback,
  TeamsOAuthError,
} from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { createFakeTenant, type FakeSeed, type FakeTenant, scenarios } from '../src/index'

const runbook = buildRunbook({ profile: 'all', domain: 'contoso.com' })

const organisations: [string, () => FakeSeed][] = [
  ['the default organisation', scenarios.fresh],
  [
    'an organisation where the admin had already made TeamsSchedulerRole',
    () => scenarios.adminMadeSchedulerRole(),
  ],
]

const exchangeWrites = (tenant: FakeTenant) => tenant.changes.filter((c) => c.system === 'exchange').length

/** An Exchange session that dies with the lost answer: every later call fails, read-backs included. */
function dyingSession(tenant: FakeTenant): ExchangePort {
  let dead = false
  return {
    ...tenant.exchange,
    async invoke(call: CmdletCall) {
      if (dead) throw new TeamsOAuthError('POWERSHELL_CRASHED', 'the PowerShell session is gone')
      try {
        return await tenant.exchange.invoke(call)
      } catch (error) {
        if ((error as TeamsOAuthError).data?.lostAnswer) dead = true
        throw error
      }
    },
  }
}

async function resumeAndRollBack(
  tenant: FakeTenant,
  journal: Journal,
  end: unknown,
  start: unknown,
  label: string,
) {
  await apply(await plan(runbook, tenant), tenant, { journal })
  expect((await plan(runbook, tenant)).actions, label).toEqual([])
  expect(tenant.state(), label).toEqual(end)
  expect(
    journal.entries.some((e) => e.unconfirmed),
    label,
  ).toBe(false)
  await rollback(journal, tenant)
  expect(tenant.state(), label).toEqual(start)
}

describe.each(organisations)(
  'an Exchange write whose answer is lost after it landed, in %s',
  (_name, seed) => {
    const start = createFakeTenant(seed()).state()

    it('is journaled before it is sent and read back: at every write position a rerun ends as an uninterrupted run, and rollback restores the start', async () => {
      const fresh = createFakeTenant({ state: start })
      await apply(await plan(runbook, fresh), fresh)
      const end = fresh.state()
      const positions = exchangeWrites(fresh)
      expect(positions).toBeGreaterThan(10)
      for (let n = 1; n <= positions; n++) {
        const tenant = createFakeTenant({ state: start })
        tenant.faults.loseAnswer({ atExchangeWrite: n })
        const journal = emptyJournal()
        const failure = await apply(await plan(runbook, tenant), tenant, { journal }).then(
          () => null,
          (error: unknown) => error,
        )
        expect(failure, `write ${n}`).toBeInstanceOf(TeamsOAuthError)
        // read back in the same run: the change that landed is in the journal, confirmed, with its undo
        const last = journal.entries.at(-1)
        expect(last?.unconfirmed, `write ${n}`).toBeUndefined()
        expect(journal.entries.filter((e) => e.action.system === 'exchange').length, `write ${n}`).toBe(n)
        await resumeAndRollBack(tenant, journal, end, start, `write ${n}`)
      }
    })

    it('when the session dies with the answer, stays unconfirmed, is read back by the next run, and rollback restores the start', async () => {
      const fresh = createFakeTenant({ state: start })
      await apply(await plan(runbook, fresh), fresh)
      const end = fresh.state()
      const positions = exchangeWrites(fresh)
      for (let n = 1; n <= positions; n++) {
        const tenant = createFakeTenant({ state: start })
        tenant.faults.loseAnswer({ atExchangeWrite: n })
        const journal = emptyJournal()
        const targets = { exchange: dyingSession(tenant), entra: tenant.entra }
        await expect(
          apply(await plan(runbook, targets), targets, { journal }),
          `write ${n}`,
        ).rejects.toThrow()
        expect(journal.entries.at(-1)?.unconfirmed, `write ${n}`).toBe(true)
        await resumeAndRollBack(tenant, journal, end, start, `write ${n}`)
      }
    })
  },
)

/** A session that dies on the first call of `cmdlet`: the call reaches Exchange, no answer comes back, nothing after. */
function sessionDyingAt(tenant: FakeTenant, cmdlet: string): ExchangePort {
  let dead = false
  const crashed = () => new TeamsOAuthError('POWERSHELL_CRASHED', 'the PowerShell session is gone')
  return {
    ...tenant.exchange,
    async invoke(call: CmdletCall) {
      if (dead) throw crashed()
      if (call.cmdlet !== cmdlet) return tenant.exchange.invoke(call)
      dead = true
      await tenant.exchange.invoke(call).catch(() => {})
      throw crashed()
    },
  }
}

describe('rollback of a journal whose last Exchange write was never confirmed', () => {
  it.each([true, false])(
    'reads it back first (landed: %s): a mail user that landed is removed by the Guid read back, one that did not is left alone',
    async (landed) => {
      const tenant = createFakeTenant()
      const start = tenant.state()
      const journal = emptyJournal()
      if (!landed) tenant.faults.failWrite(1)
      const targets = { exchange: sessionDyingAt(tenant, 'New-MailUser'), entra: tenant.entra }
      await expect(apply(await plan(runbook, targets), targets, { journal })).rejects.toThrow()
      expect(journal.entries.at(-1)).toMatchObject({ unconfirmed: true, action: { cmdlet: 'New-MailUser' } })
      const { undone } = await rollback(journal, tenant)
      expect(undone.filter((u) => !u.skipped).map((u) => u.action)).toEqual(
        landed ? [expect.objectContaining({ cmdlet: 'Remove-MailUser' })] : [],
      )
      expect(tenant.state()).toEqual(start)
    },
  )
})
