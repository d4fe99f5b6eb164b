import { type EntraPort, type ServicePrincipal, TeamsOAuthError } from '@teams-oauth/core'
import { assertKeyValues, isExactly, servicePrincipalSchema } from '@teams-oauth/core/adapter'
import { graphApiRoot } from './base-url'
import { keyFormRefusal, readGraphErrorBody } from './graph-errors'
import { type GraphEntraOptions, graphHttp, statusClass } from './graph-http'
import { parseJson } from './json'

export type { GraphEntraOptions, GraphRequestEvent, GraphRetryOptions } from './graph-http'

export interface GraphEntra extends EntraPort {
  /** The API root requests go to, ending in /v1.0. */
  readonly apiRoot: string
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const select = '$select=id,appId,displayName,keyCredentials'

/** Entra over Microsoft Graph REST: one-object reads with `$select`, one PATCH; redirects are never followed. */
export function graphEntra(options: GraphEntraOptions): GraphEntra {
  const apiRoot = graphApiRoot(options.baseUrl)
  const { send, failure, redact, token } = graphHttp(options)

  function parseServicePrincipal(url: string, text: string): ServicePrincipal {
    const parsed = servicePrincipalSchema.safeParse(parseJson(text))
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
    const answer = await send('GET', url)
    if (answer.status === 404) return null
    if (statusClass(answer.status) !== 2) throw failure('GET', url, answer)
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

  /** true when Graph answered 2xx; false when its answer was lost (the connection dropped, a gateway timed out). */
  async function patch(url: string, body: unknown): Promise<boolean> {
    const answer = await send('PATCH', url, body)
    if (answer.kind === 'dropped') return false
    if (answer.status === 502 || answer.status === 504) return false
    if (answer.status === 400) {
      const said = readGraphErrorBody(answer.text)
      const refusal = keyFormRefusal(said)
      if (refusal) {
        throw new TeamsOAuthError(
          'KEY_FORM_REFUSED',
          `Microsoft Graph refused the key credentials in the form they were sent (${refusal.property}): PATCH ${url} answered 400. Graph said: ${said.code ? `${said.code}: ` : ''}${redact(said.message ?? '')}`,
          {
            method: 'PATCH',
            url,
            status: 400,
            property: refusal.property,
            keyId: refusal.keyId,
            graphCode: said.code,
            graphMessage: said.message === null ? null : redact(said.message),
            requestId: answer.requestId,
          },
        )
      }
    }
    if (statusClass(answer.status) !== 2) throw failure('PATCH', url, answer)
    return true
  }

  return {
    apiRoot,

    async tenantId() {
      // a JWT access token names its tenant; an opaque one does not, so Graph is asked instead
      const fromToken = tenantIdOfToken(await token())
      if (fromToken) return fromToken
      const url = `${apiRoot}/organization?$select=id`
      const answer = await send('GET', url)
      if (statusClass(answer.status) !== 2) throw failure('GET', url, answer)
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
      // PATCH replaces the whole collection: the keys kept go with the new ones, each with its value.
      const body = { keyCredentials: keys }

      if (await patch(url, body)) return
      // The write may or may not have landed: look before sending it again (the engine confirms the result).
      if (isExactly((await readById(servicePrincipalId)).keyCredentials, keys)) return
      if (await patch(url, body)) return
      if (!isExactly((await readById(servicePrincipalId)).keyCredentials, keys)) {
        throw new TeamsOAuthError(
          'GRAPH_REQUEST_FAILED',
          `The connection to Microsoft Graph dropped twice during PATCH ${url}, and the key credentials read back are not the ones sent.`,
          { method: 'PATCH', url, servicePrincipalId },
        )
      }
    },
  }
}

/** The `tid` claim of a JWT access token; null for an opaque token or one without it. Never logs the token. */
export function tenantIdOfToken(accessToken: string): string | null {
  const parts = accessToken.split('.')
  if (parts.length !== 3) return null
  const claims = parseJson(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as
    | { tid?: unknown }
    | null
    | undefined
  return guidOf(claims?.tid)
}

/** The id in Graph's answer to GET /organization: `{"value":[{"id":"…"}]}`. */
const organizationId = (text: string): string | null =>
  guidOf((parseJson(text) as { value?: { id?: unknown }[] } | null | undefined)?.value?.[0]?.id)

/** A GUID in lowercase; null for anything else. */
const guidOf = (value: unknown): string | null =>
  typeof value === 'string' && guidPattern.test(value) ? value.toLowerCase() : null
