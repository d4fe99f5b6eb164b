import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { makeTestCertificate } from './certificates'
import { graphHandlers, startFakeGraphServer } from './graph-handlers'
import { createFakeTenant, type FakeTenant } from './index'

const appId = '00000004-0000-0ff1-ce00-000000000000'
const spId = '5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9'
const certificate = makeTestCertificate({ subject: 'CN=Stored' })
const stored = {
  keyId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: Buffer.from(certificate.der).toString('base64'),
  displayName: 'CN=Stored',
  customKeyIdentifier: certificate.thumbprint,
  startDateTime: certificate.notBefore.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  endDateTime: certificate.notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z'),
}
const root = 'https://graph.microsoft.com/v1.0'
const auth = { authorization: 'Bearer test' }

function tenantWithOneKey(): FakeTenant {
  const state = createFakeTenant().state()
  state.entra.servicePrincipals = [
    { id: spId, appId, displayName: 'Skype for Business Online', keyCredentials: [stored] },
  ]
  return createFakeTenant({ state })
}

let tenant: FakeTenant
let handlers: ReturnType<typeof graphHandlers>
const server = setupServer()
// Loopback requests go to the real server under test; anything else unhandled is a mistake.
beforeAll(() =>
  server.listen({
    onUnhandledRequest: (request, print) => {
      if (new URL(request.url).hostname !== '127.0.0.1') print.error()
    },
  }),
)
afterAll(() => server.close())
afterEach(() => server.resetHandlers())
beforeEach(() => {
  tenant = tenantWithOneKey()
  handlers = graphHandlers(tenant)
  server.use(...handlers)
})

/** The parts of Graph's answers these tests look at. */
interface GraphBody {
  id: string
  keyCredentials: { key: string | null }[]
  value: { keyCredentials: unknown[] }[]
  error: { code: string; message: string; innerError: Record<string, string> }
}
const read = async (response: Response): Promise<GraphBody> => (await response.json()) as GraphBody

const select = '$select=id,appId,displayName,keyCredentials'
const patch = (id: string, body: unknown, headers: Record<string, string> = auth) =>
  fetch(`${root}/servicePrincipals/${id}`, {
    method: 'PATCH',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('graphHandlers', () => {
  it('reads one service principal by appId with key values when $select names keyCredentials', async () => {
    const response = await fetch(`${root}/servicePrincipals(appId='${appId}')?${select}`, { headers: auth })
    expect(response.status).toBe(200)
    const body = await read(response)
    expect(body).toMatchObject({ id: spId, appId, keyCredentials: [stored] })
  })

  it('reads one service principal by id with key values', async () => {
    const response = await fetch(`${root}/servicePrincipals/${spId}?${select}`, { headers: auth })
    expect((await read(response)).keyCredentials[0]?.key).toBe(stored.key)
  })

  it('returns key: null on every key of a filtered list read, as Graph does', async () => {
    const response = await fetch(`${root}/servicePrincipals?$filter=appId eq '${appId}'&${select}`, {
      headers: auth,
    })
    const body = await read(response)
    expect(body.value).toHaveLength(1)
    expect(body.value[0]?.keyCredentials).toEqual([{ ...stored, key: null }])
  })

  it("answers 404 with Graph's error body for an unknown appId", async () => {
    const other = '11111111-2222-4333-8444-555555555555'
    const response = await fetch(`${root}/servicePrincipals(appId='${other}')?${select}`, { headers: auth })
    expect(response.status).toBe(404)
    const body = await read(response)
    expect(body.error.code).toBe('Request_ResourceNotFound')
    expect(body.error.message).toMatch(
      /does not exist or one of its queried reference-property objects are not present/,
    )
    expect(body.error.innerError['request-id']).toBe(response.headers.get('request-id'))
  })

  it('answers 401 InvalidAuthenticationToken without a bearer token', async () => {
    const response = await fetch(`${root}/servicePrincipals(appId='${appId}')?${select}`)
    expect(response.status).toBe(401)
    expect((await read(response)).error.code).toBe('InvalidAuthenticationToken')
  })

  it('replaces the key collection on PATCH and answers 204', async () => {
    const fresh = makeTestCertificate({ subject: 'CN=Fresh' })
    const key = Buffer.from(fresh.der).toString('base64')
    const response = await patch(spId, {
      keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key, displayName: 'CN=Fresh' }],
    })
    expect(response.status).toBe(204)
    const keys = tenant.graph.getServicePrincipal({ id: spId })?.keyCredentials ?? []
    expect(keys.map((k) => k.key)).toEqual([key])
    expect(handlers.stats.byMethod.PATCH).toBe(1)
  })

  it("answers 400 with Graph's error shape for a null key that names no existing key, and changes nothing", async () => {
    const before = tenant.state()
    for (const keyId of [undefined, '11111111-2222-4333-8444-555555555555']) {
      const response = await patch(spId, {
        keyCredentials: [{ keyId, type: 'AsymmetricX509Cert', usage: 'Verify', key: null }],
      })
      expect(response.status).toBe(400)
      expect((await read(response)).error).toMatchObject({
        code: 'Request_BadRequest',
        message: "Invalid value specified for property 'key' of resource 'KeyCredential'.",
      })
    }
    expect(tenant.state()).toEqual(before)
    expect(tenant.changes).toEqual([])
  })

  it('loses the existing keys when a PATCH re-sends what a filtered list read returned', async () => {
    const listed = await read(
      await fetch(`${root}/servicePrincipals?$filter=appId eq '${appId}'&${select}`, { headers: auth }),
    )
    const readBack = listed.value[0]!.keyCredentials as (typeof stored & { key: null })[]
    expect(readBack).toEqual([{ ...stored, key: null }])
    const fresh = makeTestCertificate({ subject: 'CN=Fresh' })
    const added = {
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      key: Buffer.from(fresh.der).toString('base64'),
    }

    const response = await patch(spId, { keyCredentials: [...readBack, added] })
    expect(response.status).toBe(204)
    const after = await read(await fetch(`${root}/servicePrincipals/${spId}?${select}`, { headers: auth }))
    expect(after.keyCredentials.map((k) => k.key)).toEqual([added.key])
    expect(after.keyCredentials).not.toContainEqual(expect.objectContaining({ keyId: stored.keyId }))
    expect(tenant.changes).toHaveLength(1)

    // re-sending only the list read's keys empties the collection
    const again = tenantWithOneKey()
    server.resetHandlers(...graphHandlers(again))
    expect((await patch(spId, { keyCredentials: readBack })).status).toBe(204)
    expect(again.graph.getServicePrincipal({ id: spId })?.keyCredentials).toEqual([])
  })

  it('answers throttled requests with the status and Retry-After switched on', async () => {
    tenant.faults.throttle({ times: 2, status: 503, retryAfterSeconds: 7 })
    const url = `${root}/servicePrincipals/${spId}?${select}`
    const first = await fetch(url, { headers: auth })
    expect(first.status).toBe(503)
    expect(first.headers.get('retry-after')).toBe('7')
    expect((await fetch(url, { headers: auth })).status).toBe(503)
    expect((await fetch(url, { headers: auth })).status).toBe(200)
  })

  it('drops the connection of the chosen request, after applying a PATCH when asked', async () => {
    tenant.faults.dropConnection({ atRequest: 1, afterWrite: true })
    await expect(patch(spId, { keyCredentials: [] })).rejects.toThrow()
    expect(tenant.graph.getServicePrincipal({ id: spId })?.keyCredentials).toEqual([])
  })

  it('drops the connection before a PATCH applies unless asked otherwise', async () => {
    tenant.faults.dropConnection({ atRequest: 1 })
    await expect(patch(spId, { keyCredentials: [] })).rejects.toThrow()
    expect(tenant.graph.getServicePrincipal({ id: spId })?.keyCredentials).toEqual([stored])
  })

  it('counts requests by method', async () => {
    await fetch(`${root}/servicePrincipals/${spId}?${select}`, { headers: auth })
    await fetch(`${root}/servicePrincipals/${spId}?${select}`, { headers: auth })
    expect(handlers.stats.byMethod).toEqual({ GET: 2 })
    expect(handlers.stats.byMethod.PATCH).toBeUndefined()
  })
})

describe('startFakeGraphServer', () => {
  it('serves the same routes over loopback HTTP, faults included', async () => {
    const graph = await startFakeGraphServer(tenant)
    try {
      const url = `${graph.url}/v1.0/servicePrincipals(appId='${appId}')?${select}`
      expect((await read(await fetch(url, { headers: auth }))).keyCredentials).toEqual([stored])
      expect((await fetch(url)).status).toBe(401)
      tenant.faults.dropConnection({ atRequest: 1 })
      await expect(fetch(url, { headers: auth })).rejects.toThrow()
      const response = await fetch(`${graph.url}/v1.0/servicePrincipals/${spId}`, {
        method: 'PATCH',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ keyCredentials: [] }),
      })
      expect(response.status).toBe(204)
      expect(graph.stats.byMethod).toEqual({ GET: 3, PATCH: 1 })
    } finally {
      await graph.close()
    }
  })
})

describe('the Graph door and kept keys', () => {
  it('answers 400 in Graph’s words when a known keyId comes back with a property other than stored', async () => {
    const { customKeyIdentifier: _, ...changed } = stored
    const response = await patch(spId, { keyCredentials: [changed] })
    expect(response.status).toBe(400)
    expect((await read(response)).error.message).toBe(
      `Update to existing credential with KeyId '${stored.keyId}' is not allowed.`,
    )
    expect(tenant.graph.getServicePrincipal({ appId })?.keyCredentials).toEqual([stored])
  })

  it('with strictKeyCredentials, refuses a kept key sent whole and takes it as {type, usage, key, displayName}', async () => {
    const state = tenant.state()
    state.entra.strictKeyCredentials = true
    tenant = createFakeTenant({ state })
    server.resetHandlers(...graphHandlers(tenant))
    const whole = await patch(spId, { keyCredentials: [stored] })
    expect(whole.status).toBe(400)
    expect((await read(whole)).error.message).toContain(`KeyId '${stored.keyId}'`)
    const { type, usage, key, displayName } = stored
    const minimal = await patch(spId, { keyCredentials: [{ type, usage, key, displayName }] })
    expect(minimal.status).toBe(204)
    const [after] = tenant.graph.getServicePrincipal({ appId })?.keyCredentials ?? []
    expect(after).toMatchObject({
      type,
      usage,
      key,
      displayName,
      customKeyIdentifier: stored.customKeyIdentifier,
    })
    expect(after?.keyId).not.toBe(stored.keyId)
  })

  it('runs an afterGraphRequest change once, right after the request it names is served', async () => {
    let runs = 0
    tenant.faults.afterGraphRequest({ atRequest: 2, run: () => runs++ })
    await fetch(`${root}/servicePrincipals/${spId}?${select}`, { headers: auth })
    expect(runs).toBe(0)
    await fetch(`${root}/servicePrincipals/${spId}?${select}`, { headers: auth })
    await fetch(`${root}/servicePrincipals/${spId}?${select}`, { headers: auth })
    expect(runs).toBe(1)
  })
})
