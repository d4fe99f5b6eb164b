import { TeamsOAuthError } from './errors'

/** Whether Microsoft supports Teams meetings for on-premises mailboxes (and delegated scheduling) in a cloud. */
export type CloudSupport = 'supported' | 'delegationUnsupported' | 'unsupported'

export interface GraphCloud {
  host: string
  /** Connect-MgGraph -Environment (Get-MgEnvironment's names); Global is the default. */
  environment: 'Global' | 'USGov' | 'USGovDoD' | 'China'
  /** Where this cloud's tenants sign in (Microsoft Entra's authority host). */
  authorityHost: string
  label: string
  support: CloudSupport
}

/** Graph's clouds that teams-oauth serves, with Microsoft's support for this feature in each. */
export const graphClouds: readonly GraphCloud[] = [
  {
    host: 'graph.microsoft.com',
    environment: 'Global',
    authorityHost: 'https://login.microsoftonline.com',
    label: 'the public cloud (commercial and GCC)',
    support: 'supported',
  },
  {
    host: 'graph.microsoft.us',
    environment: 'USGov',
    authorityHost: 'https://login.microsoftonline.us',
    label: 'GCC High (US Government L4)',
    support: 'delegationUnsupported',
  },
  {
    host: 'dod-graph.microsoft.us',
    environment: 'USGovDoD',
    authorityHost: 'https://login.microsoftonline.us',
    label: 'DoD (US Government L5)',
    support: 'unsupported',
  },
  {
    host: 'microsoftgraph.chinacloudapi.cn',
    environment: 'China',
    authorityHost: 'https://login.chinacloudapi.cn',
    label: 'Microsoft Cloud China (21Vianet)',
    support: 'unsupported',
  },
]

/** Sovereign clouds Get-MgEnvironment lists that teams-oauth refuses, and why. */
const refusedClouds: Record<string, string> = {
  'graph.svc.sovcloud.fr': 'BleuCloud',
  'graph.svc.sovcloud.de': 'DelosCloud',
  'graph.svc.sovcloud.sg': 'GovSGCloud',
}

export const defaultGraphUrl = 'https://graph.microsoft.com'

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]'])

export interface GraphTarget {
  /** What requests are built on, without /v1.0: https://graph.microsoft.us, or a loopback URL with its path. */
  base: string
  /** base + /v1.0 */
  apiRoot: string
  /** The cloud of the host; the public cloud's entry for a loopback address (tests). */
  cloud: GraphCloud
  loopback: boolean
}

const invalid = (value: string, problem: string, fix: string) =>
  new TeamsOAuthError('INPUT_INVALID', `graphUrl: ${JSON.stringify(value)} ${problem}; ${fix}`, {
    field: 'graphUrl',
    value,
    issues: [{ field: 'graphUrl', problem, fix }],
  })

const hostFix = `give one of ${graphClouds.map((c) => `https://${c.host}`).join(', ')}`

/**
 * The one reading of a Graph base URL, for plan, apply and script alike. A trailing slash or an
 * already present /v1.0 is tolerated; only Microsoft's Graph hosts over https, and loopback
 * addresses (tests), are accepted, so a token is never sent anywhere else and nothing that is not
 * a URL ever reaches a script.
 */
export function graphTarget(value: string = defaultGraphUrl): GraphTarget {
  // Anything that could end a comment line or a literal in a script is refused before URL parsing normalises it.
  if (/[^\x21-\x7e]|['"`$]/.test(value))
    throw invalid(value, 'holds a space, a quote, a control or non-ASCII character', hostFix)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw invalid(value, 'is not a URL', hostFix)
  }
  if (url.username || url.password || url.search || url.hash)
    throw invalid(value, 'carries credentials, a query or a fragment', hostFix)
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v1\.0$/i, '')
  const host = url.hostname.toLowerCase()
  if (loopbackHosts.has(host)) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw invalid(value, 'is not http or https', hostFix)
    const base = `${url.protocol}//${url.host}${path}`
    return { base, apiRoot: `${base}/v1.0`, cloud: graphClouds[0]!, loopback: true }
  }
  const refused = refusedClouds[host]
  if (refused)
    throw invalid(
      value,
      `is ${refused}: Microsoft supports Teams meetings for on-premises mailboxes only in the commercial, GCC and GCC High clouds, and teams-oauth knows no sign-in authority there`,
      'configure it by hand with Microsoft, or use a supported cloud',
    )
  const cloud = graphClouds.find((c) => c.host === host)
  if (!cloud) throw invalid(value, 'is not a Microsoft Graph host', hostFix)
  if (url.protocol !== 'https:') throw invalid(value, 'is not https', `use https://${host}`)
  if (path !== '') throw invalid(value, 'has a path', `give the host only (https://${host}); /v1.0 is added`)
  const base = `https://${host}${url.port ? `:${url.port}` : ''}`
  return { base, apiRoot: `${base}/v1.0`, cloud, loopback: false }
}

/** What the plan and doctor must say about a cloud where Microsoft does not support this feature, or null. */
export function cloudSupportNote(cloud: GraphCloud): string | null {
  if (cloud.support === 'delegationUnsupported')
    return `${cloud.label}: Microsoft does not support delegated Teams meeting scheduling there when the delegator's mailbox is on Exchange Server (Teams meetings in on-premises mailboxes themselves are supported); the configuration is made, but delegates will still fail`
  if (cloud.support === 'unsupported')
    return `${cloud.label}: Microsoft supports Teams meetings for on-premises mailboxes only in the commercial, GCC and GCC High clouds; the configuration is made, but Teams will not use it`
  return null
}
