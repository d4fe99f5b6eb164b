import { type KeyCredentialWrite, keepKey, type ServicePrincipal } from '@teams-oauth/core'
import { createFakeTenant, type FakeTenant, graphHandlers, makeTestCertificate } from '@teams-oauth/fakes'
import fc from 'fast-check'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphEntra } from '../src/graph-entra'

const appId = '00000004-0000-0ff1-ce00-000000000000'
const spId = '9d8c7b6a-5f4e-4d3c-8b2a-190817263544'
const pool = Array.from({ length: 6 }, (_, index) =>
  makeTestCertificate({ subject: `CN=Key ${index}`, notBefore: new Date(Date.UTC(2024, index, 1)) }),
)
const candidate = makeTestCertificate({ subject: 'CN=New auth certificate' })
const base64 = (der: Uint8Array) => Buffer.from(der).toString('base64')
/** Graph prints dates without milliseconds. */
const graphDate = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

function tenantWith(keyIndexes: number[]): FakeTenant {
  const state = createFakeTenant().state()
  state.entra.servicePrincipals = [
    {
      id: spId,
      appId,
      displayName: 'Skype for Business Online',
      keyCredentials: keyIndexes.map((index, position) => {
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
      }),
    },
  ]
  return createFakeTenant({ state })
}

const newKey: KeyCredentialWrite = {
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: base64(candidate.der),
  displayName: candidate.subject,
  startDateTime: candidate.notBefore.toISOString(),
  endDateTime: candidate.notAfter.toISOString(),
}

type Fault =
  | { kind: 'throttle'; times: number; status: 429 | 503 }
  | { kind: 'drop'; atRequest: number; afterWrite: boolean }

const faultArbitrary: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({
    kind: fc.constant('throttle' as const),
    times: fc.integer({ min: 1, max: 4 }),
    status: fc.constantFrom(429 as const, 503 as const),
  }),
  fc.record({
    kind: fc.constant('drop' as const),
    atRequest: fc.integer({ min: 1, max: 5 }),
    afterWrite: fc.boolean(),
  }),
)

/** The run the engine does: read one object, keep every key, add the certificate once, one write. */
async function upload(
  readFromList: boolean,
  onRead: (read: ServicePrincipal) => void = () => {},
): Promise<void> {
  const entra = graphEntra({
    tokenProvider: async () => 'property-token',
    retry: { maxAttempts: 3, maxTotalMs: 10_000 },
    sleep: async () => {},
  })
  const read = await entra.getServicePrincipal(appId)
  if (!read) throw new Error('service principal missing')
  onRead(read)
  let existing = read.keyCredentials
  if (readFromList) {
    // The fragile way: a filtered list read, whose keys come back without values.
    const response = await fetch(
      `https://graph.microsoft.com/v1.0/servicePrincipals?$filter=appId eq '${appId}'&$select=id,keyCredentials`,
      { headers: { authorization: 'Bearer property-token' } },
    )
    if (!response.ok) throw new Error(`list read answered ${response.status}`)
    existing = ((await response.json()) as { value: ServicePrincipal[] }).value[0]?.keyCredentials ?? []
  }
  if (!existing.some((key) => key.customKeyIdentifier === candidate.thumbprint)) {
    await entra.setKeyCredentials(read.id, [...existing.map(keepKey), newKey])
  }
}

describe('uploading a certificate through Graph under faults', () => {
  it('never loses a pre-existing key, and restoring the backup gives the backup exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { maxLength: 4 }),
        fc.array(faultArbitrary, { maxLength: 3 }),
        fc.boolean(),
        async (keyIndexes, faults, readFromList) => {
          const tenant = tenantWith(keyIndexes)
          const handlers = graphHandlers(tenant)
          server.resetHandlers(...handlers)
          const before = tenant.graph.getServicePrincipal({ appId })
          const keptKeys = () => tenant.graph.getServicePrincipal({ appId })?.keyCredentials ?? []
          const assertNothingLost = () => {
            for (const key of before?.keyCredentials ?? []) expect(keptKeys()).toContainEqual(key)
          }

          for (const fault of faults) {
            if (fault.kind === 'throttle')
              tenant.faults.throttle({ times: fault.times, status: fault.status })
            else tenant.faults.dropConnection({ atRequest: fault.atRequest, afterWrite: fault.afterWrite })
          }

          // The backup is the first read that succeeded: what a rollback restores.
          const first: { read: ServicePrincipal | null } = { read: null }
          const keepBackup = (read: ServicePrincipal) => {
            first.read ??= read
          }
          let firstRunSucceeded = false
          try {
            await upload(readFromList, keepBackup)
            firstRunSucceeded = true
          } catch (error) {
            assertNothingLost()
            if (readFromList && (error as { code?: string }).code === 'KEY_VALUE_MISSING') {
              // Refused before sending: a list read's null keys must never reach a PATCH.
              expect(handlers.stats.byMethod.PATCH).toBeUndefined()
              return
            }
            tenant.faults.reset()
            await upload(false, keepBackup)
          }
          if (firstRunSucceeded && readFromList && (before?.keyCredentials.length ?? 0) > 0) {
            expect.unreachable('a list read with keys must be refused')
          }
          assertNothingLost()
          const after = keptKeys()
          expect(after.filter((key) => key.key === newKey.key)).toHaveLength(1)
          expect(after).toHaveLength((before?.keyCredentials.length ?? 0) + 1)

          tenant.faults.reset()
          const restore = graphEntra({ tokenProvider: async () => 'property-token', sleep: async () => {} })
          if (!first.read) throw new Error('no read succeeded')
          await restore.setKeyCredentials(spId, first.read.keyCredentials.map(keepKey))
          expect(tenant.graph.getServicePrincipal({ appId })).toEqual(before)
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('uploading while Graph throttles', () => {
  it('completes after waiting out each Retry-After, with a bounded number of requests', async () => {
    const tenant = tenantWith([0, 1])
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
    const read = await entra.getServicePrincipal(appId)
    if (!read) throw new Error('service principal missing')
    await entra.setKeyCredentials(read.id, [...read.keyCredentials.map(keepKey), newKey])
    expect(waits).toEqual([2000, 2000, 2000])
    expect(handlers.stats.total).toBe(6)
    expect(handlers.stats.byMethod.PATCH).toBe(1)
    expect(tenant.graph.getServicePrincipal({ appId })?.keyCredentials).toHaveLength(3)
  })
})
