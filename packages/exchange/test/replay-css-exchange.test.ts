import { fileURLToPath } from 'node:url'
import { buildRunbook, type DoctorReport, diagnose, plan, type Targets, verify } from '@teams-oauth/core'
import { createFakeTenant } from '@teams-oauth/fakes'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectExchange, type ExchangeConnectionPort } from '../src/connect'

const pwsh = pwshTestGate()
const fixtures = fileURLToPath(new URL('./fixtures/css-exchange', import.meta.url))
const modulePath = fileURLToPath(new URL('./replay/TeamsOAuth.Replay.psm1', import.meta.url))

// The EI captures hold no server and no organisation: those come from the E16 organisation.
const e16Organisation = {
  'Get-ExchangeServer': 'E16-GetExchangeServer.xml',
  'Get-OrganizationConfig': 'E16-GetOrganizationConfig.xml',
}
const replays = [
  {
    name: 'E16',
    authConfig: 'E16-GetAuthConfig.xml',
    certificates: 'E16-GetExchangeCertificate.xml',
    auth: { thumbprint: '92E196F3C8D3D753FCFC5B7690C3173AA1C0ABE3', notAfter: '2023-10-29' },
  },
  {
    name: 'EI',
    authConfig: 'EI-GetAuthConfig.xml',
    certificates: 'EI-GetExchangeCertificate.xml',
    auth: { thumbprint: '2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7', notAfter: '2026-07-11' },
  },
  {
    name: 'EI, several certificates in the store',
    authConfig: 'EI-GetAuthConfig.xml',
    certificates: 'EI-GetExchangeCertificateMultipleMatches.xml',
    auth: { thumbprint: '2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7', notAfter: '2026-07-11' },
  },
  ...['Broken', 'Incomplete', 'OnAzure', 'WithoutAuth'].map((variant) => ({
    name: `EI, certificates ${variant}, none of them the auth certificate AuthConfig names`,
    authConfig: 'EI-GetAuthConfig.xml',
    certificates: `EI-GetExchangeCertificate${variant}.xml`,
    auth: null,
  })),
]

// Every captured auth certificate is valid on the first date and has expired by the second.
const whileValid = new Date('2022-06-01T00:00:00Z')
const afterExpiry = new Date('2026-12-01T00:00:00Z')

const statusOf = (report: DoctorReport, id: string) => report.checks.find((c) => c.id === id)?.status
const checkOf = (report: DoctorReport, id: string) => {
  const found = report.checks.find((c) => c.id === id)
  if (!found) throw new Error(`no check ${id} in the report`)
  return found
}

describe.runIf(pwsh.run)('doctor, plan and verify over a replay of real Exchange output', () => {
  describe.each(replays)('the $name captures', ({ authConfig, certificates, auth }) => {
    let exchange: ExchangeConnectionPort
    let targets: Targets
    beforeAll(async () => {
      exchange = await connectExchange({
        mode: 'module',
        modulePath,
        moduleArguments: [
          fixtures,
          { ...e16Organisation, 'Get-AuthConfig': authConfig, 'Get-ExchangeCertificate': certificates },
        ],
        executable: pwsh.executable,
        // the captures' server ran on US Central time; the reader's zone must not matter
        env: { ...process.env, TZ: 'America/Chicago' },
      })
      targets = { exchange, entra: createFakeTenant().entra }
    })
    afterAll(async () => {
      await exchange?.close()
    })

    it('reads the deserialized objects in the plain form core reads', async () => {
      const [server] = await exchange.invoke({ cmdlet: 'Get-ExchangeServer', params: {} })
      expect(server).toMatchObject({
        Name: 'SOLO-E16A',
        Identity: 'SOLO-E16A',
        ServerRole: 'Mailbox',
        AdminDisplayVersion: 'Version 15.1 (Build 2375.7)',
        Edition: 'StandardEvaluation',
        Site: 'Solo.local/Configuration/Sites/Default-First-Site-Name',
        WhenCreatedUTC: '2018-11-24T00:31:27.000Z',
      })
      expect(server?.ObjectClass).toEqual(['top', 'server', 'msExchExchangeServer'])
      const [config] = await exchange.invoke({ cmdlet: 'Get-AuthConfig', params: {} })
      expect(config).toMatchObject({ Identity: 'Auth Configuration', NextCertificateEffectiveDate: null })
    })

    it('doctor finishes with a verdict on each check while the auth certificate is valid', async () => {
      const report = await diagnose(targets, { profile: 'all', domain: 'solo.local', now: whileValid })
      for (const app of ['SfBOnline', 'TeamsScheduler', 'CloudVoicemail'])
        expect(checkOf(report, `partnerApplication.${app}`)).toMatchObject({
          status: 'fail',
          evidence: ['absent'],
        })
      expect(statusOf(report, 'partnerApplication.legacyOnly')).toBe('pass')
      expect(checkOf(report, 'exchange.build')).toMatchObject({
        status: 'pass',
        evidence: ['SOLO-E16A: Version 15.1 (Build 2375.7)'],
      })
      expect(statusOf(report, 'ews.organization')).toBe('pass')
      expect(statusOf(report, 'hybrid.authServer')).toBe('fail')
      const certificate = checkOf(report, 'authCertificate')
      if (auth) {
        expect(certificate.status).toBe('pass')
        expect(certificate.evidence[0]).toBe(
          `${auth.thumbprint}, CN=Microsoft Exchange Server Auth Certificate`,
        )
        expect(
          checkOf(report, 'entra.key.7557eb47-c689-4224-abcf-aef9bd7573df').evidence.join(' '),
        ).toContain(`${auth.thumbprint} absent`)
      } else {
        expect(certificate.status).toBe('fail')
        expect(certificate.evidence).toEqual([
          '2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7 named by Get-AuthConfig is in no certificate store',
        ])
      }
      expect(report.ok).toBe(false)
    })

    it('doctor fails the auth certificate once it has expired and names its renewal', async () => {
      const report = await diagnose(targets, { profile: 'teams', domain: 'solo.local', now: afterExpiry })
      const certificate = checkOf(report, 'authCertificate')
      expect(certificate.status).toBe('fail')
      if (auth) expect(certificate.evidence).toContain(`expired on ${auth.notAfter}`)
      expect(certificate.fix).toMatch(/New-ExchangeCertificate[\s\S]*Set-AuthConfig/)
    })

    it('plan and verify finish, and say what the auth certificate allows', async () => {
      const runbook = buildRunbook({ profile: 'teams', domain: 'solo.local' })
      const planned = await plan(runbook, targets, { now: whileValid })
      const step = planned.steps.find((s) => s.id === 'exchange.authCertificate')!
      expect(planned.steps.find((s) => s.id === 'mailUser.TeamsScheduler')?.actual).toBe('absent')
      expect(planned.actions.map((a) => a.action)).toContainEqual(
        expect.objectContaining({ cmdlet: 'New-PartnerApplication' }),
      )
      if (auth) {
        expect(step.blocked).toBeNull()
        expect(step.actual).toBe(`current ${auth.thumbprint} (valid until ${auth.notAfter})`)
        const expired = await plan(runbook, targets, { now: afterExpiry })
        expect(expired.blocked).toContainEqual(
          expect.objectContaining({
            step: 'exchange.authCertificate',
            reason: expect.stringMatching(/renew/i),
          }),
        )
      } else {
        expect(step.blocked).toMatch(
          /2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7 .*in no Exchange server's certificate store/,
        )
      }
      const report = await verify(runbook, targets, { now: whileValid })
      expect(report.ok).toBe(false)
      expect(report.steps.find((s) => s.id === 'exchange.authCertificate')?.status).toBe(
        auth ? 'ok' : 'drift',
      )
      expect(report.steps.find((s) => s.id === 'mailUser.TeamsScheduler')?.status).toBe('drift')
    })
  })
})
