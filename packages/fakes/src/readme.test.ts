import { apply, buildRunbook, plan, verify } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { createFakeTenant, scenarios } from './index'

describe("the README's example", () => {
  it('configures the teams profile on a legacy-only tenant, verifies it, and restores the state', async () => {
    const tenant = createFakeTenant(scenarios.legacyOnly())
    const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com' })
    const planned = await plan(runbook, tenant)
    await apply(planned, tenant)
    const report = await verify(runbook, tenant)
    expect(report.ok).toBe(true)
    const [app] = await tenant.exchange.invoke({
      cmdlet: 'Get-PartnerApplication',
      params: { Identity: 'TeamsScheduler' },
    })
    expect(app?.['LinkedAccount']).toBe('contoso.com/Users/TeamsScheduler')
    expect(tenant.changes.length).toBeGreaterThan(0)
    const restored = createFakeTenant({ state: JSON.parse(JSON.stringify(tenant.state())) })
    expect((await verify(runbook, restored)).ok).toBe(true)
  })
})
