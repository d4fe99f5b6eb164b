import type { KeyCredential, KeyCredentialWrite, ServicePrincipal } from '@teams-oauth/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type GraphRequestEvent, graphEntra } from './graph-entra'
import { servicePrincipalNotFoundError } from './graph-errors'

// A deliberately small Graph stand-in for this file's edge cases; the full fake runs in the contract suite.
const appId = '00000004-0000-0ff1-ce00-000000000000'
const spId = 'sp/with spaces'
const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-token-value'

const existing: KeyCredential = {
  keyId: '11111111-1111-1111-1111-111111111111',
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: Buffer.from('old certificate bytes').toString('base64'),
  displayName: 'CN=old',
  customKeyIdentifier: 'AB',
  startDateTime: '2024-01-01T00:00:00Z',
  endDateTime: '2026-01-01T00:00:00Z',
}
const added: KeyCredentialWrite = {
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: Buffer.from('new certificate bytes').toString('base64'),
  displayName: 'CN=new',
}

let sp: ServicePrincipal
let seen: { method: string; url: string; authorization: string | null; body: unknown }[]
/** Scripted answers for the next requests, in order; undefined means serve normally. */
let script: (((request: Request) => Response | undefined) | undefined)[]
let applyPatchBeforeDrop = false
let echoTokenInErrors = false

const server = setupServer(
  http.all(/^https:\/\/graph\.microsoft\.com\/v1\.0\/.*/, async ({ request }) => {
    const body = request.method === 'PATCH' ? await request.clone().json() : undefined
    seen.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.get('authorization'),
      body,
    })
    const scripted = script.shift()?.(request)
    if (scripted) {
      if (scripted.type === 'error' && request.method === 'PATCH' && applyPatchBeforeDrop) write(body)
      return scripted
    }
    if (echoTokenInErrors) {
      return HttpResponse.json(
        {
          error: {
            code: 'Authorization_RequestDenied',
            message: `denied for ${request.headers.get('authorization')}`,
          },
        },
        { status: 403, headers: { 'request-id': 'req-echo' } },
      )
    }
    const url = new URL(request.url)
    const path = decodeURIComponent(url.pathname)
    const byAppId = path === `/v1.0/servicePrincipals(appId='${appId}')`
    const byId = path === `/v1.0/servicePrincipals/${sp.id}`
    if (!byAppId && !byId) {
      return HttpResponse.json(
        { error: { code: 'Request_ResourceNotFound', message: `Resource '${path}' does not exist.` } },
        { status: 404 },
      )
    }
    if (request.method === 'GET') return HttpResponse.json({ '@odata.context': 'x', ...sp })
    write(body)
    return new HttpResponse(null, { status: 204 })
  }),
)

function write(body: unknown) {
  const keys = (body as { keyCredentials: KeyCredentialWrite[] }).keyCredentials
  sp = {
    ...sp,
    keyCredentials: keys.map((key, index) => ({
      keyId: key.keyId ?? `00000000-0000-0000-0000-00000000000${index}`,
      type: key.type,
      usage: key.usage,
      key: key.key,
      displayName: key.displayName ?? null,
      customKeyIdentifier: key.customKeyIdentifier ?? null,
      startDateTime: key.startDateTime ?? null,
      endDateTime: key.endDateTime ?? null,
    })),
  }
}

const throttled = (status: 429 | 503, retryAfter: string) => () =>
  HttpResponse.json(
    { error: { code: 'TooManyRequests', message: 'Too many requests' } },
    { status, headers: { 'retry-after': retryAfter } },
  )
const dropped = () => () => HttpResponse.error()

function client(extra: { maxAttempts?: number; maxTotalMs?: number } = {}) {
  const waits: number[] = []
  const events: GraphRequestEvent[] = []
  const entra = graphEntra({
    tokenProvider: async () => token,
    retry: extra,
    sleep: async (ms) => {
      waits.push(ms)
    },
    onRequest: (event) => events.push(event),
  })
  return { entra, waits, events }
}

const patches = () => seen.filter((request) => request.method === 'PATCH')

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())
afterEach(() => server.resetHandlers())
beforeEach(() => {
  sp = { id: spId, appId, displayName: 'Skype for Business Online', keyCredentials: [existing] }
  seen = []
  script = []
  applyPatchBeforeDrop = false
  echoTokenInErrors = false
})

describe('graphEntra reads', () => {
  it('reads one service principal by appId with $select and the bearer token', async () => {
    const { entra } = client()
    await expect(entra.getServicePrincipal(appId)).resolves.toEqual(sp)
    expect(seen).toHaveLength(1)
    const url = new URL(seen[0]?.url ?? '')
    expect(decodeURIComponent(url.pathname)).toBe(`/v1.0/servicePrincipals(appId='${appId}')`)
    expect(url.searchParams.get('$select')).toBe('id,appId,displayName,keyCredentials')
    expect(seen[0]?.authorization).toBe(`Bearer ${token}`)
  })

  it('resolves to null when Graph answers 404', async () => {
    const { entra } = client()
    await expect(entra.getServicePrincipal('22222222-2222-2222-2222-222222222222')).resolves.toBeNull()
  })

  it('refuses an appId that is not a GUID without sending anything', async () => {
    const { entra } = client()
    await expect(entra.getServicePrincipal("x') or true or ('")).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    })
    expect(seen).toHaveLength(0)
  })

  it('retries a read whose connection dropped', async () => {
    script = [dropped()]
    const { entra, waits } = client()
    await expect(entra.getServicePrincipal(appId)).resolves.toEqual(sp)
    expect(seen).toHaveLength(2)
    expect(waits).toHaveLength(1)
  })

  it('waits the seconds of Retry-After on 429 before asking again', async () => {
    script = [throttled(429, '3')]
    const { entra, waits } = client()
    await entra.getServicePrincipal(appId)
    expect(waits).toEqual([3000])
  })

  it('waits until the HTTP date of Retry-After on 503', async () => {
    const date = new Date(Date.now() + 10_000).toUTCString()
    script = [throttled(503, date)]
    const { entra, waits } = client()
    await entra.getServicePrincipal(appId)
    expect(waits).toHaveLength(1)
    expect(waits[0]).toBeGreaterThan(7000)
    expect(waits[0]).toBeLessThanOrEqual(10_000)
  })

  it('reports one event per request, with the wait before each retry', async () => {
    script = [throttled(503, '4')]
    const { entra, events } = client()
    await entra.getServicePrincipal(appId)
    expect(
      events.map(({ method, attempt, status, retryInMs }) => ({ method, attempt, status, retryInMs })),
    ).toEqual([
      { method: 'GET', attempt: 1, status: 503, retryInMs: 4000 },
      { method: 'GET', attempt: 2, status: 200, retryInMs: undefined },
    ])
  })

  it('gives up with GRAPH_THROTTLED after the maximum number of attempts', async () => {
    script = Array.from({ length: 10 }, () => throttled(429, '1'))
    const { entra } = client({ maxAttempts: 3 })
    await expect(entra.getServicePrincipal(appId)).rejects.toMatchObject({
      code: 'GRAPH_THROTTLED',
      data: { status: 429, attempts: 3 },
    })
    expect(seen).toHaveLength(3)
  })

  it('gives up with GRAPH_THROTTLED when the next wait would pass the total time limit', async () => {
    script = [throttled(429, '20'), throttled(429, '20'), throttled(429, '20')]
    const { entra, waits } = client({ maxAttempts: 10, maxTotalMs: 30_000 })
    await expect(entra.getServicePrincipal(appId)).rejects.toMatchObject({ code: 'GRAPH_THROTTLED' })
    expect(waits).toEqual([20_000])
    expect(seen).toHaveLength(2)
  })

  it('reports 401 as GRAPH_UNAUTHORIZED naming the permission and the roles', async () => {
    script = [
      () =>
        HttpResponse.json(
          { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired.' } },
          { status: 401 },
        ),
    ]
    const { entra } = client()
    const error = await entra.getServicePrincipal(appId).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'GRAPH_UNAUTHORIZED',
      data: { graphCode: 'InvalidAuthenticationToken' },
    })
    expect((error as Error).message).toMatch(/Application\.ReadWrite\.All/)
    expect((error as Error).message).toMatch(/Cloud Application Administrator/)
  })

  it('reports 403 as GRAPH_FORBIDDEN naming the permission and the roles', async () => {
    script = [
      () =>
        HttpResponse.json(
          { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' } },
          { status: 403 },
        ),
    ]
    const { entra } = client()
    const error = await entra.getServicePrincipal(appId).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'GRAPH_FORBIDDEN' })
    expect((error as Error).message).toMatch(/Application\.ReadWrite\.All/)
    expect((error as Error).message).toMatch(/Application Administrator/)
  })

  it("reports other failures with Graph's code, message and request id", async () => {
    script = [
      () =>
        HttpResponse.json(
          { error: { code: 'BadRequest', message: 'Invalid object identifier.' } },
          { status: 400, headers: { 'request-id': 'abc-123' } },
        ),
    ]
    const { entra } = client()
    const error = await entra.getServicePrincipal(appId).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'GRAPH_REQUEST_FAILED',
      data: {
        status: 400,
        graphCode: 'BadRequest',
        graphMessage: 'Invalid object identifier.',
        requestId: 'abc-123',
      },
    })
    expect((error as Error).message).toContain('abc-123')
  })
})

describe('graphEntra writes', () => {
  it('sends one PATCH with the whole collection to the URL-encoded id and leaves confirming it to the engine', async () => {
    const { entra } = client()
    await entra.setKeyCredentials(spId, [{ ...existing, key: existing.key as string }, added])
    expect(seen.map((request) => request.method)).toEqual(['PATCH'])
    expect(new URL(patches()[0]?.url ?? '').pathname).toBe('/v1.0/servicePrincipals/sp%2Fwith%20spaces')
    expect(patches()[0]?.body).toEqual({ keyCredentials: [existing, added] })
    expect(sp.keyCredentials.map((key) => key.key)).toEqual([existing.key, added.key])
  })

  it('refuses a key without a value and sends nothing', async () => {
    const { entra } = client()
    const withNull = { ...existing, key: null } as unknown as KeyCredentialWrite
    await expect(entra.setKeyCredentials(spId, [withNull, added])).rejects.toMatchObject({
      code: 'KEY_VALUE_MISSING',
      data: { index: 0, keyId: existing.keyId },
    })
    await expect(entra.setKeyCredentials(spId, [{ ...added, key: '' }])).rejects.toMatchObject({
      code: 'KEY_VALUE_MISSING',
    })
    expect(seen).toHaveLength(0)
  })

  it('fails with KEY_FORM_REFUSED, naming the keyId, when Graph will not update an existing credential', async () => {
    script = [
      () =>
        HttpResponse.json(
          {
            error: {
              code: 'Request_BadRequest',
              message: `Update to existing credential with KeyId '${existing.keyId}' is not allowed.`,
            },
          },
          { status: 400 },
        ),
    ]
    const { entra } = client()
    const before = sp
    await expect(
      entra.setKeyCredentials(spId, [{ ...existing, key: existing.key as string }, added]),
    ).rejects.toMatchObject({ code: 'KEY_FORM_REFUSED', data: { property: 'keyId', keyId: existing.keyId } })
    expect(patches()).toHaveLength(1)
    expect(sp).toBe(before)
  })

  it('fails with KEY_FORM_REFUSED when a 400 names a key credential property, and GRAPH_REQUEST_FAILED for any other 400', async () => {
    const answer = (message: string) => () =>
      HttpResponse.json({ error: { code: 'Request_BadRequest', message } }, { status: 400 })
    script = [
      answer("Invalid value specified for property 'customKeyIdentifier' of resource 'KeyCredential'."),
      answer('Invalid certificate: Key value is invalid certificate'),
    ]
    const { entra } = client()
    await expect(entra.setKeyCredentials(spId, [added])).rejects.toMatchObject({
      code: 'KEY_FORM_REFUSED',
      data: { property: 'customKeyIdentifier' },
    })
    await expect(entra.setKeyCredentials(spId, [added])).rejects.toMatchObject({
      code: 'GRAPH_REQUEST_FAILED',
      data: { status: 400 },
    })
  })

  it('refuses a redirect on a read, naming its host, and never follows it', async () => {
    script = [
      () =>
        new HttpResponse(null, { status: 302, headers: { location: 'https://graph.attacker.example/keys' } }),
    ]
    const { entra } = client()
    await expect(entra.getServicePrincipal(appId)).rejects.toMatchObject({
      code: 'GRAPH_REDIRECTED',
      data: { status: 302, locationHost: 'graph.attacker.example' },
    })
    expect(seen).toHaveLength(1)
  })

  it('refuses a redirect on a write, sends it nowhere else and does not send it again', async () => {
    script = [
      () => new HttpResponse(null, { status: 307, headers: { location: 'https://evil.example/v1.0/x' } }),
    ]
    const { entra } = client()
    const before = sp
    await expect(entra.setKeyCredentials(spId, [added])).rejects.toMatchObject({
      code: 'GRAPH_REDIRECTED',
      data: { locationHost: 'evil.example' },
    })
    expect(seen).toHaveLength(1)
    expect(sp).toBe(before)
  })

  it('retries a throttled PATCH after Retry-After', async () => {
    script = [throttled(429, '2')]
    const { entra, waits } = client()
    await entra.setKeyCredentials(spId, [added])
    expect(waits).toEqual([2000])
    expect(patches()).toHaveLength(2)
  })

  it('does not send a dropped PATCH again when the read shows the write landed', async () => {
    script = [dropped()]
    applyPatchBeforeDrop = true
    const { entra } = client()
    await entra.setKeyCredentials(spId, [added])
    expect(patches()).toHaveLength(1)
    expect(sp.keyCredentials).toHaveLength(1)
  })

  it('sends a dropped PATCH once more when the read shows the write did not land', async () => {
    script = [dropped()]
    const { entra } = client()
    await entra.setKeyCredentials(spId, [added])
    expect(patches()).toHaveLength(2)
    expect(sp.keyCredentials.map((key) => key.key)).toEqual([added.key])
  })

  it('fails after a second dropped PATCH that did not land, without a third', async () => {
    script = [dropped(), undefined, dropped()]
    const { entra } = client()
    await expect(entra.setKeyCredentials(spId, [added])).rejects.toMatchObject({
      code: 'GRAPH_REQUEST_FAILED',
    })
    expect(patches()).toHaveLength(2)
    expect(sp.keyCredentials).toEqual([existing])
  })
})

describe('the access token', () => {
  it('never appears in an error message, error data or request event', async () => {
    echoTokenInErrors = true
    const { entra, events } = client()
    const error = await entra.getServicePrincipal(appId).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'GRAPH_FORBIDDEN' })
    const everything = JSON.stringify({
      message: (error as Error).message,
      stack: (error as Error).stack,
      data: (error as { data: unknown }).data,
      events,
    })
    expect(everything).toContain('[redacted]')
    expect(everything).not.toContain(token)
    expect(everything).not.toContain('secret-token-value')
  })

  it('never appears in the error of a throttled run', async () => {
    script = Array.from(
      { length: 3 },
      () => () =>
        HttpResponse.json(
          { error: { code: 'TooManyRequests', message: `slow down ${token}` } },
          { status: 429, headers: { 'retry-after': '1' } },
        ),
    )
    const { entra, events } = client({ maxAttempts: 3 })
    const error = await entra.getServicePrincipal(appId).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'GRAPH_THROTTLED' })
    expect(
      JSON.stringify({ m: (error as Error).message, d: (error as { data: unknown }).data, events }),
    ).not.toContain(token)
  })

  it('is asked for before every request', async () => {
    let calls = 0
    const entra = graphEntra({
      tokenProvider: async () => {
        calls++
        return `${token}-${calls}`
      },
      sleep: async () => {},
    })
    await entra.getServicePrincipal(appId)
    await entra.getServicePrincipal(appId)
    expect(seen.map((request) => request.authorization)).toEqual([`Bearer ${token}-1`, `Bearer ${token}-2`])
  })

  it('turns a failing token provider into GRAPH_UNAUTHORIZED before any request', async () => {
    const entra = graphEntra({
      tokenProvider: async () => {
        throw new Error('no cached account')
      },
    })
    await expect(entra.getServicePrincipal(appId)).rejects.toMatchObject({ code: 'GRAPH_UNAUTHORIZED' })
    expect(seen).toHaveLength(0)
  })
})

describe('servicePrincipalNotFoundError', () => {
  it('says how to create the service principal on the chosen Graph host', () => {
    const error = servicePrincipalNotFoundError(appId, { baseUrl: 'https://graph.microsoft.us/v1.0/' })
    expect(error.code).toBe('SERVICE_PRINCIPAL_NOT_FOUND')
    expect(error.message).toContain(
      `POST https://graph.microsoft.us/v1.0/servicePrincipals {"appId": "${appId}"}`,
    )
    expect(error.message).toMatch(/consent/)
  })
})
