import { apply, buildRunbook, plan, type TeamsOAuthError, verify } from '@teams-oauth/core'
import { keyMatches } from '@teams-oauth/core/adapter'
import { describe, expect, it } from 'vitest'
import { createFakeTenant, scenarios } from '../src/index'

const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com' })

describe("Exchange's own auth certificate", () => {
  it('when expired, blocks the plan: verify reports drift, apply refuses before any change', async () => {
    const tenant = createFakeTenant(scenarios.expiredAuthCertificate())
    const planned = await plan(runbook, tenant)
    expect(planned.blocked.map((b) => b.step)).toContain('exchange.authCertificate')
    expect(planned.blocked.find((b) => b.step === 'exchange.authCertificate')?.reason).toContain(
      'New-ExchangeCertificate',
    )
    const report = await verify(runbook, tenant)
    expect(report.ok).toBe(false)
    expect(report.steps.find((s) => s.id === 'exchange.authCertificate')).toMatchObject({ status: 'drift' })
    const error = await apply(planned, tenant).then(
      () => null,
      (e: unknown) => e,
    )
    expect((error as TeamsOAuthError).code).toBe('PLAN_BLOCKED')
    expect(tenant.changes).toEqual([])
  })

  it('is uploaded with its renewed successor, also when the current one comes from a file', async () => {
    const tenant = createFakeTenant(scenarios.nextCertificateNotUploaded())
    const [config] = await tenant.exchange.invoke({ cmdlet: 'Get-AuthConfig', params: {} })
    const current = await tenant.exchange.exportCertificate(String(config!.CurrentCertificateThumbprint))
    const fromFile = buildRunbook({ profile: 'teams', domain: 'contoso.com', certificate: current! })
    await apply(await plan(fromFile, tenant), tenant)
    const sp = await tenant.entra.getServicePrincipal('7557eb47-c689-4224-abcf-aef9bd7573df')
    for (const thumbprint of [config!.CurrentCertificateThumbprint, config!.NextCertificateThumbprint])
      expect(sp!.keyCredentials.filter((k) => keyMatches(k, String(thumbprint)))).toHaveLength(1)
    expect((await verify(fromFile, tenant)).ok).toBe(true)
  })
})
