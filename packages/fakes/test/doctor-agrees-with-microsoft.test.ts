import {
  apply,
  buildRunbook,
  type Check,
  type DiagnoseOptions,
  type DoctorReport,
  diagnose,
  plan,
} from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { appIds, createFakeTenant, type FakeSeed, type FakeTenant, scenarios } from '../src/index'

const doctor = (tenant: FakeTenant, options: Partial<DiagnoseOptions> = {}) =>
  diagnose(tenant, { profile: 'all', domain: 'contoso.com', delegate: 'bob', delegator: 'alice', ...options })

const find = (report: DoctorReport, id: string): Check => {
  const found = report.checks.find((c) => c.id === id)
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`)
  return found
}

const configured = async (seed: FakeSeed = {}) => {
  const tenant = createFakeTenant(seed)
  await apply(await plan(buildRunbook({ profile: 'all', domain: 'contoso.com' }), tenant), tenant)
  return tenant
}

const disable = (tenant: FakeTenant, name: string) =>
  tenant.invokeCmdlet({ cmdlet: 'Set-PartnerApplication', params: { Identity: name, Enabled: false } })

describe("doctor's legacy-only check, as Health Checker's rule", () => {
  it('fails when TeamsScheduler and CloudVoicemail exist but are disabled and the legacy app is enabled', async () => {
    const tenant = await configured()
    await disable(tenant, 'TeamsScheduler')
    await disable(tenant, 'CloudVoicemail')
    const legacy = find(await doctor(tenant), 'partnerApplication.legacyOnly')
    expect(legacy.status).toBe('fail')
    expect(legacy.evidence).toEqual([
      'SfBOnline: enabled',
      'TeamsScheduler: disabled',
      'CloudVoicemail: disabled',
    ])
  })

  it('passes a disabled legacy app with no modern app: that is not "legacy only"', async () => {
    const tenant = createFakeTenant(scenarios.legacyOnly())
    await disable(tenant, 'SfBOnline')
    expect(find(await doctor(tenant, { profile: 'teams' }), 'partnerApplication.legacyOnly').status).toBe(
      'pass',
    )
  })

  it('passes when one modern app is enabled', async () => {
    const tenant = await configured()
    await disable(tenant, 'CloudVoicemail')
    expect(find(await doctor(tenant), 'partnerApplication.legacyOnly').status).toBe('pass')
  })
})

describe("doctor's EWS checks", () => {
  const ewsOff = (where: 'organization' | 'mailbox'): FakeSeed => ({
    customize: (state) => {
      if (where === 'organization') state.exchange.organization.ews.ewsEnabled = false
      else {
        const alice = state.exchange.mailboxes.find((m) => m.alias === 'alice')!
        alice.cas.ewsEnabled = false
      }
    },
  })

  it('fails EwsEnabled = $false on the organisation, with Set-OrganizationConfig -EwsEnabled $true', async () => {
    const check = find(await doctor(await configured(ewsOff('organization'))), 'ews.organization')
    expect(check.status).toBe('fail')
    expect(check.evidence).toContain('EwsEnabled: False')
    expect(check.fix).toBe('Set-OrganizationConfig -EwsEnabled $true')
  })

  it("fails EwsEnabled = $false on the delegator's mailbox, with Set-CASMailbox -EwsEnabled $true", async () => {
    const report = await doctor(await configured(ewsOff('mailbox')))
    expect(find(report, 'ews.organization').status).toBe('pass')
    const check = find(report, 'ews.mailbox')
    expect(check.status).toBe('fail')
    expect(check.fix).toBe("Set-CASMailbox -Identity 'alice' -EwsEnabled $true")
  })

  it('removes from a block list the entries that matched, not a literal the list may not hold', async () => {
    const tenant = await configured({
      customize: (state) => {
        state.exchange.organization.ews = {
          ewsApplicationAccessPolicy: 'EnforceBlockList',
          ewsAllowList: null,
          ewsBlockList: ['Contoso.SchedulingService/*'],
          ewsEnabled: null,
        }
      },
    })
    const check = find(await doctor(tenant), 'ews.organization')
    expect(check.status).toBe('fail')
    expect(check.fix).toBe(
      "Set-OrganizationConfig -EwsBlockList @{ Remove = @('Contoso.SchedulingService/*') }",
    )
  })
})

describe('the auth certificate renewal doctor and plan print', () => {
  it('stages a next certificate for one still valid, without publishing it or clearing the previous one', async () => {
    const check = find(
      await doctor(await configured(scenarios.authCertificateExpiringIn(45))),
      'authCertificate',
    )
    expect(check.status).toBe('warn')
    expect(check.fix).toContain('-NewCertificateEffectiveDate (Get-Date).AddDays(2)')
    expect(check.fix).toContain('teams-oauth apply --profile all --domain contoso.com')
    expect(check.fix).toContain('Hybrid Configuration Wizard again')
    expect(check.fix).not.toMatch(/PublishCertificate|ClearPreviousCertificate/)
  })

  it("fails a certificate with under 30 days left, as Health Checker's red tier, still with the staging form", async () => {
    const check = find(
      await doctor(await configured(scenarios.authCertificateExpiringIn(20))),
      'authCertificate',
    )
    expect(check.status).toBe('fail')
    expect(check.fix).not.toMatch(/PublishCertificate/)
  })

  it("switches an expired one at once, with Microsoft's follow-ups", async () => {
    const check = find(await doctor(createFakeTenant(scenarios.expiredAuthCertificate())), 'authCertificate')
    expect(check.status).toBe('fail')
    for (const part of [
      'Set-AuthConfig -PublishCertificate',
      'Set-AuthConfig -ClearPreviousCertificate',
      'Restart-Service MSExchangeServiceHost',
      'MSExchangeOWAAppPool',
      'MSExchangeECPAppPool',
      'IISReset',
      'Hybrid Configuration Wizard again',
      'answer N',
    ])
      expect(check.fix).toContain(part)
  })

  it('blocks the plan on an expired certificate with the immediate form, and notes the staging form when it runs out soon', async () => {
    const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com' })
    const expired = await plan(runbook, createFakeTenant(scenarios.expiredAuthCertificate()))
    expect(expired.blocked[0]?.reason).toMatch(
      /PublishCertificate.*MSExchangeServiceHost.*Hybrid Configuration Wizard/,
    )
    const soon = await plan(runbook, createFakeTenant(scenarios.authCertificateExpiringIn(45)))
    const notes = soon.steps.find((s) => s.kind === 'authCertificate')?.notes.join('\n') ?? ''
    expect(notes).toContain('stage the next one now')
    expect(notes).not.toMatch(/PublishCertificate/)
  })
})

describe("doctor's hybrid OAuth and cloud checks", () => {
  it('enables a disabled Exchange Online partner application as Microsoft does, and prints the functional checks', async () => {
    const tenant = await configured()
    await disable(tenant, 'Exchange Online')
    const check = find(await doctor(tenant), 'hybrid.exchangeOnline')
    expect(check.status).toBe('fail')
    expect(check.fix).toContain(
      `Get-PartnerApplication | Where-Object { $_.ApplicationIdentifier -eq '${appIds.exchangeOnline}' -and $_.Realm -eq '' } | Set-PartnerApplication -Enabled $true`,
    )
    expect(check.fix).toContain('Get-IntraOrganizationConnector')
    expect(check.fix).toContain(
      "Test-OAuthConnectivity -Service EWS -TargetUri https://outlook.office365.com/ews/exchange.asmx -Mailbox 'alice'",
    )
    expect(check.fix).toContain('autodiscover.json?Email=')
  })

  it('names the IntraOrganizationConnector when hybrid OAuth was never set up', async () => {
    const check = find(await doctor(createFakeTenant(scenarios.noPartnerApp())), 'hybrid.exchangeOnline')
    expect(check.fix).toContain('IntraOrganizationConnector')
  })

  it('warns in GCC High that delegated scheduling for on-premises mailboxes is unsupported', async () => {
    const report = await doctor(await configured(), { graphUrl: 'https://graph.microsoft.us' })
    const cloud = find(report, 'cloud.support')
    expect(cloud.status).toBe('warn')
    expect(cloud.explanation).toContain('does not support delegated Teams meeting scheduling')
    const dod = find(
      await doctor(await configured(), { graphUrl: 'https://dod-graph.microsoft.us' }),
      'cloud.support',
    )
    expect(dod.explanation).toContain('only in the commercial, GCC and GCC High clouds')
  })

  it('points an old build to the supportability matrix, not to out-of-support updates', async () => {
    const tenant = createFakeTenant({
      customize: (state) => {
        state.exchange.servers[0]!.adminDisplayVersion = 'Version 15.1 (Build 225.42)'
      },
    })
    const check = find(await doctor(tenant), 'exchange.build')
    expect(check.status).toBe('fail')
    expect(check.fix).toContain('supportability matrix')
    expect(check.fix).not.toContain('CU23')
  })
})
