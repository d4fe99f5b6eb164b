import type { KeyCredentialWrite } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { empty, graphError, json, scriptedEntra, token } from '../test/scripted-fetch'

// How graphEntra talks HTTP to Graph, with each answer scripted: the headers it sends, what it
// retries and how long it waits (Retry-After, else backoff), and what it says when it gives up.
const appId = '00000004-0000-0ff1-ce00-000000000000'
const root = 'https://graph.microsoft.com/v1.0'
const readUrl = `${root}/servicePrincipals(appId='${appId}')?$select=id,appId,displayName,keyCredentials`
const sp = { id: 'sp-1', appId, displayName: 'Skype for Business Online', keyCredentials: [] }
const key: KeyCredentialWrite = {
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: Buffer.from('certificate bytes').toString('base64'),
  displayName: 'CN=new',
}
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe('what graphEntra sends', () => {
  it('a read: the bearer token, JSON accepted, a fresh client-request-id, no body, redirects not followed, a time limit', async () => {
    const { entra, sent } = scriptedEntra([json(200, sp)])
    await entra.getServicePrincipal(appId)
    const [request] = sent
    expect(request?.method).toBe('GET')
    expect(request?.url).toBe(readUrl)
    expect(request?.headers.get('authorization')).toBe(`Bearer ${token}`)
    expect(request?.headers.get('accept')).toBe('application/json')
    expect(request?.headers.get('client-request-id')).toMatch(guid)
    expect(request?.headers.has('content-type')).toBe(false)
    expect(request?.body).toBeUndefined()
    expect(request?.redirect).toBe('manual')
    expect(request?.signal).toBeInstanceOf(AbortSignal)
  })

  it('a write: the collection as JSON', async () => {
    const { entra, sent } = scriptedEntra([empty(204)])
    await entra.setKeyCredentials('sp-1', [key])
    const [request] = sent
    expect(request?.method).toBe('PATCH')
    expect(request?.url).toBe(`${root}/servicePrincipals/sp-1`)
    expect(request?.headers.get('content-type')).toBe('application/json')
    expect(request?.headers.get('authorization')).toBe(`Bearer ${token}`)
    expect(JSON.parse(request?.body ?? '')).toEqual({ keyCredentials: [key] })
  })

  it('a new client-request-id with every attempt', async () => {
    const { entra, sent } = scriptedEntra([graphError(503, 'ServiceUnavailable', 'Busy.'), json(200, sp)])
    await entra.getServicePrincipal(appId)
    const ids = sent.map((request) => request.headers.get('client-request-id'))
    expect(ids[0]).not.toBe(ids[1])
  })
})

describe("Graph's request id, for a support case", () => {
  const failed = async (answer: Response) => {
    const { entra, events } = scriptedEntra([answer])
    const error = await entra.getServicePrincipal(appId).catch((e: unknown) => e)
    return { error, event: events[0] }
  }

  it('is the request-id header', async () => {
    const { error, event } = await failed(graphError(500, 'X', 'y', { 'request-id': 'from-header' }))
    expect(error).toMatchObject({ data: { requestId: 'from-header' } })
    expect(event?.requestId).toBe('from-header')
  })

  it('else the request-id of the error body', async () => {
    const body = { error: { code: 'X', message: 'y', innerError: { 'request-id': 'from-body' } } }
    const { error } = await failed(json(500, body, { 'client-request-id': 'echoed' }))
    expect(error).toMatchObject({ data: { requestId: 'from-body' } })
  })

  it('else the client-request-id Graph echoes', async () => {
    const { error } = await failed(graphError(500, 'X', 'y', { 'client-request-id': 'echoed' }))
    expect(error).toMatchObject({ data: { requestId: 'echoed' } })
  })

  it('is null, and so are the code and message, for an answer without a body', async () => {
    const { error } = await failed(empty(500))
    expect(error).toMatchObject({
      data: { status: 500, graphCode: null, graphMessage: null, requestId: null },
    })
  })

  it('is null when Graph gives none', async () => {
    const { error, event } = await failed(graphError(500, 'X', 'y'))
    expect(error).toMatchObject({ data: { requestId: null } })
    expect(event?.requestId).toBeNull()
  })
})

describe('retries', () => {
  it('back off 1, 2, 4, 8, 16 s and then 30 s at most when Graph gives no Retry-After', async () => {
    const script = Array.from({ length: 8 }, () => graphError(503, 'ServiceUnavailable', 'Busy.'))
    const { entra, waits, sent } = scriptedEntra(script, { retry: { maxAttempts: 8, maxTotalMs: 600_000 } })
    const error = await entra.getServicePrincipal(appId).catch((e: unknown) => e)
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000])
    expect(sent).toHaveLength(8)
    expect(error).toMatchObject({
      code: 'GRAPH_THROTTLED',
      data: { status: 503, attempts: 8, retryAfterMs: null },
    })
    expect((error as Error).message).toBe(
      `Microsoft Graph kept answering 503 to GET ${readUrl} after 8 attempt(s) in 91 s (limits: 8 attempts, 600 s). ` +
        'Nothing more was sent; run again later.',
    )
  })

  it("say how long Graph still asked to wait, with Graph's code, message and request id", async () => {
    const throttled = () =>
      graphError(429, 'TooManyRequests', 'Slow down.', { 'retry-after': '1.5', 'request-id': 'r-429' })
    const { entra } = scriptedEntra([throttled(), throttled()], { retry: { maxAttempts: 2 } })
    const error = await entra.getServicePrincipal(appId).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'GRAPH_THROTTLED',
      data: {
        method: 'GET',
        url: readUrl,
        status: 429,
        attempts: 2,
        retryAfterMs: 1500,
        graphCode: 'TooManyRequests',
        graphMessage: 'Slow down.',
        requestId: 'r-429',
      },
    })
    expect((error as Error).message).toContain(
      'after 2 attempt(s) in 2 s (limits: 2 attempts, 120 s). Graph asked to wait 2 s more. Nothing more was sent',
    )
  })

  it('end with null for what Graph said when a throttled answer has no body', async () => {
    const { entra } = scriptedEntra([empty(429)], { retry: { maxAttempts: 1 } })
    await expect(entra.getServicePrincipal(appId)).rejects.toMatchObject({
      code: 'GRAPH_THROTTLED',
      data: { status: 429, graphCode: null, graphMessage: null },
    })
  })

  it('wait as long as the time limit allows, and no longer', async () => {
    const throttled = () => graphError(429, 'TooManyRequests', 'Slow down.', { 'retry-after': '10' })
    const { entra, waits, sent } = scriptedEntra([throttled(), throttled(), throttled()], {
      retry: { maxAttempts: 10, maxTotalMs: 20_000 },
    })
    await expect(entra.getServicePrincipal(appId)).rejects.toMatchObject({ code: 'GRAPH_THROTTLED' })
    expect(waits).toEqual([10_000, 10_000])
    expect(sent).toHaveLength(3)
  })

  it('really wait when no sleep is given', async () => {
    const { entra } = scriptedEntra(
      [graphError(429, 'TooManyRequests', 'Slow down.', { 'retry-after': '0.05' }), json(200, sp)],
      { sleep: undefined },
    )
    const started = performance.now()
    await entra.getServicePrincipal(appId)
    expect(performance.now() - started).toBeGreaterThanOrEqual(40)
  })

  it('send a request at least once, whatever the limits', async () => {
    const { entra, sent } = scriptedEntra([graphError(429, 'TooManyRequests', 'Slow down.')], {
      retry: { maxAttempts: 0, maxTotalMs: -5000 },
    })
    const error = await entra.getServicePrincipal(appId).catch((e: unknown) => e)
    expect(sent).toHaveLength(1)
    expect((error as Error).message).toContain('after 1 attempt(s) in 0 s (limits: 1 attempts, 0 s).')
  })

  it.each([502, 504])('send a read again after a gateway answered %i', async (status) => {
    const { entra, sent } = scriptedEntra([graphError(status, 'Gateway', 'Timed out.'), json(200, sp)])
    await expect(entra.getServicePrincipal(appId)).resolves.toMatchObject({ id: 'sp-1' })
    expect(sent).toHaveLength(2)
  })

  it('of a read a gateway kept failing end with that answer', async () => {
    const { entra } = scriptedEntra(
      [graphError(502, 'BadGateway', 'No.'), graphError(502, 'BadGateway', 'No.')],
      {
        retry: { maxAttempts: 2 },
      },
    )
    await expect(entra.getServicePrincipal(appId)).rejects.toMatchObject({
      code: 'GRAPH_REQUEST_FAILED',
      data: { status: 502, graphCode: 'BadGateway' },
    })
  })

  it('are not made for an answer that is neither throttling nor a gateway failure', async () => {
    const { entra, sent } = scriptedEntra([graphError(500, 'InternalServerError', 'Broke.')])
    await expect(entra.getServicePrincipal(appId)).rejects.toMatchObject({ data: { status: 500 } })
    expect(sent).toHaveLength(1)
  })
})

describe('a dropped connection', () => {
  it('of a read is sent again, and after the last attempt reported with the reason, the token redacted', async () => {
    const drop = () => new Error(`socket hang up (Bearer ${token})`)
    const { entra, sent, events } = scriptedEntra([drop(), drop(), drop()], { retry: { maxAttempts: 3 } })
    const error = await entra.getServicePrincipal(appId).catch((e: unknown) => e)
    expect(sent).toHaveLength(3)
    expect(error).toMatchObject({
      code: 'GRAPH_REQUEST_FAILED',
      data: {
        method: 'GET',
        url: readUrl,
        status: null,
        attempts: 3,
        reason: 'socket hang up (Bearer [redacted])',
      },
    })
    expect((error as Error).message).toBe(
      `Microsoft Graph could not be reached: GET ${readUrl} lost its connection (socket hang up (Bearer [redacted])) ` +
        'after 3 attempt(s) in 3 s (limits: 3 attempts, 120 s).',
    )
    expect(events.map(({ status, requestId }) => ({ status, requestId }))).toEqual([
      { status: null, requestId: null },
      { status: null, requestId: null },
      { status: null, requestId: null },
    ])
  })

  it('keeps the reason fetch gave when it was not an Error', async () => {
    const { entra } = scriptedEntra(['ECONNRESET'], { retry: { maxAttempts: 1 } })
    await expect(entra.getServicePrincipal(appId)).rejects.toMatchObject({ data: { reason: 'ECONNRESET' } })
  })

  it('is what a request that outlasts the request time limit becomes', async () => {
    const hang = (request: { signal: AbortSignal | null | undefined }) =>
      new Promise<Response>((_, reject) => {
        request.signal?.addEventListener('abort', () => reject(request.signal?.reason))
      })
    const { entra, sent, events } = scriptedEntra([hang, json(200, sp)], { requestTimeoutMs: 20 })
    await expect(entra.getServicePrincipal(appId)).resolves.toMatchObject({ id: 'sp-1' })
    expect(sent).toHaveLength(2)
    expect(events[0]?.status).toBeNull()
  })
})

describe('request events', () => {
  it('carry the wait only when the request is sent again, and how long each took', async () => {
    const { entra, events } = scriptedEntra([
      graphError(429, 'TooManyRequests', 'Slow.', { 'retry-after': '2' }),
      json(200, sp),
    ])
    await entra.getServicePrincipal(appId)
    expect(events).toHaveLength(2)
    expect(events[0]).toMatchObject({ method: 'GET', url: readUrl, attempt: 1, status: 429, retryInMs: 2000 })
    expect(events[1]).toMatchObject({ attempt: 2, status: 200 })
    expect(events[1]).not.toHaveProperty('retryInMs')
    for (const event of events) {
      expect(event.durationMs).toBeGreaterThanOrEqual(0)
      expect(event.durationMs).toBeLessThan(10_000)
    }
  })

  it('report the redirect that stopped a request', async () => {
    const { entra, events } = scriptedEntra([empty(301, { location: 'https://elsewhere.example/' })])
    await expect(entra.getServicePrincipal(appId)).rejects.toMatchObject({ code: 'GRAPH_REDIRECTED' })
    expect(events).toMatchObject([{ attempt: 1, status: 301 }])
  })
})

describe('the 3xx range', () => {
  it.each([300, 304, 308])('is refused as a redirect: %i', async (status) => {
    const { entra, sent } = scriptedEntra([empty(status)])
    await expect(entra.getServicePrincipal(appId)).rejects.toMatchObject({
      code: 'GRAPH_REDIRECTED',
      data: { status, locationHost: null },
    })
    expect(sent).toHaveLength(1)
  })
})

describe('the token provider', () => {
  it.each([
    ['an empty token', ''],
    ['a token of spaces', '   '],
    ['no token', undefined],
  ])('returning %s is GRAPH_UNAUTHORIZED before any request', async (_, value) => {
    const { entra, sent } = scriptedEntra([], { tokenProvider: async () => value as string })
    await expect(entra.getServicePrincipal(appId)).rejects.toMatchObject({
      code: 'GRAPH_UNAUTHORIZED',
      message: 'The token provider returned no access token for Microsoft Graph.',
    })
    expect(sent).toHaveLength(0)
  })

  it('failing says why, an Error or not', async () => {
    const failing = (reason: unknown) =>
      scriptedEntra([], {
        tokenProvider: async () => {
          throw reason
        },
      }).entra
    await expect(failing(new Error('no cached account')).getServicePrincipal(appId)).rejects.toMatchObject({
      code: 'GRAPH_UNAUTHORIZED',
      message: 'Could not get an access token for Microsoft Graph: no cached account',
      data: { reason: 'no cached account' },
    })
    await expect(failing('interaction required').getServicePrincipal(appId)).rejects.toMatchObject({
      data: { reason: 'interaction required' },
    })
  })
})
