import { type AuditScope, auditDelegates, type DelegateFinding, type ExchangePort } from '@teams-oauth/core'
import { createFakeTenant, type FakeTenant, scenarios } from '@teams-oauth/fakes'
import { startFakeExchangeServer } from '@teams-oauth/fakes/pwsh'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectExchange } from '../src/connect'
import { connectExchangePool, type ExchangePoolPort } from '../src/pool'
import { withThrottlingRetry } from '../src/retry'

const pwsh = pwshTestGate()

const collect = async (findings: AsyncIterable<DelegateFinding>) => {
  const all: DelegateFinding[] = []
  for await (const finding of findings) all.push(finding)
  return all
}
const counts = (findings: DelegateFinding[]) => {
  const c = { ok: 0, warn: 0, fail: 0 }
  for (const f of findings) c[f.verdict]++
  return c
}

describe.runIf(pwsh.run)('the delegate audit through a pool of real pwsh sessions and the stand-in', () => {
  const org = scenarios.largeOrganisation({ mailboxes: 240, delegatorsShare: 0.25, seed: 3 })
  let tenant: FakeTenant
  let door: Awaited<ReturnType<typeof startFakeExchangeServer>>
  let pool: ExchangePoolPort
  const retries: string[] = []
  let exchange: ExchangePort

  beforeAll(async () => {
    tenant = createFakeTenant(org)
    door = await startFakeExchangeServer(tenant)
    pool = await connectExchangePool({
      mode: 'module',
      modulePath: door.modulePath,
      moduleArguments: [door.url],
      executable: pwsh.executable,
      concurrency: 2,
    })
    exchange = withThrottlingRetry(pool, {
      baseDelayMs: 5,
      onRetry: (event) => retries.push(`${event.cmdlet} #${event.attempt} after ${event.delayMs} ms`),
    })
  }, 120_000)
  afterAll(async () => {
    await pool?.close()
    await door?.close()
  })

  for (const scope of ['delegators', 'all'] as AuditScope[]) {
    it(`finds exactly the ground truth of each verdict in the ${scope} scope`, async () => {
      const findings = await collect(auditDelegates({ exchange }, { scope, concurrency: 2 }))
      expect(counts(findings)).toEqual(org.truth[scope])
      expect(new Set(findings.map((f) => f.calendar))).toEqual(
        new Set(['Calendar', 'Kalender', 'Calendrier', '予定表']),
      )
    }, 120_000)
  }

  it("retries reads that Exchange's throttling policy turned away, and still finds the ground truth", async () => {
    retries.length = 0
    tenant.faults.throttleCmdlets({ times: 3, retryAfterMs: 20 })
    const findings = await collect(auditDelegates({ exchange }, { scope: 'delegators', concurrency: 2 }))
    expect(counts(findings)).toEqual(org.truth.delegators)
    expect(retries).toHaveLength(3)
    expect(retries.every((r) => Number(/after (\d+) ms$/.exec(r)?.[1]) >= 20)).toBe(true)
  }, 120_000)

  it('runs every printed fix through the stand-in, after which every pair is ok', async () => {
    const before = await collect(auditDelegates({ exchange }, { scope: 'all', concurrency: 2 }))
    const fixes = before.filter((f) => f.verdict !== 'ok').flatMap((f) => f.fix)
    expect(fixes.length).toBeGreaterThan(50)
    // the printed text itself, as an admin pastes it into the Exchange Management Shell
    const shell = await connectExchange({
      mode: 'module',
      modulePath: door.modulePath,
      moduleArguments: [door.url],
      executable: pwsh.executable,
    })
    try {
      await shell.session.run({ script: `${fixes.join('\n')}\n`, timeoutMs: 120_000 })
    } finally {
      await shell.close()
    }
    const after = await collect(auditDelegates({ exchange }, { scope: 'all', concurrency: 2 }))
    expect(counts(after)).toEqual({ ok: before.length, warn: 0, fail: 0 })
  }, 180_000)
})
