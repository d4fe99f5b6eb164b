import { emptyJournal, rollback } from '@teams-oauth/core'
import { keepKey } from '@teams-oauth/core/adapter'
import { createFakeTenant, type FakeTenant, makeTestCertificate } from '@teams-oauth/fakes'
import { graphHandlers } from '@teams-oauth/fakes/graph'
import fc from 'fast-check'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphEntra } from '../src/graph-entra'
import { graphTargets, keysOf, planAndApply, sfbAppId } from './graph-run'

const pool = Array.from({ length: 6 }, (_, index) =>
  makeTestCertificate({ subject: `CN=Key ${index}`, notBefore: new Date(Date.UTC(2024, index, 1)) }),
)
const base64 = (der: Uint8Array) => Buffer.from(der).toString('base64')
/** Graph prints dates without milliseconds. */
const graphDate = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

/** The default organisation, its Skype for Business Online service principal holding the pool's keys. */
function tenantWith(keyIndexes: number[], strictKeyCredentials: boolean): FakeTenant {
  const state = createFakeTenant().state()
  const sp = state.entra.servicePrincipals.find((p) => p.appId === sfbAppId)
  if (!sp) throw new Error('no Skype for Business Online service principal in the default state')
  sp.keyCredentials = [...new Set(keyIndexes)].map((index, position) => {
    const certificate = pool[index] as (typeof pool)[number]
    return {
      keyId: `0000000${position}-0000-4000-8000-00000000000${index}`,
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      key: base64(certificate.der),
      displayName: certificate.subject,
      customKeyIdentifier: certificate.thumbprint,
      startDateTime: graphDate(certificate.notBefore),
      endDateTime: graphDate(certificate.notAfter),
    }
  })
  state.entra.strictKeyCredentials = strictKeyCredentials
  return createFakeTenant({ state })
}

type Fault =
  | { kind: 'throttle'; times: number; status: 429 | 503 }
  | { kind: 'drop'; atRequest: number; afterWrite: boolean }
  /** From the n-th GET of apply on, Graph answers as a filtered list read does: every key without its value. */
  | { kind: 'valuesMissing'; fromGet: number }

const faultArbitrary: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({
    kind: fc.constant('throttle' as const),
    times: fc.integer({ min: 1, max: 4 }),
    status: fc.constantFrom(429 as const, 503 as const),
  }),
  fc.record({
    kind: fc.constant('drop' as const),
    atRequest: fc.integer({ min: 1, max: 6 }),
    afterWrite: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('valuesMissing' as const), fromGet: fc.integer({ min: 1, max: 3 }) }),
)

/** Handlers in front of the Graph door: they record every PATCH body and, when armed, strip key values from reads. */
function watching(tenant: FakeTenant) {
  const patches: { keyCredentials: { key?: unknown }[] }[] = []
  const strip = { fromGet: Number.POSITIVE_INFINITY, gets: 0 }
  const handlers = [
    http.patch('https://graph.microsoft.com/v1.0/*', async ({ request }) => {
      patches.push((await request.clone().json()) as (typeof patches)[number])
      return undefined
    }),
    http.get('https://graph.microsoft.com/v1.0/*', () => {
      if (++strip.gets < strip.fromGet) return undefined
      const sp = tenant.graph.getServicePrincipal({ appId: sfbAppId })
      return HttpResponse.json({
        ...sp,
        keyCredentials: sp?.keyCredentials.map((k) => ({ ...k, key: null })),
      })
    }),
  ]
  return { handlers, patches, strip }
}

const bytes = (keys: { key: string | null }[]) => keys.map((k) => k.key).sort()

describe('apply over graphEntra and the Graph door, under faults', () => {
  it('never sends a key without its value, never loses a key, converges on a rerun, and rollback restores the keys', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { maxLength: 4 }),
        fc.array(faultArbitrary, { maxLength: 3 }),
        fc.boolean(),
        async (keyIndexes, faults, strict) => {
          const tenant = tenantWith(keyIndexes, strict)
          const watch = watching(tenant)
          const { targets } = graphTargets(tenant, server, watch.handlers)
          const before = keysOf(tenant)
          const assertNothingLost = () => {
            const now = keysOf(tenant)
            if (strict) expect(bytes(now)).toEqual(expect.arrayContaining(bytes(before)))
            else for (const key of before) expect(now).toContainEqual(key)
          }
          const journal = emptyJournal()
          const first = await planAndApply(targets, {}, journal, () => {
            watch.strip.gets = 0
            for (const fault of faults) {
              if (fault.kind === 'throttle')
                tenant.faults.throttle({ times: fault.times, status: fault.status })
              else if (fault.kind === 'drop')
                tenant.faults.dropConnection({ atRequest: fault.atRequest, afterWrite: fault.afterWrite })
              else watch.strip.fromGet = Math.min(watch.strip.fromGet, fault.fromGet)
            }
          })
          for (const body of watch.patches)
            for (const key of body.keyCredentials)
              expect(typeof key.key === 'string' && key.key !== '').toBe(true)
          assertNothingLost()
          if (first.error) {
            const valuesMissing = faults.some((f) => f.kind === 'valuesMissing')
            if (first.error.code === 'KEY_VALUE_MISSING')
              expect(valuesMissing && before.length > 0).toBe(true)
            tenant.faults.reset()
            watch.strip.fromGet = Number.POSITIVE_INFINITY
            const rerun = await planAndApply(targets, {}, journal)
            expect(rerun.error).toBeNull()
          }
          assertNothingLost()
          const after = keysOf(tenant)
          const added = after.filter((k) => !before.some((b) => b.key === k.key))
          expect(added).toHaveLength(1)
          expect(after).toHaveLength(before.length + 1)

          await rollback(journal, targets)
          if (strict) expect(bytes(keysOf(tenant))).toEqual(bytes(before))
          else expect(keysOf(tenant)).toEqual(before)
        },
      ),
      { numRuns: 40 },
    )
  })
})

describe('graphEntra while Graph throttles', () => {
  it('completes a write after waiting out each Retry-After, with a bounded number of requests', async () => {
    const tenant = tenantWith([0, 1], false)
    const handlers = graphHandlers(tenant)
    server.resetHandlers(...handlers)
    tenant.faults.throttle({ times: 3, status: 429, retryAfterSeconds: 2 })
    const waits: number[] = []
    const entra = graphEntra({
      tokenProvider: async () => 'token',
      retry: { maxAttempts: 5, maxTotalMs: 60_000 },
      sleep: async (ms) => {
        waits.push(ms)
      },
    })
    const read = await entra.getServicePrincipal(sfbAppId)
    if (!read) throw new Error('service principal missing')
    const added = {
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      key: base64(pool[5]?.der ?? new Uint8Array()),
    }
    await entra.setKeyCredentials(read.id, [...read.keyCredentials.map(keepKey), added])
    expect(waits).toEqual([2000, 2000, 2000])
    // three throttled answers, then the read and the PATCH
    expect(handlers.stats.total).toBe(5)
    expect(handlers.stats.byMethod.PATCH).toBe(1)
    expect(keysOf(tenant)).toHaveLength(3)
  })
})
