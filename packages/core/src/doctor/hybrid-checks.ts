import { appIds } from '../app-ids'
import { authServerObject, type partnerApplicationObject } from '../exchange-objects'
import type { Targets } from '../ports'
import { quote } from '../script/quote'
import { type Check, check } from './checks'
import { type DiagnoseOptions, read } from './context'

/** Microsoft's own functional checks of hybrid OAuth (Teams and Exchange troubleshooting), as commands. */
export function hybridProbes(mailbox: string | undefined): string {
  const who = mailbox ? quote(mailbox) : '<delegator>'
  return [
    'Get-IntraOrganizationConnector | Format-List Name, Enabled, TargetAddressDomains, DiscoveryEndpoint',
    `Test-OAuthConnectivity -Service EWS -TargetUri https://outlook.office365.com/ews/exchange.asmx -Mailbox ${who} | Format-List`,
    `Invoke-RestMethod -Uri ('https://outlook.office365.com/autodiscover/autodiscover.json?Email=' + ${mailbox ? `${quote(mailbox)}` : "'<delegator address>'"} + '&Protocol=EWS&RedirectCount=5') -UserAgent Teams`,
  ].join('; ')
}

export async function hybridChecks(
  targets: Targets,
  exchangeOnline: ReturnType<typeof partnerApplicationObject.parse> | null,
  options: DiagnoseOptions,
): Promise<Check[]> {
  const probes = `then check it end to end: ${hybridProbes(options.delegator)}`
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
      `Run the Hybrid Configuration Wizard with OAuth, or New-AuthServer -Name 'EvoSts - <tenant id>' -Type AzureAD -AuthMetadataUrl 'https://login.windows.net/<tenant id>/federationmetadata/2007-06/federationmetadata.xml'; ${probes}`,
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
      exchangeOnline
        ? `Get-PartnerApplication | Where-Object { $_.ApplicationIdentifier -eq '${appIds.exchangeOnline}' -and $_.Realm -eq '' } | Set-PartnerApplication -Enabled $true; ${probes}`
        : `Run the Hybrid Configuration Wizard with OAuth (Microsoft's "Configure OAuth authentication between Exchange and Exchange Online organizations", including the IntraOrganizationConnector); ${probes}`,
      "Hybrid OAuth between Exchange and Exchange Online (step 1 of Microsoft's procedure) is not set up; Teams reaches on-premises mailboxes only through it.",
    ),
  ]
}
