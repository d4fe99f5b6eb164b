import { apply, buildRunbook, emptyJournal, plan, rollback, type TeamsOAuthError } from '@teams-oauth/core'
import { createFakeTenant, scenarios } from '@teams-oauth/fakes'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { standIn } from './stand-in'

const pwsh = pwshTestGate()
const runbook = buildRunbook({ profile: 'all', domain: 'contoso.com' })

describe.runIf(pwsh.run)('an Exchange write whose answer dies with the pwsh session', () => {
  const stand = standIn(pwsh.executable)

  it('at every write position, in an organisation with a hand-made TeamsSchedulerRole: the rerun ends as an uninterrupted run, and rollback restores the start', async () => {
    const start = createFakeTenant(scenarios.adminMadeSchedulerRole()).state()
    const reference = createFakeTenant({ state: start })
    await apply(await plan(runbook, reference), reference)
    const end = reference.state()
    const positions = reference.changes.filter((c) => c.system === 'exchange').length
    expect(positions).toBeGreaterThan(10)
    for (let n = 1; n <= positions; n++) {
      const current = stand.use(createFakeTenant({ state: start }))
      const targets = { exchange: stand.connection, entra: current.entra }
      const journal = emptyJournal()
      const planned = await plan(runbook, targets)
      current.faults.loseAnswer({ atExchangeWrite: n, killSession: true })
      const error = await apply(planned, targets, { journal }).then(
        () => null,
        (e: unknown) => e,
      )
      expect((error as TeamsOAuthError).code, `write ${n}`).toBe('POWERSHELL_CRASHED')
      // the change that landed is journaled whatever became of the answer
      expect(journal.entries.filter((e) => e.action.system === 'exchange').length, `write ${n}`).toBe(n)
      await apply(await plan(runbook, targets), targets, { journal })
      expect(current.state(), `write ${n}`).toEqual(end)
      expect(
        journal.entries.some((e) => e.unconfirmed),
        `write ${n}`,
      ).toBe(false)
      await rollback(journal, targets)
      expect(current.state(), `write ${n}`).toEqual(start)
    }
  }, 600_000)
})
