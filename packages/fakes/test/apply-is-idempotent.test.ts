import { apply, buildRunbook, plan, profileNames, verify } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { createFakeTenant } from '../src/index'

describe.each(profileNames)('profile %s on the fake tenant', (profile) => {
  it('applies, then plans zero actions, verifies, and a second apply writes nothing', async () => {
    const tenant = createFakeTenant()
    const runbook = buildRunbook({ profile, domain: 'contoso.com' })
    const first = await apply(await plan(runbook, tenant), tenant)
    expect(first.changes).toBeGreaterThan(0)
    expect(tenant.changes.length).toBeGreaterThanOrEqual(first.changes)

    const again = await plan(runbook, tenant)
    expect(again.actions).toEqual([])
    const writes = tenant.changes.length
    const second = await apply(again, tenant)
    expect(second.changes).toBe(0)
    expect(tenant.changes.length).toBe(writes)

    const report = await verify(runbook, tenant)
    expect(report.steps.filter((s) => s.status !== 'ok')).toEqual([])
    expect(report.ok).toBe(true)
  })
})

describe('verify', () => {
  it('reports each step not yet in place as drift, with what it wants and what it found', async () => {
    const tenant = createFakeTenant()
    const report = await verify(buildRunbook({ profile: 'teams', domain: 'contoso.com' }), tenant)
    expect(report.ok).toBe(false)
    const partner = report.steps.find((s) => s.id === 'partnerApplication.TeamsScheduler')
    expect(partner).toMatchObject({ status: 'drift', actual: 'absent' })
    expect(report.steps.find((s) => s.id === 'exchange.authCertificate')?.status).toBe('ok')
  })

  it('keeps the existing keys of every service principal, byte for byte', async () => {
    const tenant = createFakeTenant()
    const appIds = [
      '00000004-0000-0ff1-ce00-000000000000',
      '7557eb47-c689-4224-abcf-aef9bd7573df',
      'db7de2b5-2149-435e-8043-e080dd50afae',
    ]
    const before = await Promise.all(appIds.map((id) => tenant.entra.getServicePrincipal(id)))
    const runbook = buildRunbook({ profile: 'all', domain: 'contoso.com' })
    await apply(await plan(runbook, tenant), tenant)
    for (const [i, appId] of appIds.entries()) {
      const after = await tenant.entra.getServicePrincipal(appId)
      for (const key of before[i]!.keyCredentials) expect(after!.keyCredentials).toContainEqual(key)
      expect(after!.keyCredentials.length).toBe(before[i]!.keyCredentials.length + 1)
    }
  })
})
