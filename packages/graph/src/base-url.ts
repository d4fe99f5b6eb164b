import { TeamsOAuthError } from '@teams-oauth/core'

/** Graph hosts of the public cloud and the national clouds (US Gov L4, US Gov L5 / DoD, China). */
export const graphHosts = [
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'microsoftgraph.chinacloudapi.cn',
] as const

export const defaultGraphBaseUrl = 'https://graph.microsoft.com'

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * Turns a Graph base URL into the root every request path is appended to, ending in `/v1.0`.
 * A trailing slash or an already present `/v1.0` is tolerated. Only Microsoft's Graph hosts (over
 * https) and loopback addresses (for tests) are accepted, so a token is never sent anywhere else.
 */
export function graphApiRoot(baseUrl: string = defaultGraphBaseUrl): string {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw invalidBaseUrl(baseUrl, 'it is not a URL')
  }
  if (url.username || url.password || url.search || url.hash) {
    throw invalidBaseUrl(baseUrl, 'it must not carry credentials, a query or a fragment')
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v1\.0$/i, '')
  const host = url.hostname.toLowerCase()
  if (loopbackHosts.has(host)) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw invalidBaseUrl(baseUrl, 'use http or https')
    return `${url.protocol}//${url.host}${path}/v1.0`
  }
  if (!(graphHosts as readonly string[]).includes(host)) {
    throw invalidBaseUrl(
      baseUrl,
      `the host must be one of ${graphHosts.join(', ')} (or a loopback address for tests)`,
    )
  }
  if (url.protocol !== 'https:') throw invalidBaseUrl(baseUrl, 'Microsoft Graph is reached over https only')
  if (path !== '') throw invalidBaseUrl(baseUrl, 'give the host only; teams-oauth appends /v1.0 itself')
  return `https://${host}${url.port ? `:${url.port}` : ''}/v1.0`
}

function invalidBaseUrl(baseUrl: string, why: string): TeamsOAuthError {
  return new TeamsOAuthError('INPUT_INVALID', `Invalid Microsoft Graph base URL "${baseUrl}": ${why}.`, {
    field: 'baseUrl',
    value: baseUrl,
  })
}

/** Where each Graph cloud signs in (Microsoft Entra's authority hosts). */
const authorityHosts: Record<(typeof graphHosts)[number], string> = {
  'graph.microsoft.com': 'https://login.microsoftonline.com',
  'graph.microsoft.us': 'https://login.microsoftonline.us',
  'dod-graph.microsoft.us': 'https://login.microsoftonline.us',
  'microsoftgraph.chinacloudapi.cn': 'https://login.chinacloudapi.cn',
}

/**
 * The resource a token for this Graph base URL is asked for (its origin, without any path) and the
 * authority host to sign in at, so national-cloud tenants sign in at their own cloud.
 */
export function graphCloud(baseUrl: string = defaultGraphBaseUrl): {
  resource: string
  authorityHost: string
} {
  const root = new URL(graphApiRoot(baseUrl))
  const host = root.hostname.toLowerCase() as (typeof graphHosts)[number]
  return {
    resource: `${root.protocol}//${root.host}`,
    authorityHost: authorityHosts[host] ?? authorityHosts['graph.microsoft.com'],
  }
}
