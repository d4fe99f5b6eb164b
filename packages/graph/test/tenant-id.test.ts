import { createFakeTenant } from '@teams-oauth/fakes'
import { graphHandlers } from '@teams-oauth/fakes/graph'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphEntra, tenantIdOfToken } from '../src/graph-entra'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

const tenantId = '5e7c2f1a-9b3d-4c8e-a6f0-1d2b3c4e5f60'
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const jwt = (claims: Record<string, unknown>) =>
  `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.signature`

describe("graphEntra's tenant id, which a journal is bound to", () => {
  it('is the tid claim of a JWT access token, with no request sent', async () => {
    const tenant = createFakeTenant({
      ids: { organizationGuid: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', tenantId },
    })
    const handlers = graphHandlers(tenant)
    server.resetHandlers(...handlers)
    const entra = graphEntra({
      tokenProvider: async () => jwt({ tid: tenantId.toUpperCase(), aud: 'https://graph.microsoft.com' }),
    })
    expect(await entra.tenantId?.()).toBe(tenantId)
    expect(handlers.stats.total).toBe(0)
  })

  it('is read from GET /organization when the token is opaque', async () => {
    const tenant = createFakeTenant({
      ids: { organizationGuid: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', tenantId },
    })
    const handlers = graphHandlers(tenant)
    server.resetHandlers(...handlers)
    const entra = graphEntra({ tokenProvider: async () => 'an-opaque-token', sleep: async () => {} })
    expect(await entra.tenantId?.()).toBe(tenantId)
    expect(handlers.stats.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /organization?$select=id',
    ])
  })

  it('is not taken from a token that is not a JWT or names no tenant', () => {
    expect(tenantIdOfToken('opaque')).toBeNull()
    expect(tenantIdOfToken(jwt({ aud: 'x' }))).toBeNull()
    expect(tenantIdOfToken(jwt({ tid: 'not-a-guid' }))).toBeNull()
    expect(tenantIdOfToken('a.%%%.c')).toBeNull()
  })
})
