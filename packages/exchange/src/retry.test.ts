import { auditDelegates, type DelegateFinding } from '@teams-oauth/core'
import { createFakeTenant, scenarios } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { withThrottlingRetry } from './retry'

const collect = async (findings: AsyncIterable<DelegateFinding>) => {
  const all: DelegateFinding[] = []
  for await (const finding of findings) all.push(finding)
  return all
}

describe('reads retried on Exchange throttling', () => {
  it('backs off exponentially, never shorter than Exchange asks, and the audit misses nothing', async () => {
    const org = scenarios.largeOrganisation({ mailboxes: 200, delegatorsShare: 0.3, seed: 5 })
    const tenant = createFakeTenant(org)
    const waits: number[] = []
    const exchange = withThrottlingRetry(tenant.exchange, {
      baseDelayMs: 100,
      sleep: async (ms) => {
        waits.push(ms)
      },
    })
    tenant.faults.throttleCmdlets({ times: 4, retryAfterMs: 150 })
    const findings = await collect(auditDelegates({ exchange }, { concurrency: 1 }))
    // the first call (Get-Mailbox) meets all four throttles in a row
    expect(waits).toEqual([150, 200, 400, 800])
    const verdicts = { ok: 0, warn: 0, fail: 0 }
    for (const f of findings) verdicts[f.verdict]++
    expect(verdicts).toEqual(org.truth.delegators)
  })

  it('gives up after the retries it was given, with Exchange’s own error', async () => {
    const tenant = createFakeTenant()
    const exchange = withThrottlingRetry(tenant.exchange, { retries: 2, sleep: async () => {} })
    tenant.faults.throttleCmdlets({ times: 3 })
    await expect(exchange.invoke({ cmdlet: 'Get-Mailbox', params: { Identity: 'alice' } })).rejects.toThrow(
      /user load quota/,
    )
  })

  it('never retries a write, which the journal must see fail', async () => {
    const tenant = createFakeTenant()
    const waits: number[] = []
    const exchange = withThrottlingRetry(tenant.exchange, { sleep: async (ms) => void waits.push(ms) })
    tenant.faults.throttleCmdlets({ times: 1 })
    await expect(
      exchange.invoke({ cmdlet: 'Set-CASMailbox', params: { Identity: 'alice', EwsEnabled: false } }),
    ).rejects.toThrow(/user load quota/)
    expect(waits).toEqual([])
    const [cas] = await exchange.invoke({ cmdlet: 'Get-CASMailbox', params: { Identity: 'alice' } })
    expect(cas?.EwsEnabled).toBeNull()
  })
})
