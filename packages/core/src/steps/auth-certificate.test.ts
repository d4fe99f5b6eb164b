import { readFileSync } from 'node:fs'
import { createFakeTenant, type FakeSeed, type FakeTenant, scenarios } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { authCertificateRenewal, parseCertificate } from '../certificate'
import type { ValidInput } from '../input'
import { authCertificate, authCertificateBlockedFix } from './auth-certificate'
import type { StepContext } from './step'

const step = { kind: 'authCertificate' as const, id: 'exchange.authCertificate' }
const now = new Date('2030-03-01T00:00:00Z')
const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url))

const context = (tenant: FakeTenant, input: Partial<ValidInput> = {}): StepContext => ({
  input: input as ValidInput,
  targets: tenant,
  now,
  certificates: [],
  accounts: {},
})

const tenantOf = (seed: FakeSeed = {}) => createFakeTenant({ ...seed, now })
const withAuthConfig = (change: Record<string, string | null>, base: FakeSeed = {}): FakeSeed =>
  scenarios.combine(base, {
    customize: (state) => {
      Object.assign(state.exchange.authConfig, change)
    },
  })

async function decided(seed: FakeSeed = {}, input: Partial<ValidInput> = {}) {
  const tenant = tenantOf(seed)
  const ctx = context(tenant, input)
  const observed = await authCertificate.observe(step, ctx)
  return { observed, decision: authCertificate.decide(step, observed, ctx) }
}

describe('the auth certificate step', () => {
  it('is titled as Exchange names it', () => {
    expect(authCertificate.title(step)).toBe('Exchange auth certificate')
  })

  it("provides Exchange's current certificate to upload, and describes it", async () => {
    const { observed, decision } = await decided()
    expect(observed).toMatchObject({ source: 'exchange', problem: null, next: null })
    const current = observed.current!
    expect(decision).toEqual({
      actions: [],
      desired: 'a valid auth certificate',
      actual: `current ${current.thumbprint} (valid until ${current.notAfter.toISOString().slice(0, 10)})`,
      notes: [],
      provides: { certificates: [{ role: 'current', certificate: current }] },
    })
  })

  it('is blocked when Get-AuthConfig names no current certificate', async () => {
    const { observed, decision } = await decided(withAuthConfig({ currentCertificateThumbprint: '' }))
    expect(observed.current).toBeNull()
    expect(observed.configured.current).toBeNull()
    expect(decision).toEqual({
      actions: [],
      desired: 'a valid auth certificate',
      actual: 'none usable',
      blocked: `Exchange has no current auth certificate (Get-AuthConfig names none): ${authCertificateBlockedFix}, or pass --certificate <file>`,
    })
    expect(authCertificateBlockedFix).toBe(`renew it (${authCertificateRenewal('expired')})`)
  })

  it('is blocked when the certificate Get-AuthConfig names is in no store', async () => {
    const missing = 'AB'.repeat(20)
    const { decision } = await decided(withAuthConfig({ currentCertificateThumbprint: missing }))
    expect(decision.blocked).toBe(
      `the auth certificate ${missing} named by Get-AuthConfig is in no Exchange server's certificate store: export it where it is and pass --certificate <file>`,
    )
    expect(decision.actual).toBe('none usable')
  })

  it("is blocked by an expired certificate of Exchange's, naming the day", async () => {
    const { decision } = await decided(scenarios.expiredAuthCertificate())
    expect(decision.actual).toMatch(/^current [0-9A-F]{40} expired on 2030-02-19$/)
    expect(decision.blocked).toMatch(/^Exchange's auth certificate [0-9A-F]{40} cannot be used: renew it \(/)
  })

  it('warns to stage the next certificate when the current one expires within 60 days', async () => {
    const soon = await decided(scenarios.authCertificateExpiringIn(59))
    expect(soon.decision.notes).toEqual([
      `the auth certificate ${soon.observed.current!.thumbprint} expires in 59 day(s): stage the next one now (${authCertificateRenewal('valid')})`,
    ])
    expect((await decided(scenarios.authCertificateExpiringIn(60))).decision.notes).toEqual([])
  })

  it('uploads a next certificate held in a store too, and then stops warning', async () => {
    const { observed, decision } = await decided(
      scenarios.combine(scenarios.authCertificateExpiringIn(20), scenarios.nextCertificateNotUploaded(10)),
    )
    const next = observed.next!
    expect(next.thumbprint).not.toBe(observed.current!.thumbprint)
    expect(decision.notes).toEqual([])
    expect(decision.provides?.certificates?.map((c) => [c.role, c.certificate.thumbprint])).toEqual([
      ['current', observed.current!.thumbprint],
      ['next', next.thumbprint],
    ])
    expect(decision.actual).toBe(
      `current ${observed.current!.thumbprint} (valid until ${observed.current!.notAfter.toISOString().slice(0, 10)}); next ${next.thumbprint} (valid until ${next.notAfter.toISOString().slice(0, 10)})`,
    )
  })

  it('says so when Get-AuthConfig names a next certificate no store holds', async () => {
    const missing = 'CD'.repeat(20)
    const { decision } = await decided(withAuthConfig({ nextCertificateThumbprint: missing }))
    expect(decision.notes).toEqual([`the next auth certificate ${missing} is in no certificate store`])
    expect(decision.provides?.certificates).toHaveLength(1)
  })

  it("refuses a certificate from a file that is not Exchange's, unless told to upload it anyway", async () => {
    const file = fixture('chain.pem')
    const thumbprint = parseCertificate(file).thumbprint
    const { observed, decision } = await decided({}, { certificate: file })
    expect(observed.source).toBe('file')
    const configured = observed.configured.current
    const which = `the certificate from the file (${thumbprint}) is neither Exchange's current auth certificate (${configured}) nor its next (none)`
    expect(decision).toEqual({
      actions: [],
      desired: 'a valid auth certificate',
      actual: `file ${thumbprint}, not Exchange's`,
      blocked: `${which}: leave out --certificate to upload Exchange's own, or export the right one (Get-AuthConfig names its thumbprint); --any-certificate uploads this one anyway`,
    })
    const anyway = await decided({}, { certificate: file, anyCertificate: true })
    expect(anyway.decision.blocked).toBeUndefined()
    expect(anyway.decision.notes).toEqual([`${which}; uploaded anyway (--any-certificate)`])
    expect(anyway.decision.provides?.certificates?.[0]?.certificate.thumbprint).toBe(thumbprint)
  })

  it("accepts a file holding Exchange's own certificate, named in any case", async () => {
    const tenant = tenantOf()
    const [config] = await tenant.exchange.invoke({ cmdlet: 'Get-AuthConfig', params: {} })
    const current = String(config!.CurrentCertificateThumbprint)
    const der = tenant.exportCertificate(current)!
    const lower = tenantOf(withAuthConfig({ currentCertificateThumbprint: current.toLowerCase() }))
    const ctx = context(lower, { certificate: der })
    const decision = authCertificate.decide(step, await authCertificate.observe(step, ctx), ctx)
    expect(decision.blocked).toBeUndefined()
    expect(decision.notes).toEqual([])
  })

  it('refuses an expired certificate from a file outright', async () => {
    await expect(decided({}, { certificate: fixture('expired.pem') })).rejects.toMatchObject({
      code: 'CERTIFICATE_INVALID',
    })
  })
})
