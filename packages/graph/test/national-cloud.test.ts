import { createFakeTenant } from '@teams-oauth/fakes'
import { graphHandlers } from '@teams-oauth/fakes/graph'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphEntra } from '../src/graph-entra'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

const appId = '00000004-0000-0ff1-ce00-000000000000'

describe('graphEntra in a national cloud', () => {
  it.each([
    'https://graph.microsoft.us',
    'https://dod-graph.microsoft.us/',
    'https://microsoftgraph.chinacloudapi.cn/v1.0',
  ])('reads and writes through %s and nowhere else', async (baseUrl) => {
    const state = createFakeTenant().state()
    state.entra.servicePrincipals = [
      {
        id: '3c2b1a09-8f7e-4d6c-9b5a-493827160504',
        appId,
        displayName: 'Skype for Business Online',
        keyCredentials: [],
      },
    ]
    const tenant = createFakeTenant({ state })
    const handlers = graphHandlers(tenant, { baseUrl })
    server.resetHandlers(...handlers)
    const entra = graphEntra({ baseUrl, tokenProvider: async () => 'token', sleep: async () => {} })
    const read = await entra.getServicePrincipal(appId)
    expect(read?.displayName).toBe('Skype for Business Online')
    await entra.setKeyCredentials(read?.id as string, [])
    expect(handlers.stats.byMethod).toEqual({ GET: 1, PATCH: 1 })
  })
})
