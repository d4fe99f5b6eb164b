import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type HttpHandler, HttpResponse, http } from 'msw'
import {
  createGraphDoorStats,
  type GraphDoorAnswer,
  type GraphDoorStats,
  type GraphDoorTenant,
  graphDoorRoute,
} from './graph-handlers-route'
import { readBody } from './http-body'

export type { GraphDoorStats, GraphDoorTenant } from './graph-handlers-route'

/** msw handlers for the Graph door, with the requests they saw. Spread them into setupServer. */
export type GraphHandlers = HttpHandler[] & { stats: GraphDoorStats }

function apiRoot(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '').replace(/\/v1\.0$/i, '')}/v1.0`
}

/**
 * msw handlers serving Microsoft Graph's service principal routes over the fake tenant:
 * GET servicePrincipals(appId='…') and servicePrincipals/{id} (key values with $select),
 * GET servicePrincipals?$filter=… (key: null, as Graph's list reads), PATCH servicePrincipals/{id}.
 */
export function graphHandlers(tenant: GraphDoorTenant, options: { baseUrl?: string } = {}): GraphHandlers {
  const root = apiRoot(options.baseUrl ?? 'https://graph.microsoft.com')
  const stats = createGraphDoorStats()
  const handler = http.all(`${root}/*`, async ({ request }) => {
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text()
    const answer = graphDoorRoute(tenant, root, stats, {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body,
    })
    if (answer.kind === 'drop') return HttpResponse.error()
    return new HttpResponse(answer.body, { status: answer.status, headers: answer.headers })
  })
  return Object.assign([handler], { stats })
}

export interface FakeGraphServer {
  /** The base URL to give the Graph client, e.g. http://127.0.0.1:53111 (it appends /v1.0). */
  url: string
  stats: GraphDoorStats
  close(): Promise<void>
}

/** The same Graph routes on a real HTTP server on 127.0.0.1, for end-to-end runs of the CLI. */
export async function startFakeGraphServer(
  tenant: GraphDoorTenant,
  options: { port?: number } = {},
): Promise<FakeGraphServer> {
  const stats = createGraphDoorStats()
  let root = ''
  const server: Server = createServer((request, response) => {
    readBody(request)
      .then((body) => {
        const answer: GraphDoorAnswer = graphDoorRoute(tenant, root, stats, {
          method: request.method ?? 'GET',
          url: new URL(request.url ?? '/', root).href,
          headers: { get: (name) => headerValue(request, name) },
          body: request.method === 'GET' ? undefined : body,
        })
        if (answer.kind === 'drop') {
          request.socket.destroy()
          return
        }
        response.writeHead(answer.status, answer.headers)
        response.end(answer.body ?? undefined)
      })
      .catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' })
        response.end(
          JSON.stringify({
            error: { code: 'InternalServerError', message: String((error as Error)?.message ?? error) },
          }),
        )
      })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  root = `${url}/v1.0`
  return {
    url,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

function headerValue(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name.toLowerCase()]
  if (value === undefined) return null
  return Array.isArray(value) ? value.join(', ') : value
}
