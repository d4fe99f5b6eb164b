import { type GraphEntraOptions, type GraphRequestEvent, graphEntra } from '../src/graph-entra'

/** One request as graphEntra sent it. */
export interface SentRequest {
  method: string
  url: string
  headers: Headers
  /** The body as sent: JSON text, or undefined. */
  body: string | undefined
  redirect: RequestInit['redirect']
  signal: AbortSignal | null | undefined
}

/** What the next request gets: an answer, a dropped connection (an error thrown), or an answer built from it. */
export type Scripted = Response | Error | string | ((request: SentRequest) => Response | Promise<Response>)

/**
 * A fetch that answers each request with the next scripted answer, in order, for cases where a
 * status, header or body sequence must be exact. A request beyond the script fails the test.
 */
export function scriptedFetch(script: Scripted[]) {
  const sent: SentRequest[] = []
  const fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const request: SentRequest = {
      method: init.method ?? 'GET',
      url: String(input),
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : undefined,
      redirect: init.redirect,
      signal: init.signal,
    }
    sent.push(request)
    if (script.length === 0) throw new Error(`no answer scripted for ${request.method} ${request.url}`)
    const next = script.shift() as Scripted
    // a thrown value is what fetch does when the connection drops
    if (next instanceof Error || typeof next === 'string') throw next
    return typeof next === 'function' ? next(request) : next
  }
  return { fetch: fetch as typeof globalThis.fetch, sent, left: () => script.length }
}

/** A JSON answer, as Graph sends them. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })

/** An answer without a body (204 after a PATCH, a redirect). */
export const empty = (status: number, headers: Record<string, string> = {}): Response =>
  new Response(null, { status, headers })

/** Graph's error body. */
export const graphError = (
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response => json(status, { error: { code, message } }, headers)

export const token = 'eyJ0eXAiOiJKV1QifQ.opaque-secret-token'

/** graphEntra over a scripted fetch: no real waits, every wait and request event kept. */
export function scriptedEntra(script: Scripted[], options: Partial<GraphEntraOptions> = {}) {
  const { fetch, sent, left } = scriptedFetch(script)
  const waits: number[] = []
  const events: GraphRequestEvent[] = []
  const entra = graphEntra({
    tokenProvider: async () => token,
    fetch,
    sleep: async (ms) => {
      waits.push(ms)
    },
    onRequest: (event) => events.push(event),
    ...options,
  })
  return { entra, sent, waits, events, left }
}
