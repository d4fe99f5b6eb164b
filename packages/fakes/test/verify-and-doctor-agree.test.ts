import {
  apply,
  buildRunbook,
  type DoctorReport,
  diagnose,
  type ProfileName,
  plan,
  type VerifyReport,
  verify,
} from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { createFakeTenant, type FakeSeed, type FakeTenant, scenarios } from '../src/index'

const profiles: ProfileName[] = ['teams', 'sfbonline', 'all']
const pair = { delegate: 'bob', delegator: 'alice' }

/** Every scenario the fakes offer, each with its defaults (a small large organisation). */
const every: [string, () => FakeSeed][] = Object.entries(scenarios).flatMap(([name, make]) => {
  if (name === 'combine') return []
  if (name === 'largeOrganisation') return [[name, () => scenarios.largeOrganisation({ mailboxes: 12 })]]
  return [[name, make as () => FakeSeed]]
})

/** The CLI's exit code for each report (DESIGN: 0 in the desired state, 3 not). */
const exitOf = (report: { ok: boolean }) => (report.ok ? 0 : 3)

/**
 * verify's steps and doctor's checks of them are one verdict: every step has one check naming it,
 * which passes exactly when the step is ok and fails otherwise; no check names a step verify lacks.
 */
function expectAgreement(verified: VerifyReport, doctor: DoctorReport) {
  const named = doctor.checks.filter((c) => c.step)
  expect(named.map((c) => c.step)).toEqual(verified.steps.map((s) => s.id))
  for (const step of verified.steps) {
    const check = named.find((c) => c.step === step.id)
    expect({ step: step.id, status: check?.status }).toEqual({
      step: step.id,
      status: step.status === 'ok' ? 'pass' : 'fail',
    })
  }
  // doctor checks more than verify: it may find more wrong, never less
  if (exitOf(verified) === 3) expect(exitOf(doctor)).toBe(3)
  if (exitOf(doctor) === 0) expect(exitOf(verified)).toBe(0)
}

const judge = async (tenant: FakeTenant, profile: ProfileName) => {
  const runbook = buildRunbook({ profile, domain: 'contoso.com', delegate: pair })
  const verified = await verify(runbook, tenant)
  const doctor = await diagnose(tenant, { profile, domain: 'contoso.com', ...pair })
  return { runbook, verified, doctor }
}

describe('verify and doctor agree on every fake organisation', () => {
  describe.each(every)('%s', (_name, seed) => {
    it.each(profiles)('profile %s, as found and once apply has run', async (profile) => {
      const tenant = createFakeTenant(seed())
      const found = await judge(tenant, profile)
      expectAgreement(found.verified, found.doctor)
      const planned = await plan(found.runbook, tenant).catch(() => null)
      if (!planned || planned.blocked.length > 0) return
      await apply(planned, tenant)
      const applied = await judge(tenant, profile)
      expectAgreement(applied.verified, applied.doctor)
    })
  })

  it('a missing service principal is a failed step of verify and a failed check of doctor, both naming it', async () => {
    const appId = '7557eb47-c689-4224-abcf-aef9bd7573df'
    const tenant = createFakeTenant(scenarios.missingServicePrincipal(appId))
    const { verified, doctor } = await judge(tenant, 'teams')
    const step = verified.steps.find((s) => s.id === `entra.key.${appId}`)
    expect(step).toMatchObject({
      status: 'failed',
      error: { code: 'SERVICE_PRINCIPAL_NOT_FOUND' },
      actual: expect.stringContaining(`New-MgServicePrincipal -AppId ${appId}`),
    })
    // the other steps are still checked, the other service principals included
    expect(verified.steps.filter((s) => s.status === 'failed').map((s) => s.id)).toEqual([
      `entra.key.${appId}`,
    ])
    expect(verified.steps.map((s) => s.id)).toContain('entra.key.00000004-0000-0ff1-ce00-000000000000')
    expect(doctor.checks.find((c) => c.step === step?.id)).toMatchObject({
      status: 'fail',
      evidence: [step?.actual],
    })
    expectAgreement(verified, doctor)
  })

  it('a fully configured organisation passes both', async () => {
    const tenant = createFakeTenant(scenarios.fresh())
    await apply(
      await plan(buildRunbook({ profile: 'all', domain: 'contoso.com', delegate: pair }), tenant),
      tenant,
    )
    const { verified, doctor } = await judge(tenant, 'all')
    expect(verified.ok).toBe(true)
    expect(doctor.checks.filter((c) => c.status !== 'pass')).toEqual([])
  })
})
