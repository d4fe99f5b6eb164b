import { TeamsOAuthError } from '@teams-oauth/core'
import { parseJson } from './json'

const permissionHint =
  'teams-oauth needs the Microsoft Graph permission Application.ReadWrite.All: delegated, signed in as a user ' +
  'holding the Application Administrator or Cloud Application Administrator role, or as an application permission ' +
  'granted with admin consent.'

/** What Graph says in an error body: `{"error":{"code","message","innerError":{"request-id"}}}`. */
export interface GraphErrorBody {
  code: string | null
  message: string | null
  innerRequestId: string | null
}

export function readGraphErrorBody(text: string): GraphErrorBody {
  const error = (parseJson(text) as { error?: Record<string, unknown> } | null | undefined)?.error
  const inner = (error?.innerError ?? error?.innererror) as Record<string, unknown> | undefined
  return {
    code: textOf(error?.code),
    message: textOf(error?.message),
    innerRequestId: textOf(inner?.['request-id']),
  }
}

const textOf = (value: unknown): string | null => (typeof value === 'string' ? value : null)

export interface GraphFailure {
  method: string
  url: string
  status: number
  graphCode: string | null
  graphMessage: string | null
  requestId: string | null
}

/** The TeamsOAuthError for a Graph answer that is neither success nor retried. */
export function graphResponseError(failure: GraphFailure): TeamsOAuthError {
  const said = failure.graphMessage
    ? ` Graph said: ${failure.graphCode ? `${failure.graphCode}: ` : ''}${failure.graphMessage}`
    : failure.graphCode
      ? ` Graph said: ${failure.graphCode}`
      : ''
  const request = `${failure.method} ${failure.url} answered ${failure.status}.`
  const id = failure.requestId ? ` (request-id ${failure.requestId})` : ''
  const data = { ...failure }
  if (failure.status === 401) {
    return new TeamsOAuthError(
      'GRAPH_UNAUTHORIZED',
      `Microsoft Graph did not accept the access token: ${request}${said}${id} Get a fresh token for this Graph host. ${permissionHint}`,
      data,
    )
  }
  if (failure.status === 403) {
    return new TeamsOAuthError(
      'GRAPH_FORBIDDEN',
      `Microsoft Graph refused the request: ${request}${said}${id} ${permissionHint}`,
      data,
    )
  }
  return new TeamsOAuthError(
    'GRAPH_REQUEST_FAILED',
    `Microsoft Graph request failed: ${request}${said}${id}`,
    data,
  )
}

/** The error for an appId without a service principal in the tenant (core's, so the engine and this adapter say the same). */
export { servicePrincipalMissing as servicePrincipalNotFoundError } from '@teams-oauth/core/adapter'

/** Graph's 400 that names a key credential's property: the form kept keys were sent in was refused. */
export function keyFormRefusal(said: GraphErrorBody): { property: string; keyId: string | null } | null {
  // Stryker disable next-line StringLiteral: with no message, any text that names no key property reads the same as ''
  const message = said.message ?? ''
  const keyId = /KeyId '([^']+)'/i.exec(message)?.[1] ?? null
  if (said.code === 'KeyNotUpdatable' || /update to existing credential/i.test(message))
    return { property: 'keyId', keyId }
  const named = /\b(keyId|customKeyIdentifier|startDateTime|endDateTime|displayName)\b/i.exec(message)
  if (named && /credential/i.test(message)) return { property: named[1] as string, keyId }
  return null
}

/** A redirect is refused, never followed: the answer of another host is not Graph's. */
export function graphRedirectError(redirect: {
  method: string
  url: string
  status: number
  location: string | null
}): TeamsOAuthError {
  const host = hostOf(redirect.location, redirect.url)
  return new TeamsOAuthError(
    'GRAPH_REDIRECTED',
    `Microsoft Graph answered ${redirect.method} ${redirect.url} with a redirect (${redirect.status}) to ${host ?? 'an unreadable location'}; teams-oauth never follows redirects, so nothing was read from there or written. Check the Graph URL (--graph-url) and any proxy between this machine and Graph.`,
    { method: redirect.method, url: redirect.url, status: redirect.status, locationHost: host },
  )
}

/** The host a Location header points to, relative ones resolved against the URL asked; null when there is none or it is unreadable. */
function hostOf(location: string | null, base: string): string | null {
  if (location === null) return null
  try {
    return new URL(location, base).host
  } catch {
    return null
  }
}
