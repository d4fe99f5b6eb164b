import { createFakeTenant, type FakeTenant, scenarios } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { diagnose } from './diagnose'

const options = { profile: 'teams' as const, domain: 'contoso.com' }

/** The tenant with some reads answering nothing, as an organisation without those objects would. */
const answeringNothingTo = (tenant: FakeTenant, cmdlets: string[]): FakeTenant => ({
  ...tenant,
  exchange: {
    ...tenant.exchange,
    invoke: async (call, o) => (cmdlets.includes(call.cmdlet) ? [] : tenant.exchange.invoke(call, o)),
  },
})

describe('diagnose', () => {
  it('counts its checks, dates the report and names the organisation', async () => {
    const now = new Date('2030-03-01T00:00:00Z')
    const report = await diagnose(createFakeTenant({ now }), { ...options, now })
    expect(report.organisation).toBe('Contoso')
    expect(report.profile).toBe('teams')
    expect(report.checkedAt).toBe('2030-03-01T00:00:00.000Z')
    const counts = { pass: 0, warn: 0, fail: 0 }
    for (const c of report.checks) counts[c.status]++
    expect(report.counts).toEqual(counts)
    expect(report.ok).toBe(counts.warn === 0 && counts.fail === 0)
    expect(report.ok).toBe(false)
  })

  it('is ok once the profile is applied', async () => {
    const { apply } = await import('../apply')
    const { plan } = await import('../plan')
    const { buildRunbook } = await import('../runbook')
    const tenant = createFakeTenant()
    await apply(await plan(buildRunbook(options), tenant), tenant)
    const report = await diagnose(tenant, options)
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([])
    expect(report).toMatchObject({ ok: true, counts: { warn: 0, fail: 0 } })
  })

  it('names the organisation by the domain when Exchange names none', async () => {
    const tenant = answeringNothingTo(createFakeTenant(), ['Get-OrganizationConfig'])
    expect((await diagnose(tenant, options)).organisation).toBe('contoso.com')
  })

  it('checks the accounts it is given', async () => {
    const report = await diagnose(createFakeTenant(), { ...options, accounts: { teams: 'Sched' } })
    expect(report.checks.map((c) => c.id)).toContain('mailUser.Sched')
    expect(report.checks.find((c) => c.id === 'mailUser.Sched')?.step).toBe('mailUser.Sched')
  })

  it('reports a step it could not check, by the code of its error', async () => {
    const report = await diagnose(createFakeTenant(scenarios.missingServicePrincipal()), options)
    const failed = report.checks.find((c) => c.id === 'entra.key.7557eb47-c689-4224-abcf-aef9bd7573df')!
    expect(failed.status).toBe('fail')
    expect(failed.evidence[0]).toMatch(/^the service principal of Teams Calendar Scheduler/)
    expect(failed.explanation).toBe(
      'This step could not be checked (SERVICE_PRINCIPAL_NOT_FOUND); fix what the evidence names first.',
    )
  })

  it('fails the hybrid check when Exchange has no auth server', async () => {
    const report = await diagnose(createFakeTenant(scenarios.noAuthServer()), options)
    expect(report.checks.find((c) => c.id === 'hybrid.authServer')).toMatchObject({
      status: 'fail',
      evidence: ['no auth server'],
    })
  })

  it('checks the delegate pair when both are named, and the cloud when a Graph URL is', async () => {
    const tenant = createFakeTenant()
    const plain = await diagnose(tenant, options)
    expect(plain.checks.map((c) => c.id)).not.toContain('delegate.rights')
    expect(plain.checks.map((c) => c.id)).not.toContain('cloud.support')
    const half = await diagnose(tenant, { ...options, delegate: 'bob' })
    expect(half.checks.map((c) => c.id)).not.toContain('delegate.rights')

    const report = await diagnose(tenant, {
      ...options,
      delegate: 'bob',
      delegator: 'alice',
      graphUrl: 'https://graph.microsoft.us',
    })
    expect(report.checks.find((c) => c.id === 'delegate.rights')?.status).toBe('pass')
    expect(report.checks.find((c) => c.id === 'cloud.support')).toMatchObject({
      title: 'Microsoft supports the feature in GCC High (US Government L4)',
      status: 'warn',
      evidence: ['Graph: graph.microsoft.us'],
      fix: 'No command fixes this: it is a limit of the service (see "How Exchange and Microsoft Teams interact").',
    })
    const global = await diagnose(tenant, { ...options, graphUrl: 'https://graph.microsoft.com' })
    expect(global.checks.find((c) => c.id === 'cloud.support')).toMatchObject({
      status: 'pass',
      fix: null,
      explanation: null,
    })
  })

  it('has no build check when Exchange lists no server', async () => {
    const tenant = answeringNothingTo(createFakeTenant(), ['Get-ExchangeServer'])
    expect((await diagnose(tenant, options)).checks.map((c) => c.id)).not.toContain('exchange.build')
    expect((await diagnose(createFakeTenant(), options)).checks.map((c) => c.id)).toContain('exchange.build')
  })
})
