import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { appIds } from './app-ids'
import { parseCertificate } from './certificate'
import { plan } from './engine'
import { type EntraPort, type ExchangePort, exchangeCmdletError, type Targets } from './ports'
import { buildRunbook } from './runbook'

const certificate = readFileSync(new URL('../test/fixtures/rsa.cer', import.meta.url))
const thumbprint = parseCertificate(certificate).thumbprint
const now = new Date('2027-06-01T00:00:00Z')

/** An Exchange organisation where none of the procedure's objects exist yet. */
const emptyOrganisation = (applicationAccountSwitch: boolean): ExchangePort => ({
  async invoke({ cmdlet, params }) {
    if (cmdlet === 'Get-AuthConfig')
      return [
        {
          CurrentCertificateThumbprint: thumbprint,
          PreviousCertificateThumbprint: null,
          NextCertificateThumbprint: null,
          NextCertificateEffectiveDate: null,
          ServiceName: '00000002-0000-0ff1-ce00-000000000000',
          Realm: null,
        },
      ]
    if (cmdlet === 'Get-PartnerApplication') return []
    if (cmdlet === 'Get-ManagementRoleEntry' && params.Identity === 'UserApplication\\*')
      return ['GetDelegate', 'Get-Calendar', 'Set-CalendarProcessing'].map((Name) => ({
        Name,
        Role: 'UserApplication',
        Identity: `UserApplication\\${Name}`,
        Parameters: [],
      }))
    throw exchangeCmdletError({
      cmdlet,
      message: `The operation couldn't be performed because object '${String(params.Identity ?? params.Role)}' couldn't be found on 'dc01.contoso.com'.`,
      category: 'NotSpecified',
      reason: 'ManagementObjectNotFoundException',
      fullyQualifiedErrorId: `ABC,Microsoft.Exchange.Management.${cmdlet}`,
    })
  },
  exportCertificate: async (t) => (t === thumbprint ? new Uint8Array(certificate) : null),
  hasParameter: async () => applicationAccountSwitch,
})

const tenantWithoutKeys: EntraPort = {
  getServicePrincipal: async (appId) => ({
    id: `sp-${appId}`,
    appId,
    displayName: appId,
    keyCredentials: [],
  }),
  setKeyCredentials: async () => {
    throw new Error('plan must not write')
  },
}

const targets = (applicationAccountSwitch = true): Targets => ({
  exchange: emptyOrganisation(applicationAccountSwitch),
  entra: tenantWithoutKeys,
})

const printed = async (
  profile: 'teams' | 'sfbonline' | 'all',
  options: { domainController?: string; switch?: boolean } = {},
) => {
  const runbook = buildRunbook({ profile, domain: 'contoso.com', domainController: options.domainController })
  const planned = await plan(runbook, targets(options.switch ?? true), { now })
  return planned.actions.map(({ action }) =>
    action.system === 'exchange'
      ? `${action.cmdlet} ${Object.entries(action.params)
          .map(([k, v]) => `-${k} ${String(v)}`)
          .join(' ')}`
      : `${action.op} ${action.appId} ${action.op === 'addKey' && action.certificate.thumbprint === thumbprint ? 'auth certificate' : '?'}`,
  )
}

describe('profiles on an empty organisation', () => {
  it('sfbonline plans exactly the seed procedure', async () => {
    expect(await printed('sfbonline')).toEqual([
      'New-MailUser -Name SfBOnline-ApplicationAccount -ExternalEmailAddress SfBOnline-ApplicationAccount@contoso.com',
      'Set-MailUser -Identity SfBOnline-ApplicationAccount -HiddenFromAddressListsEnabled true',
      'New-ManagementRoleAssignment -Role UserApplication -User SfBOnline-ApplicationAccount',
      'New-ManagementRoleAssignment -Role ArchiveApplication -User SfBOnline-ApplicationAccount',
      `New-PartnerApplication -Name SfBOnline -ApplicationIdentifier ${appIds.skypeForBusinessOnline} -Enabled true -LinkedAccount SfBOnline-ApplicationAccount`,
      `addKey ${appIds.skypeForBusinessOnline} auth certificate`,
    ])
  })

  it('teams plans exactly the June 2025 procedure', async () => {
    expect(await printed('teams')).toEqual([
      'New-MailUser -Name TeamsScheduler -ExternalEmailAddress TeamsScheduler-ApplicationAccount@contoso.com -ApplicationAccount true',
      'Set-MailUser -Identity TeamsScheduler -HiddenFromAddressListsEnabled true',
      'New-ManagementRole -Name TeamsSchedulerRole -Parent UserApplication',
      'Remove-ManagementRoleEntry -Identity TeamsSchedulerRole\\Get-Calendar -Confirm false',
      'Remove-ManagementRoleEntry -Identity TeamsSchedulerRole\\Set-CalendarProcessing -Confirm false',
      'New-ManagementRoleAssignment -Role TeamsSchedulerRole -User TeamsScheduler',
      `New-PartnerApplication -Name TeamsScheduler -ApplicationIdentifier ${appIds.teamsScheduler} -Enabled true -LinkedAccount TeamsScheduler`,
      `New-PartnerApplication -Name CloudVoicemail -ApplicationIdentifier ${appIds.cloudVoicemail} -Enabled true`,
      `addKey ${appIds.cloudVoicemail} auth certificate`,
      `addKey ${appIds.teamsScheduler} auth certificate`,
      `addKey ${appIds.skypeForBusinessOnline} auth certificate`,
    ])
  })

  it('all is the union of both, each action once, the certificate uploads last', async () => {
    const all = await printed('all')
    const union = [...new Set([...(await printed('sfbonline')), ...(await printed('teams'))])]
    expect([...all].sort()).toEqual([...union].sort())
    expect(all.slice(-3).every((a) => a.startsWith('addKey'))).toBe(true)
  })

  it('blocks where the build has no -ApplicationAccount, as Microsoft offers no fallback', async () => {
    const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com' })
    const planned = await plan(runbook, targets(false), { now })
    expect(
      planned.actions.some((a) => a.action.system === 'exchange' && a.action.cmdlet === 'New-MailUser'),
    ).toBe(false)
    expect(planned.blocked.map((b) => b.reason).join()).toContain('--allow-plain-mail-user')
  })

  it('creates a plain mail user on such a build only when --allow-plain-mail-user asks, and says so', async () => {
    const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com', allowPlainMailUser: true })
    const planned = await plan(runbook, targets(false), { now })
    expect(planned.actions[0]?.action).toEqual({
      system: 'exchange',
      cmdlet: 'New-MailUser',
      params: {
        Name: 'TeamsScheduler',
        ExternalEmailAddress: 'TeamsScheduler-ApplicationAccount@contoso.com',
      },
    })
    expect(planned.steps[0]?.notes.join()).toContain('no New-MailUser -ApplicationAccount')
  })

  it('pins every Exchange call to the domain controller when one is given', async () => {
    const calls = await printed('all', { domainController: 'dc02.contoso.com' })
    for (const call of calls.filter((c) => !c.startsWith('addKey')))
      expect(call).toContain('-DomainController dc02.contoso.com')
  })
})
