import { getHandler, type Handler, hasWildcard, notFound } from './exchange-cmdlet-context'
import { findAuthServer, findServer, wildcardMatch } from './exchange-model'
import {
  authConfigObject,
  authServerObject,
  exchangeCertificateObject,
  exchangeServerObject,
  organizationConfigObject,
} from './exchange-objects'

/** The organisation, its auth configuration, its servers and their certificates: read only. */

const getExchangeServer: Handler = (ctx) => {
  const { state, params } = ctx
  const identity = params.string('Identity')
  if (identity !== undefined) {
    const servers = state.servers.filter(
      (s) => wildcardMatch(identity, s.name) || wildcardMatch(identity, s.fqdn),
    )
    if (servers.length === 0 && !hasWildcard(identity)) throw notFound(ctx, identity)
    return servers.map(exchangeServerObject)
  }
  const domain = params.string('Domain')
  const servers = domain
    ? state.servers.filter((s) => s.fqdn.toLowerCase().endsWith(`.${domain.toLowerCase()}`))
    : state.servers
  return servers.map(exchangeServerObject)
}

const getExchangeCertificate: Handler = (ctx) => {
  const { state, params } = ctx
  const identity = params.string('Identity')
  let serverId = params.string('Server')
  let thumbprint = params.string('Thumbprint')
  if (identity !== undefined) {
    const at = identity.lastIndexOf('\\')
    if (at >= 0) serverId = identity.slice(0, at)
    thumbprint = identity.slice(at + 1)
  }
  const server = serverId === undefined ? state.servers[0] : findServer(state, serverId)
  if (!server) throw notFound(ctx, serverId ?? '')
  if (thumbprint === undefined) return server.certificates.map((c) => exchangeCertificateObject(server, c))
  const stored = server.certificates.find(
    (c) => c.thumbprint.toLowerCase() === thumbprint!.trim().toLowerCase(),
  )
  if (!stored) throw notFound(ctx, `${server.fqdn}\\${thumbprint}`)
  return [exchangeCertificateObject(server, stored)]
}

export const serverCmdlets: Record<string, Handler> = {
  'Get-OrganizationConfig': (ctx) => [organizationConfigObject(ctx.state)],
  'Get-AuthConfig': (ctx) => [authConfigObject(ctx.state)],
  'Get-AuthServer': getHandler(
    (state) => state.authServers,
    findAuthServer,
    (_, server) => authServerObject(server),
  ),
  'Get-ExchangeServer': getExchangeServer,
  'Get-ExchangeCertificate': getExchangeCertificate,
}
