import { rollback } from '@teams-oauth/core'
import { isExpired } from '@teams-oauth/core/adapter'
import { createFakeTenant, type FakeTenant } from '@teams-oauth/fakes'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphTargets, keysOf, planAndApply } from './graph-run'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

const strictTenant = (): FakeTenant => {
  const state = createFakeTenant().state()
  state.entra.strictKeyCredentials = true
  return createFakeTenant({ state })
}
const bytes = (keys: { key: string | null }[]) => keys.map((k) => k.key).sort()

describe('the form kept keys are sent in', () => {
  it('is the whole form when Graph takes it: one PATCH, every kept key keeps its keyId, and apply says so', async () => {
    const tenant = createFakeTenant()
    const { targets, stats } = graphTargets(tenant, server)
    const before = keysOf(tenant)
    const run = await planAndApply(targets)
    expect(run.error).toBeNull()
    expect(stats.byMethod.PATCH).toBe(1)
    for (const key of before) expect(keysOf(tenant)).toContainEqual(key)
    const entry = run.journal.entries.find((e) => e.action.system === 'entra')
    expect(entry?.result).toMatchObject({ keyForm: 'whole' })
    const done = run.events.find((e) => e.type === 'action-done' && e.action.system === 'entra')
    expect(done).toMatchObject({ note: expect.stringContaining('kept keys sent whole') })
  })

  it('with strictKeyCredentials, succeeds on the first run in the minimal form, keeps every key’s bytes and says which form it used', async () => {
    const tenant = strictTenant()
    const { targets, stats } = graphTargets(tenant, server)
    const before = keysOf(tenant)
    const run = await planAndApply(targets)
    expect(run.error).toBeNull()
    // the whole form refused (nothing written), then the minimal form taken
    expect(stats.byMethod.PATCH).toBe(2)
    const after = keysOf(tenant)
    expect(after).toHaveLength(before.length + 1)
    expect(bytes(after)).toEqual(expect.arrayContaining(bytes(before)))
    const entry = run.journal.entries.find((e) => e.action.system === 'entra')
    expect(entry?.result).toMatchObject({ keyForm: 'minimal', rereads: 0 })
    expect(entry?.unconfirmed).toBeUndefined()
    const done = run.events.find((e) => e.type === 'action-done' && e.action.system === 'entra')
    expect(done).toMatchObject({
      note: expect.stringMatching(/minimal form \{type, usage, key, displayName\}: same bytes, new keyIds/),
    })
    const again = await planAndApply(targets)
    expect(again.error).toBeNull()
    expect(again.journal.entries).toEqual([])
  })

  it('with strictKeyCredentials, rollback takes the certificate off again and keeps the other keys’ bytes', async () => {
    const tenant = strictTenant()
    const { targets } = graphTargets(tenant, server)
    const before = keysOf(tenant)
    const run = await planAndApply(targets)
    expect(run.error).toBeNull()
    await rollback(run.journal, targets)
    expect(bytes(keysOf(tenant))).toEqual(bytes(before))
  })
})

describe('expired keys Graph will not take back', () => {
  /** A Graph that refuses any PATCH still carrying an expired certificate, in either form. */
  const refusingExpired = (tenant: FakeTenant) => {
    const expired = keysOf(tenant).filter((k) => isExpired(k, new Date()))
    const handler = http.patch(/\/v1\.0\/servicePrincipals\//, async ({ request }) => {
      const body = (await request.clone().json()) as { keyCredentials: { key: string }[] }
      if (!body.keyCredentials.some((k) => expired.some((e) => e.key === k.key))) return undefined
      return HttpResponse.json(
        {
          error: {
            code: 'Request_BadRequest',
            message: "Invalid value specified for property 'endDateTime' of resource 'KeyCredential'.",
          },
        },
        { status: 400 },
      )
    })
    return { expired, handler }
  }

  it('are never dropped without --drop-expired-keys: apply fails saying to use it, and nothing is written', async () => {
    const tenant = createFakeTenant()
    const { expired, handler } = refusingExpired(tenant)
    expect(expired.length).toBeGreaterThan(0)
    const { targets } = graphTargets(tenant, server, [handler])
    const before = tenant.state().entra
    const run = await planAndApply(targets)
    expect(run.error).toMatchObject({
      code: 'KEY_FORM_REFUSED',
      data: { expiredKeyIds: expired.map((k) => k.keyId) },
    })
    expect(run.error?.message).toContain('--drop-expired-keys')
    expect(tenant.state().entra).toEqual(before)
  })

  it('are left out when the plan was made with --drop-expired-keys, and every other key is kept', async () => {
    const tenant = createFakeTenant()
    const { expired, handler } = refusingExpired(tenant)
    const { targets } = graphTargets(tenant, server, [handler])
    const valid = keysOf(tenant).filter((k) => !expired.some((e) => e.keyId === k.keyId))
    const run = await planAndApply(targets, { dropExpiredKeys: true })
    expect(run.error).toBeNull()
    const after = keysOf(tenant)
    for (const key of valid) expect(after).toContainEqual(key)
    expect(after.some((k) => expired.some((e) => e.key === k.key))).toBe(false)
    expect(after).toHaveLength(valid.length + 1)
  })
})
