import { defaultGraphUrl, graphClouds, graphTarget } from '@teams-oauth/core/adapter'

/** Graph hosts of the public cloud and the national clouds (core's cloud table is the one source). */
export const graphHosts: readonly string[] = graphClouds.map((cloud) => cloud.host)

export const defaultGraphBaseUrl = defaultGraphUrl

/**
 * Turns a Graph base URL into the root every request path is appended to, ending in `/v1.0`.
 * The one validator is core's graphTarget: Microsoft's Graph hosts over https, and loopback for tests.
 */
export const graphApiRoot = (baseUrl: string = defaultGraphBaseUrl): string => graphTarget(baseUrl).apiRoot

/**
 * The resource a token for this Graph base URL is asked for (its origin, without any path) and the
 * authority host to sign in at, so national-cloud tenants sign in at their own cloud.
 */
export function graphCloud(baseUrl: string = defaultGraphBaseUrl): {
  resource: string
  authorityHost: string
} {
  const target = graphTarget(baseUrl)
  const root = new URL(target.apiRoot)
  return { resource: `${root.protocol}//${root.host}`, authorityHost: target.cloud.authorityHost }
}
