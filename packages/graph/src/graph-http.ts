import { randomUUID } from 'node:crypto'
import { TeamsOAuthError } from '@teams-oauth/core'
import { graphRedirectError, graphResponseError, readGraphErrorBody } from './graph-errors'
import { parseRetryAfter } from './retry-after'

export interface GraphRetryOptions {
  /** Attempts per request, the first included. Default 6. */
  maxAttempts?: number
  /** Time one request may take, waits included, before giving up. Default 120 000 ms. */
  maxTotalMs?: number
}

/** One HTTP exchange with Graph, for progress and logs. Never carries the token. */
export interface GraphRequestEvent {
  method: 'GET' | 'PATCH'
  url: string
  attempt: number
  /** The HTTP status; null when the connection dropped before an answer. */
  status: number | null
  durationMs: number
  requestId: string | null
  /** Set when the request is sent again after this wait. */
  retryInMs?: number
}

export interface GraphEntraOptions {
  /** https://graph.microsoft.com (default) or a national cloud's Graph host; loopback http for tests. */
  baseUrl?: string
  /** Resolves to an access token for Graph; called before every request (providers cache). */
  tokenProvider: () => Promise<string>
  fetch?: typeof globalThis.fetch
  retry?: GraphRetryOptions
  /** Injectable so tests do not wait for real. */
  sleep?: (ms: number) => Promise<void>
  onRequest?: (event: GraphRequestEvent) => void
  /** Time to wait for one answer before treating the connection as dropped. Default 60 000 ms. */
  requestTimeoutMs?: number
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export type GraphResponse = {
  kind: 'response'
  status: number
  text: string
  headers: Headers
  requestId: string | null
}
export type GraphAnswer = GraphResponse | { kind: 'dropped'; reason: string }

/** The class of an HTTP status: 2 for success, 3 for a redirect, 4 and 5 for errors. */
export const statusClass = (status: number): number => Math.floor(status / 100)

/** One Graph client: the token before every request, retries of 429/503 within a budget, redirects refused, errors typed. */
export function graphHttp(options: GraphEntraOptions) {
  const doFetch = options.fetch ?? globalThis.fetch
  const sleep = options.sleep ?? defaultSleep
  const maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 6)
  const maxTotalMs = Math.max(0, options.retry?.maxTotalMs ?? 120_000)
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000
  const tokens = new Set<string>()

  const redact = (text: string): string => {
    let out = text
    for (const token of tokens) out = out.split(token).join('[redacted]')
    return out
  }

  async function token(): Promise<string> {
    let value: string
    try {
      value = await options.tokenProvider()
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new TeamsOAuthError(
        'GRAPH_UNAUTHORIZED',
        `Could not get an access token for Microsoft Graph: ${reason}`,
        {
          reason,
        },
      )
    }
    if (typeof value !== 'string' || value.trim() === '') {
      throw new TeamsOAuthError(
        'GRAPH_UNAUTHORIZED',
        'The token provider returned no access token for Microsoft Graph.',
      )
    }
    tokens.add(value)
    return value
  }

  async function sendOnce(
    method: 'GET' | 'PATCH',
    url: string,
    body: unknown,
  ): Promise<{ answer: GraphAnswer; durationMs: number }> {
    const bearer = await token()
    const headers: Record<string, string> = {
      authorization: `Bearer ${bearer}`,
      accept: 'application/json',
      'client-request-id': randomUUID(),
    }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const started = Date.now()
    let answer: GraphAnswer
    try {
      const response = await doFetch(url, {
        method,
        headers,
        // undefined for a read: JSON.stringify(undefined) is undefined
        body: JSON.stringify(body),
        // A redirect is never followed: another host's answer must not be taken for Graph's.
        redirect: 'manual',
        signal: AbortSignal.timeout(requestTimeoutMs),
      })
      const text = await response.text()
      const requestId =
        response.headers.get('request-id') ??
        readGraphErrorBody(text).innerRequestId ??
        response.headers.get('client-request-id')
      answer = { kind: 'response', status: response.status, text, headers: response.headers, requestId }
    } catch (error) {
      answer = { kind: 'dropped', reason: redact(error instanceof Error ? error.message : String(error)) }
    }
    return { answer, durationMs: Date.now() - started }
  }

  /** One event per HTTP exchange; `retryInMs` when it is sent again after that wait. */
  function report(
    method: 'GET' | 'PATCH',
    url: string,
    attempt: number,
    answer: GraphAnswer,
    durationMs: number,
    retryInMs?: number,
  ): void {
    if (!options.onRequest) return
    const event: GraphRequestEvent = {
      method,
      url,
      attempt,
      status: answer.kind === 'response' ? answer.status : null,
      durationMs,
      requestId: answer.kind === 'response' ? answer.requestId : null,
    }
    if (retryInMs !== undefined) event.retryInMs = retryInMs
    options.onRequest(event)
  }

  /**
   * Sends a request, waiting out 429 and 503 (Retry-After, else exponential backoff) within the
   * attempt and time budget. A read is also sent again after a dropped connection or a gateway's
   * 502/504, so it resolves to an answer of Graph or throws; for a write those are returned to the
   * caller, who re-reads and decides.
   */
  function send(method: 'GET', url: string): Promise<GraphResponse & { attempts: number }>
  function send(method: 'PATCH', url: string, body: unknown): Promise<GraphAnswer & { attempts: number }>
  async function send(
    method: 'GET' | 'PATCH',
    url: string,
    body?: unknown,
  ): Promise<GraphAnswer & { attempts: number }> {
    const read = method === 'GET'
    const started = Date.now()
    let slept = 0
    for (let attempt = 1; ; attempt++) {
      const { answer, durationMs } = await sendOnce(method, url, body)
      if (answer.kind === 'response' && statusClass(answer.status) === 3) {
        report(method, url, attempt, answer, durationMs)
        throw graphRedirectError({
          method,
          url,
          status: answer.status,
          location: answer.headers.get('location'),
        })
      }
      const throttled = answer.kind === 'response' && (answer.status === 429 || answer.status === 503)
      const gateway = answer.kind === 'response' && read && (answer.status === 502 || answer.status === 504)
      const dropped = answer.kind === 'dropped' && read
      if (!throttled && !gateway && !dropped) {
        report(method, url, attempt, answer, durationMs)
        return { ...answer, attempts: attempt }
      }
      const retryAfter =
        answer.kind === 'response' ? parseRetryAfter(answer.headers.get('retry-after')) : null
      const wait = retryAfter ?? Math.min(30_000, 1000 * 2 ** (attempt - 1))
      const elapsed = Math.max(Date.now() - started, slept)
      if (attempt >= maxAttempts || elapsed + wait > maxTotalMs) {
        report(method, url, attempt, answer, durationMs)
        throw exhausted(method, url, answer, attempt, elapsed, retryAfter)
      }
      report(method, url, attempt, answer, durationMs, wait)
      await sleep(wait)
      slept += wait
    }
  }

  function exhausted(
    method: string,
    url: string,
    answer: GraphAnswer,
    attempts: number,
    elapsedMs: number,
    retryAfterMs: number | null,
  ): TeamsOAuthError {
    const budget = `after ${attempts} attempt(s) in ${Math.round(elapsedMs / 1000)} s (limits: ${maxAttempts} attempts, ${Math.round(maxTotalMs / 1000)} s)`
    if (answer.kind === 'dropped') {
      return new TeamsOAuthError(
        'GRAPH_REQUEST_FAILED',
        `Microsoft Graph could not be reached: ${method} ${url} lost its connection (${answer.reason}) ${budget}.`,
        { method, url, status: null, attempts, reason: answer.reason },
      )
    }
    const said = readGraphErrorBody(answer.text)
    if (answer.status === 429 || answer.status === 503) {
      const next =
        retryAfterMs === null ? '' : ` Graph asked to wait ${Math.ceil(retryAfterMs / 1000)} s more.`
      return new TeamsOAuthError(
        'GRAPH_THROTTLED',
        `Microsoft Graph kept answering ${answer.status} to ${method} ${url} ${budget}.${next} Nothing more was sent; run again later.`,
        {
          method,
          url,
          status: answer.status,
          attempts,
          retryAfterMs,
          graphCode: said.code,
          graphMessage: said.message === null ? null : redact(said.message),
          requestId: answer.requestId,
        },
      )
    }
    return failure(method, url, answer)
  }

  function failure(method: string, url: string, answer: GraphResponse): TeamsOAuthError {
    const said = readGraphErrorBody(answer.text)
    return graphResponseError({
      method,
      url,
      status: answer.status,
      graphCode: said.code,
      graphMessage: said.message === null ? null : redact(said.message),
      requestId: answer.requestId,
    })
  }

  return { send, failure, redact, token }
}
