import { createHash, randomUUID } from 'node:crypto'
import {
  type EntraPort,
  type KeyCredential,
  type KeyCredentialWrite,
  type ServicePrincipal,
  servicePrincipalSchema,
  TeamsOAuthError,
} from '@teams-oauth/core'
import { graphApiRoot } from './base-url'
import { graphResponseError, readGraphErrorBody } from './graph-errors'
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

export interface GraphEntra extends EntraPort {
  /** The API root requests go to, ending in /v1.0. */
  readonly apiRoot: string
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const select = '$select=id,appId,displayName,keyCredentials'
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

type Answer =
  | { kind: 'response'; status: number; text: string; headers: Headers; requestId: string | null }
  | { kind: 'dropped'; reason: string }

/** Entra over Microsoft Graph REST: one-object reads with `$select`, one PATCH, a read-back. */
export function graphEntra(options: GraphEntraOptions): GraphEntra {
  const apiRoot = graphApiRoot(options.baseUrl)
  const doFetch = options.fetch ?? globalThis.fetch
  const sleep = options.sleep ?? defaultSleep
  const maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 6)
  const maxTotalMs = Math.max(0, options.retry?.maxTotalMs ?? 120_000)
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000
  const tokens = new Set<string>()

  const redact = (text: string): string => {
    let out = text
    for (const token of tokens) if (token) out = out.split(token).join('[redacted]')
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
  ): Promise<{ answer: Answer; durationMs: number }> {
    const bearer = await token()
    const headers: Record<string, string> = {
      authorization: `Bearer ${bearer}`,
      accept: 'application/json',
      'client-request-id': randomUUID(),
    }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const started = Date.now()
    let answer: Answer
    try {
      const response = await doFetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
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
    answer: Answer,
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
   * attempt and time budget. A dropped connection is retried only when `retryDropped` (reads);
   * for a write it is returned to the caller, who re-reads and decides.
   */
  async function send(
    method: 'GET' | 'PATCH',
    url: string,
    body: unknown,
    retryDropped: boolean,
  ): Promise<Answer & { attempts: number }> {
    const started = Date.now()
    let slept = 0
    for (let attempt = 1; ; attempt++) {
      const { answer, durationMs } = await sendOnce(method, url, body)
      const throttled = answer.kind === 'response' && (answer.status === 429 || answer.status === 503)
      const gateway =
        answer.kind === 'response' && method === 'GET' && (answer.status === 502 || answer.status === 504)
      const dropped = answer.kind === 'dropped' && retryDropped
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
    answer: Answer,
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

  function failure(
    method: string,
    url: string,
    answer: Extract<Answer, { kind: 'response' }>,
  ): TeamsOAuthError {
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

  function parseServicePrincipal(url: string, text: string): ServicePrincipal {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    const parsed = servicePrincipalSchema.safeParse(json)
    if (!parsed.success) {
      throw new TeamsOAuthError(
        'GRAPH_REQUEST_FAILED',
        `Microsoft Graph answered GET ${url} with something that is not a service principal.`,
        {
          method: 'GET',
          url,
          issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
        },
      )
    }
    return parsed.data
  }

  async function read(url: string): Promise<ServicePrincipal | null> {
    const answer = await send('GET', url, undefined, true)
    if (answer.kind === 'dropped') throw exhausted('GET', url, answer, answer.attempts, 0, null)
    if (answer.status === 404) return null
    if (answer.status < 200 || answer.status > 299) throw failure('GET', url, answer)
    return parseServicePrincipal(url, answer.text)
  }

  async function readById(id: string): Promise<ServicePrincipal> {
    const url = `${apiRoot}/servicePrincipals/${encodeURIComponent(id)}?${select}`
    const servicePrincipal = await read(url)
    if (servicePrincipal === null) {
      throw new TeamsOAuthError(
        'GRAPH_REQUEST_FAILED',
        `Microsoft Graph no longer finds the service principal ${id} (GET ${url} answered 404).`,
        { method: 'GET', url, status: 404, servicePrincipalId: id },
      )
    }
    return servicePrincipal
  }

  /** 'sent' when Graph answered 2xx; 'unknown' when the connection dropped or a gateway timed out. */
  async function patch(url: string, body: unknown): Promise<'sent' | 'unknown'> {
    const answer = await send('PATCH', url, body, false)
    if (answer.kind === 'dropped') return 'unknown'
    if (answer.status === 502 || answer.status === 504) return 'unknown'
    if (answer.status < 200 || answer.status > 299) throw failure('PATCH', url, answer)
    return 'sent'
  }

  return {
    apiRoot,

    async tenantId() {
      // a JWT access token names its tenant; an opaque one does not, so Graph is asked instead
      const fromToken = tenantIdOfToken(await token())
      if (fromToken) return fromToken
      const url = `${apiRoot}/organization?$select=id`
      const answer = await send('GET', url, undefined, true)
      if (answer.kind === 'dropped') throw exhausted('GET', url, answer, answer.attempts, 0, null)
      if (answer.status < 200 || answer.status > 299) throw failure('GET', url, answer)
      const id = organizationId(answer.text)
      if (!id)
        throw new TeamsOAuthError(
          'GRAPH_REQUEST_FAILED',
          `Microsoft Graph answered GET ${url} without the tenant's id.`,
          { method: 'GET', url },
        )
      return id
    },

    async getServicePrincipal(appId) {
      if (typeof appId !== 'string' || !guidPattern.test(appId)) {
        throw new TeamsOAuthError('INPUT_INVALID', `appId must be a GUID, got "${String(appId)}".`, {
          field: 'appId',
          value: String(appId),
        })
      }
      return read(`${apiRoot}/servicePrincipals(appId='${encodeURIComponent(appId)}')?${select}`)
    },

    async setKeyCredentials(servicePrincipalId, keys) {
      if (typeof servicePrincipalId !== 'string' || servicePrincipalId === '') {
        throw new TeamsOAuthError('INPUT_INVALID', 'A service principal id is required.', {
          field: 'servicePrincipalId',
        })
      }
      assertKeyValues(keys)
      const url = `${apiRoot}/servicePrincipals/${encodeURIComponent(servicePrincipalId)}`
      const body = { keyCredentials: keys.map(wireKey) }

      let outcome = await patch(url, body)
      if (outcome === 'unknown') {
        // The write may or may not have landed: look before sending it again.
        if (isExactly((await readById(servicePrincipalId)).keyCredentials, keys)) outcome = 'sent'
        else if ((await patch(url, body)) === 'unknown') {
          if (!isExactly((await readById(servicePrincipalId)).keyCredentials, keys)) {
            throw new TeamsOAuthError(
              'GRAPH_REQUEST_FAILED',
              `The connection to Microsoft Graph dropped twice during PATCH ${url}, and the key credentials read back are not the ones sent.`,
              { method: 'PATCH', url, servicePrincipalId },
            )
          }
        }
      }

      const after = await readById(servicePrincipalId)
      const missing = keys.filter((sent) => !after.keyCredentials.some((found) => sameKey(sent, found)))
      if (missing.length > 0) {
        throw new TeamsOAuthError(
          'KEY_WRITE_UNVERIFIED',
          `Microsoft Graph accepted the key credentials of service principal ${servicePrincipalId}, but ${missing.length} of the ${keys.length} keys sent are not there when read back.`,
          { servicePrincipalId, missing: missing.map(describeKey) },
        )
      }
    },
  }
}

/** The `tid` claim of a JWT access token; null for an opaque token or one without it. Never logs the token. */
export function tenantIdOfToken(accessToken: string): string | null {
  const parts = accessToken.split('.')
  if (parts.length !== 3 || !parts[1]) return null
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { tid?: unknown }
    return typeof claims.tid === 'string' && guidPattern.test(claims.tid) ? claims.tid.toLowerCase() : null
  } catch {
    return null
  }
}

function organizationId(text: string): string | null {
  try {
    const id = (JSON.parse(text) as { value?: { id?: unknown }[] }).value?.[0]?.id
    return typeof id === 'string' && guidPattern.test(id) ? id.toLowerCase() : null
  } catch {
    return null
  }
}

/** Refuses a write containing a key without its value: sending it would destroy the key. */
export function assertKeyValues(keys: readonly KeyCredentialWrite[]): void {
  keys.forEach((key, index) => {
    if (typeof key?.key !== 'string' || key.key.trim() === '') {
      throw new TeamsOAuthError(
        'KEY_VALUE_MISSING',
        `Key credential ${index + 1} of ${keys.length}${key?.keyId ? ` (keyId ${key.keyId})` : ''} has no key value; ` +
          'writing it would destroy that key, so nothing was sent. Read the service principal as one object with $select to get every key value.',
        { index, ...describeKey(key) },
      )
    }
  })
}

function wireKey(key: KeyCredentialWrite): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(key)) if (value !== undefined) out[name] = value
  return out
}

function describeKey(key: Partial<KeyCredentialWrite> | undefined) {
  return {
    keyId: key?.keyId ?? null,
    customKeyIdentifier: key?.customKeyIdentifier ?? null,
    displayName: key?.displayName ?? null,
  }
}

const thumbprint = (base64: string) =>
  createHash('sha1').update(Buffer.from(base64, 'base64')).digest('hex').toUpperCase()

/** customKeyIdentifier as uppercase hex: Graph may print the thumbprint as hex or as base64 of its 20 bytes. */
function identifierHex(value: string | null | undefined): string | null {
  if (!value) return null
  if (/^[0-9a-fA-F]{40}$/.test(value)) return value.toUpperCase()
  const bytes = Buffer.from(value, 'base64')
  return bytes.length === 20 ? bytes.toString('hex').toUpperCase() : value.toUpperCase()
}

const sameBytes = (a: string, b: string) => Buffer.from(a, 'base64').equals(Buffer.from(b, 'base64'))

/** A sent key is found by its keyId when it had one, else by its thumbprint; its bytes must match. */
export function sameKey(sent: KeyCredentialWrite, found: KeyCredential): boolean {
  if (sent.keyId) {
    return (
      found.keyId.toLowerCase() === sent.keyId.toLowerCase() &&
      (found.key === null || sameBytes(found.key, sent.key))
    )
  }
  if (found.key !== null) return sameBytes(found.key, sent.key)
  const wanted = identifierHex(sent.customKeyIdentifier) ?? thumbprint(sent.key)
  return identifierHex(found.customKeyIdentifier) === wanted
}

/** The collection read back is exactly the one sent (each sent key found, nothing else). */
function isExactly(found: readonly KeyCredential[], sent: readonly KeyCredentialWrite[]): boolean {
  if (found.length !== sent.length) return false
  const unmatched = [...found]
  for (const key of sent) {
    const index = unmatched.findIndex((candidate) => sameKey(key, candidate))
    if (index < 0) return false
    unmatched.splice(index, 1)
  }
  return true
}
