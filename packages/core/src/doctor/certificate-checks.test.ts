import { createFakeTenant, type FakeSeed, scenarios } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { authCertificateRenewal } from '../certificate'
import { certificateChecks } from './certificate-checks'

const now = new Date('2030-03-01T00:00:00Z')
const options = { profile: 'teams' as const, domain: 'contoso.com', now }
const apply = 'teams-oauth apply --profile teams --domain contoso.com'

const checksOf = async (seed: FakeSeed, extra: { targets?: string } = {}) =>
  certificateChecks(createFakeTenant({ ...seed, now }), { ...options, ...extra })

const withAuthConfig = (change: Record<string, string | null>, base: FakeSeed = {}): FakeSeed =>
  scenarios.combine(base, {
    customize: (state) => {
      Object.assign(state.exchange.authConfig, change)
    },
  })

describe("doctor's auth certificate check", () => {
  it.each([
    [365, 'pass'],
    [60, 'pass'],
    [59, 'warn'],
    [30, 'warn'],
    [29, 'fail'],
    [0, 'fail'],
  ] as const)('rates a certificate with %i days left %s, as Health Checker does', async (days, status) => {
    const [current] = await checksOf(scenarios.authCertificateExpiringIn(days))
    expect(current).toMatchObject({ id: 'authCertificate', title: 'Exchange auth certificate', status })
    const expiry = new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10)
    expect(current!.evidence[0]).toMatch(/^[0-9A-F]{40}, CN=Microsoft Exchange Server Auth Certificate/)
    expect(current!.evidence[1]).toBe(`expires on ${expiry}, in ${days} day(s)`)
  })

  it('says to stage the next certificate when one expires soon, within the tier it is in', async () => {
    const [warn] = await checksOf(scenarios.authCertificateExpiringIn(45))
    expect(warn!.fix).toBe(authCertificateRenewal('valid', apply))
    expect(warn!.explanation).toMatch(/^It expires within 60 days: stage the next one/)
    const [fail] = await checksOf(scenarios.authCertificateExpiringIn(10))
    expect(fail!.fix).toBe(authCertificateRenewal('valid', apply))
    expect(fail!.explanation).toMatch(/^It expires within 30 days: /)
  })

  it('says to renew an expired certificate at once', async () => {
    const [expired] = await checksOf(scenarios.expiredAuthCertificate())
    expect(expired!.status).toBe('fail')
    expect(expired!.evidence[1]).toBe('expired on 2030-02-19')
    expect(expired!.fix).toBe(authCertificateRenewal('expired', apply))
    expect(expired!.explanation).toBe(
      'An expired auth certificate breaks every OAuth call between Exchange and Microsoft 365.',
    )
  })

  it('names the targets of the run in the apply it asks for', async () => {
    const [check] = await checksOf(scenarios.authCertificateExpiringIn(10), { targets: '--exchange pwsh' })
    expect(check!.fix).toContain(
      'then run teams-oauth apply --profile teams --domain contoso.com --exchange pwsh,',
    )
  })

  it('fails when the certificate Get-AuthConfig names is in no store, naming it', async () => {
    const missing = 'ab'.repeat(20)
    const [check] = await checksOf(withAuthConfig({ currentCertificateThumbprint: missing }))
    expect(check).toMatchObject({ id: 'authCertificate', status: 'fail' })
    expect(check!.evidence).toEqual([
      `${missing.toUpperCase()} named by Get-AuthConfig is in no certificate store`,
    ])
    expect(check!.fix).toBe(
      `Find the certificate (Get-ExchangeCertificate -Server <each server> -Thumbprint ${missing.toUpperCase()}) and import it where it is missing, or renew it: ${authCertificateRenewal('expired', apply)}`,
    )
    expect(check!.explanation).toBe('Without the auth certificate Exchange can neither sign nor be trusted.')
  })

  it('fails when Get-AuthConfig names no current certificate', async () => {
    const [check] = await checksOf(withAuthConfig({ currentCertificateThumbprint: null }))
    expect(check!.status).toBe('fail')
    expect(check!.evidence).toEqual(['Get-AuthConfig names no current certificate'])
    expect(check!.fix).toBe(authCertificateRenewal('expired', apply))
  })

  it('has no check of a next certificate when none is named', async () => {
    const checks = await checksOf({})
    expect(checks.map((c) => c.id)).toEqual(['authCertificate'])
  })

  it('passes a next certificate held in a store, with its effective date', async () => {
    const checks = await checksOf(scenarios.nextCertificateNotUploaded(20))
    const next = checks.find((c) => c.id === 'authCertificate.next')
    expect(next).toMatchObject({ title: 'Next auth certificate', status: 'pass', fix: null })
    expect(next!.evidence).toEqual([
      expect.stringMatching(/^[0-9A-F]{40} effective 2030-03-21T00:00:00.000Z$/),
      'in the certificate store',
    ])
  })

  it('fails a next certificate no server holds, saying to import it or stage another', async () => {
    const missing = 'cd'.repeat(20)
    const checks = await checksOf(
      withAuthConfig({ nextCertificateThumbprint: missing, nextCertificateEffectiveDate: null }),
    )
    const next = checks.find((c) => c.id === 'authCertificate.next')!
    expect(next.status).toBe('fail')
    expect(next.evidence).toEqual([`${missing.toUpperCase()} effective (no date)`, 'in no certificate store'])
    expect(next.fix).toBe(
      `Import the next certificate ${missing.toUpperCase()} on every Exchange server, or stage another: ${authCertificateRenewal('valid', apply)}`,
    )
    expect(next.explanation).toBe('Get-AuthConfig names a next certificate that no Exchange server holds.')
  })
})
