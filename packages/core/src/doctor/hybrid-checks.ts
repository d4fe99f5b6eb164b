import { appIds } from '../app-ids'
import { authServerObject, type partnerApplicationObject } from '../exchange-objects'
import type { Targets } from '../ports'
import { type Check, check } from './checks'
import { read } from './context'

export async function hybridChecks(
  targets: Targets,
  exchangeOnline: ReturnType<typeof partnerApplicationObject.parse> | null,
): Promise<Check[]> {
  const servers = (await read(targets, { cmdlet: 'Get-AuthServer', params: {} })).map((s) =>
    authServerObject.parse(s),
  )
  const evo = servers.find((s) => s.Type === 'AzureAD' && s.Enabled)
  return [
    check(
      'hybrid.authServer',
      'Hybrid OAuth: an enabled evoSTS auth server (Microsoft Entra)',
      evo ? 'pass' : 'fail',
      servers.length
        ? servers.map((s) => `${s.Name}: ${s.Type}, ${s.Enabled ? 'enabled' : 'disabled'}`)
        : ['no auth server'],
      "Run the Hybrid Configuration Wizard with OAuth, or New-AuthServer -Name 'EvoSts - <tenant id>' -Type AzureAD -AuthMetadataUrl 'https://login.windows.net/<tenant id>/federationmetadata/2007-06/federationmetadata.xml'",
      'Exchange trusts Microsoft Entra tokens only through an enabled AzureAD (evoSTS) auth server.',
    ),
    check(
      'hybrid.exchangeOnline',
      `Hybrid OAuth: an enabled Exchange Online partner application (${appIds.exchangeOnline})`,
      exchangeOnline?.Enabled ? 'pass' : 'fail',
      [
        exchangeOnline
          ? `${exchangeOnline.Name}: ${exchangeOnline.Enabled ? 'enabled' : 'disabled'}`
          : 'absent',
      ],
      'Run the Hybrid Configuration Wizard with OAuth (it creates the Exchange Online partner application).',
      'Hybrid OAuth itself is not set up.',
    ),
  ]
}
