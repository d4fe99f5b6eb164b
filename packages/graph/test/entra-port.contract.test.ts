import { type FakeGraphServer, graphHandlers, startFakeGraphServer } from '@teams-oauth/fakes/graph'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll } from 'vitest'
import { graphEntra } from '../src/graph-entra'
import { entraPortContract } from './entra-port-contract'

const server = setupServer()
// Loopback requests go to the real fake Graph server; anything else unhandled is a mistake.
beforeAll(() =>
  server.listen({
    onUnhandledRequest: (request, print) => {
      if (new URL(request.url).hostname !== '127.0.0.1') print.error()
    },
  }),
)
afterAll(() => server.close())

const noWait = async () => {}

entraPortContract({
  name: 'the fake tenant in process',
  keepsKeyIdsOfRestoredKeys: true,
  storesCustomKeyIdentifier: true,
  refusesKeyForms: true,
  open: async (tenant) => ({ entra: tenant.entra }),
})

entraPortContract({
  name: 'graphEntra over the fake Graph door (msw)',
  keepsKeyIdsOfRestoredKeys: true,
  storesCustomKeyIdentifier: true,
  refusesKeyForms: true,
  open: async (tenant) => {
    server.resetHandlers(...graphHandlers(tenant))
    return { entra: graphEntra({ tokenProvider: async () => 'test-token', sleep: noWait }) }
  },
})

entraPortContract({
  name: 'graphEntra over the fake Graph server on loopback HTTP',
  keepsKeyIdsOfRestoredKeys: true,
  storesCustomKeyIdentifier: true,
  refusesKeyForms: true,
  open: async (tenant) => {
    server.resetHandlers()
    const graph: FakeGraphServer = await startFakeGraphServer(tenant)
    return {
      entra: graphEntra({ baseUrl: graph.url, tokenProvider: async () => 'test-token', sleep: noWait }),
      close: () => graph.close(),
    }
  },
})
