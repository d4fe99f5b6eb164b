import { type EntraPort, type ExchangePort, type Targets, TeamsOAuthError } from '@teams-oauth/core'
import { type LoadedFake, loadFake } from './fake-state'
import type { CliIO } from './io'
import type { TargetOptions } from './options'

export interface OpenTargets {
  targets: Targets
  fake: LoadedFake | null
  /** Saves the fake's state (if any) and closes the sessions. */
  close(): Promise<void>
}

/** A bearer token from TEAMS_OAUTH_GRAPH_TOKEN, else from @azure/identity (loaded only here). */
async function tokenProvider(options: TargetOptions, io: CliIO): Promise<() => Promise<string>> {
  const fixed = io.env.TEAMS_OAUTH_GRAPH_TOKEN
  if (fixed) return async () => fixed
  const identity = await import('@azure/identity')
  const { graphCloud } = await import('@teams-oauth/graph')
  // a national cloud's tenant signs in at its own cloud, for a token to its own Graph
  const { resource, authorityHost } = graphCloud(options.graphUrl)
  const tenantId = options.tenant ?? io.env.AZURE_TENANT_ID
  const clientId = io.env.AZURE_CLIENT_ID
  let credential: import('@azure/identity').TokenCredential
  if (clientId && io.env.AZURE_CLIENT_CERTIFICATE_PATH && tenantId) {
    credential = new identity.ClientCertificateCredential(
      tenantId,
      clientId,
      { certificatePath: io.env.AZURE_CLIENT_CERTIFICATE_PATH },
      { authorityHost },
    )
  } else if (io.env.TEAMS_OAUTH_MANAGED_IDENTITY === '1') {
    credential = clientId
      ? new identity.ManagedIdentityCredential({ clientId })
      : new identity.ManagedIdentityCredential()
  } else {
    credential = new identity.DeviceCodeCredential({
      ...(tenantId ? { tenantId } : {}),
      authorityHost,
      // Microsoft Graph Command Line Tools, the public client admins already consent to for Graph PowerShell
      clientId: clientId ?? '14d82eec-204b-4c2f-b7e8-296a70dab67e',
      userPromptCallback: (info) => io.stderr(`${info.message}\n`),
    })
  }
  const scope =
    credential instanceof identity.DeviceCodeCredential
      ? `${resource}/Application.ReadWrite.All`
      : `${resource}/.default`
  return async () => {
    const token = await credential.getToken(scope)
    if (!token) throw new Error('no token was issued for Microsoft Graph')
    return token.token
  }
}

export async function openTargets(options: TargetOptions, io: CliIO): Promise<OpenTargets> {
  const progress = (message: string) => {
    if (!options.json || options.verbose) io.stderr(`${message}\n`)
  }
  const usesFake = options.exchange === 'fake' || options.exchange === 'fake-pwsh' || options.entra === 'fake'
  const fake = usesFake ? await loadFake(options.state, io.env) : null
  if (usesFake) {
    const which = [
      options.exchange.startsWith('fake') && 'Exchange',
      options.entra === 'fake' && 'Entra',
    ].filter(Boolean)
    progress(
      `Note: ${which.join(' and ')} here ${which.length > 1 ? 'are' : 'is'} the embedded fake (${options.state ? `kept in ${options.state}` : 'not kept'}); nothing real is read or changed. Real targets: --exchange local|<URI> --entra graph.`,
    )
  }
  // closed in order: sessions first, then the doors they talk to
  const closers: (() => Promise<void>)[] = []
  let exchange: ExchangePort
  let entra: EntraPort
  try {
    if (options.exchange === 'fake') exchange = fake!.tenant.exchange
    else if (options.exchange === 'fake-pwsh') {
      // The fake organisation behind the PowerShell stand-in, driven by the real adapter through a real pwsh.
      const { startFakeExchangeServer } = await import('@teams-oauth/fakes/pwsh')
      const { connectExchange } = await import('@teams-oauth/exchange')
      const { locatePwsh } = await import('@teams-oauth/powershell')
      const door = await startFakeExchangeServer(fake!.tenant)
      closers.push(() => door.close())
      const connection = await connectExchange({
        mode: 'module',
        modulePath: door.modulePath,
        moduleArguments: [door.url],
        executable: locatePwsh() ?? 'pwsh',
        onProgress: progress,
      })
      closers.unshift(() => connection.close())
      exchange = connection
    } else {
      if (options.exchange === 'local' && process.platform !== 'win32')
        throw new TeamsOAuthError(
          'INPUT_INVALID',
          '--exchange local runs on an Exchange server, in its Exchange Management Shell (Windows); from this machine connect remotely: --exchange https://ex01.contoso.com/PowerShell/',
          { field: 'exchange' },
        )
      const { connectExchange } = await import('@teams-oauth/exchange')
      const { locatePwsh } = await import('@teams-oauth/powershell')
      const connection = await connectExchange(
        options.exchange === 'local'
          ? { mode: 'local', onProgress: progress }
          : {
              mode: 'remote',
              connectionUri: options.exchange,
              executable: locatePwsh() ?? 'pwsh',
              onProgress: progress,
            },
      )
      closers.unshift(() => connection.close())
      exchange = connection
    }
    if (options.entra === 'fake') entra = fake!.tenant.entra
    else if (options.entra === 'graph') {
      const { graphEntra } = await import('@teams-oauth/graph')
      entra = graphEntra({
        ...(options.graphUrl ? { baseUrl: options.graphUrl } : {}),
        tokenProvider: await tokenProvider(options, io),
      })
    } else {
      const { msolEntra } = await import('@teams-oauth/msol')
      const msol = msolEntra({})
      closers.unshift(() => msol.close())
      // Fails here, before anything is read or changed, where MSOnline cannot run.
      await msol.ready()
      entra = msol
    }
  } catch (error) {
    // nothing half-open is left behind when a target cannot be reached
    for (const close of closers) await close().catch(() => {})
    throw error
  }
  return {
    targets: { exchange, entra },
    fake,
    async close() {
      fake?.save()
      for (const close of closers) await close()
    },
  }
}
