import { randomUUID } from 'node:crypto'
import type { GraphFault } from './faults'

/** The part of the fake tenant the Graph door needs. */
export interface GraphDoorTenant {
  graph: {
    getServicePrincipal(by: { appId: string } | { id: string }): GraphDoorServicePrincipal | null
    listServicePrincipals(filter?: { appId?: string; displayName?: string }): GraphDoorServicePrincipal[]
    patchKeyCredentials(id: string, body: unknown): void
    /** The tenant's organization object (GET /organization). */
    organization(): { id: string; displayName: string }
  }
  faultHooks: { nextGraphRequest(): GraphFault | null; graphRequestServed?(): void }
}

export interface GraphDoorServicePrincipal {
  id: string
  appId: string
  displayName: string
  keyCredentials: { key: string | null; [name: string]: unknown }[]
  [name: string]: unknown
}

/** A request as the route sees it, whatever carried it. */
export interface GraphDoorRequest {
  method: string
  url: string
  headers: { get(name: string): string | null }
  body: string | undefined
}

/** An answer, or a connection to drop. */
export type GraphDoorAnswer =
  | { kind: 'answer'; status: number; headers: Record<string, string>; body: string | null }
  | { kind: 'drop' }

/** Requests seen by the Graph door, so tests can assert e.g. that no PATCH was sent. */
export interface GraphDoorStats {
  total: number
  byMethod: Record<string, number>
  requests: { method: string; path: string; status: number | null }[]
  reset(): void
}

export function createGraphDoorStats(): GraphDoorStats {
  const stats: GraphDoorStats = {
    total: 0,
    byMethod: {},
    requests: [],
    reset() {
      stats.total = 0
      stats.byMethod = {}
      stats.requests.length = 0
    },
  }
  return stats
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

class GraphAnswerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * The Graph REST surface over the fake tenant, free of any HTTP framework: msw handlers and the
 * node:http server both adapt this one function. `root` is the API root ending in /v1.0.
 */
export function graphDoorRoute(
  tenant: GraphDoorTenant,
  root: string,
  stats: GraphDoorStats,
  request: GraphDoorRequest,
): GraphDoorAnswer {
  const method = request.method.toUpperCase()
  const url = new URL(request.url)
  const path = url.pathname.startsWith(new URL(root).pathname)
    ? url.pathname.slice(new URL(root).pathname.length)
    : url.pathname
  stats.total++
  stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1
  const record = { method, path: decodeURIComponent(path) + url.search, status: null as number | null }
  stats.requests.push(record)

  const requestId = randomUUID()
  const clientRequestId = request.headers.get('client-request-id') ?? requestId
  const baseHeaders = { 'request-id': requestId, 'client-request-id': clientRequestId }
  const json = (status: number, value: unknown, extra: Record<string, string> = {}): GraphDoorAnswer => {
    record.status = status
    return {
      kind: 'answer',
      status,
      headers: { ...baseHeaders, 'content-type': 'application/json', ...extra },
      body: JSON.stringify(value),
    }
  }
  const error = (status: number, code: string, message: string, extra: Record<string, string> = {}) =>
    json(
      status,
      {
        error: {
          code,
          message,
          innerError: {
            date: new Date().toISOString(),
            'request-id': requestId,
            'client-request-id': clientRequestId,
          },
        },
      },
      extra,
    )

  const fault = tenant.faultHooks.nextGraphRequest()
  if (fault?.kind === 'throttle') {
    return error(
      fault.status,
      fault.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable',
      fault.status === 429
        ? 'Too many requests. Please retry after the time specified in the Retry-After header.'
        : 'The service is temporarily unavailable. Please retry later.',
      { 'retry-after': String(fault.retryAfterSeconds) },
    )
  }
  if (fault?.kind === 'dropConnection' && !fault.afterWrite) return { kind: 'drop' }

  const authorization = request.headers.get('authorization') ?? ''
  if (!/^Bearer\s+\S+/i.test(authorization)) {
    const answer = error(401, 'InvalidAuthenticationToken', 'Access token is empty.', {
      'www-authenticate':
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"',
    })
    return fault?.kind === 'dropConnection' ? { kind: 'drop' } : answer
  }

  let answer: GraphDoorAnswer
  try {
    answer = serve(tenant, method, decodeURIComponent(path), url.searchParams, request.body, json)
  } catch (thrown) {
    if (thrown instanceof GraphAnswerError) answer = error(thrown.status, thrown.code, thrown.message)
    else {
      const fakeError = thrown as { status?: unknown; code?: unknown; message?: unknown }
      if (typeof fakeError?.status === 'number' && typeof fakeError.code === 'string') {
        answer = error(fakeError.status, fakeError.code, String(fakeError.message ?? ''))
      } else throw thrown
    }
  }
  tenant.faultHooks.graphRequestServed?.()
  // A connection dropped after the write: the change stands, the answer is lost.
  if (fault?.kind === 'dropConnection') {
    record.status = null
    return { kind: 'drop' }
  }
  return answer
}

function serve(
  tenant: GraphDoorTenant,
  method: string,
  path: string,
  query: URLSearchParams,
  body: string | undefined,
  json: (status: number, value: unknown) => GraphDoorAnswer,
): GraphDoorAnswer {
  const select =
    query
      .get('$select')
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean) ?? null
  const byAppId = /^\/servicePrincipals\(appId='([^']*)'\)$/.exec(path)
  const byId = /^\/servicePrincipals\/([^/()]+)$/.exec(path)

  if (path === '/servicePrincipals') {
    if (method !== 'GET') throw notAllowed(method, path)
    const filter = parseFilter(query.get('$filter'))
    const list = tenant.graph.listServicePrincipals(filter).map((sp) => project(withoutKeyValues(sp), select))
    return json(200, { '@odata.context': contextOf('servicePrincipals', select), value: list })
  }

  if (path === '/organization') {
    if (method !== 'GET') throw notAllowed(method, path)
    const organization = project(tenant.graph.organization(), select)
    return json(200, { '@odata.context': contextOf('organization', select), value: [organization] })
  }

  if (!byAppId && !byId) {
    throw new GraphAnswerError(
      400,
      'BadRequest',
      `Resource not found for the segment '${path.split('/')[1] ?? path}'.`,
    )
  }
  let key: { appId: string } | { id: string }
  if (byAppId) {
    const appId = byAppId[1] as string
    if (!guidPattern.test(appId)) {
      throw new GraphAnswerError(400, 'Request_BadRequest', `Invalid object identifier '${appId}'.`)
    }
    key = { appId }
  } else key = { id: byId?.[1] as string }
  const servicePrincipal = tenant.graph.getServicePrincipal(key)
  if (!servicePrincipal) {
    const name = 'appId' in key ? `servicePrincipals(appId='${key.appId}')` : key.id
    throw new GraphAnswerError(
      404,
      'Request_ResourceNotFound',
      `Resource '${name}' does not exist or one of its queried reference-property objects are not present.`,
    )
  }

  if (method === 'GET') {
    // Graph returns key values only when one object is read with $select naming keyCredentials.
    const withKeys = select?.includes('keyCredentials')
      ? servicePrincipal
      : withoutKeyValues(servicePrincipal)
    return json(200, {
      '@odata.context': contextOf('servicePrincipals/$entity', select),
      ...project(withKeys, select),
    })
  }
  if (method === 'PATCH') {
    let parsed: unknown
    try {
      parsed = JSON.parse(body ?? '')
    } catch {
      throw new GraphAnswerError(
        400,
        'BadRequest',
        'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
      )
    }
    tenant.graph.patchKeyCredentials(servicePrincipal.id, parsed)
    return { kind: 'answer', status: 204, headers: {}, body: null }
  }
  throw notAllowed(method, path)
}

function notAllowed(method: string, path: string) {
  return new GraphAnswerError(
    405,
    'Request_BadRequest',
    `The HTTP method '${method}' is not allowed on '${path}'.`,
  )
}

function parseFilter(filter: string | null): { appId?: string; displayName?: string } | undefined {
  if (filter === null) return undefined
  const match = /^\s*(appId|displayName)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(filter)
  if (!match)
    throw new GraphAnswerError(
      400,
      'Request_UnsupportedQuery',
      `Unsupported or invalid query filter clause specified for property.`,
    )
  const value = (match[2] as string).replace(/''/g, "'")
  return match[1] === 'appId' ? { appId: value } : { displayName: value }
}

function withoutKeyValues(sp: GraphDoorServicePrincipal): GraphDoorServicePrincipal {
  return { ...sp, keyCredentials: sp.keyCredentials.map((key) => ({ ...key, key: null })) }
}

function project(
  sp: { id: string; [name: string]: unknown },
  select: string[] | null,
): Record<string, unknown> {
  if (select === null) return { ...sp }
  const out: Record<string, unknown> = { id: sp.id }
  for (const name of select) if (name in sp) out[name] = sp[name]
  return out
}

function contextOf(what: string, select: string[] | null): string {
  const selected = select ? `(${select.join(',')})` : ''
  return `https://graph.microsoft.com/v1.0/$metadata#${what.replace('/$entity', '')}${selected}${what.endsWith('/$entity') ? '/$entity' : ''}`
}
