import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { certificateRef, parseCertificate } from '../certificate'
import { plan } from '../engine'
import type { TeamsOAuthError } from '../errors'
import type { EntraPort, ExchangePort, KeyCredential } from '../ports'
import { buildRunbook } from '../runbook'

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url))
const auth = certificateRef(parseCertificate(fixture('rsa.cer')))
const expired = certificateRef(parseCertificate(fixture('expired.pem')))
const now = new Date('2027-06-01T00:00:00Z')
const appId = '00000004-0000-0ff1-ce00-000000000000'

// Exchange is already configured: only the Entra step has anything to say.
const configured: ExchangePort = {
  async invoke({ cmdlet }) {
    if (cmdlet === 'Get-AuthConfig')
      return [
        {
          CurrentCertificateThumbprint: auth.thumbprint,
          PreviousCertificateThumbprint: null,
          NextCertificateThumbprint: null,
          NextCertificateEffectiveDate: null,
          ServiceName: 'x',
          Realm: null,
        },
      ]
    if (cmdlet === 'Get-MailUser')
      return [
        {
          Name: 'SfBOnline-ApplicationAccount',
          Identity: 'contoso.com/Users/SfBOnline-ApplicationAccount',
          Alias: 'a',
          ExternalEmailAddress: 'SMTP:a@contoso.com',
          HiddenFromAddressListsEnabled: true,
          RecipientTypeDetails: 'MailUser',
          Guid: 'g',
        },
      ]
    if (cmdlet === 'Get-ManagementRoleAssignment')
      return [{ Name: 'x', Role: 'r', RoleAssigneeName: 'a', RoleAssigneeType: 'User', Enabled: true }]
    if (cmdlet === 'Get-PartnerApplication')
      return [
        {
          Name: 'SfBOnline',
          ApplicationIdentifier: appId,
          Enabled: true,
          LinkedAccount: 'contoso.com/Users/SfBOnline-ApplicationAccount',
          Realm: '',
          UseAuthServer: true,
        },
      ]
    return []
  },
  exportCertificate: async () => Buffer.from(auth.der, 'base64'),
  hasParameter: async () => false,
}

const key = (keyId: string, source: typeof auth, overrides: Partial<KeyCredential> = {}): KeyCredential => ({
  keyId,
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: source.der,
  displayName: null,
  customKeyIdentifier: source.thumbprint,
  startDateTime: source.notBefore,
  endDateTime: source.notAfter,
  ...overrides,
})

const entraWith = (keys: KeyCredential[] | null): EntraPort => ({
  getServicePrincipal: async (id) =>
    keys ? { id: 'sp-1', appId: id, displayName: 'Skype for Business Online', keyCredentials: keys } : null,
  setKeyCredentials: async () => {
    throw new Error('plan must not write')
  },
})

const planWith = (keys: KeyCredential[] | null, dropExpiredKeys = false) =>
  plan(
    buildRunbook({ profile: 'sfbonline', domain: 'contoso.com', dropExpiredKeys }),
    { exchange: configured, entra: entraWith(keys) },
    { now },
  )

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (error: TeamsOAuthError) => error,
  )

describe('the service principal key step', () => {
  it('stops the plan, before any change, when a key it must keep read back without its value', async () => {
    const error = await failure(planWith([key('k1', expired, { key: null })]))
    expect(error.code).toBe('KEY_VALUE_MISSING')
    expect(error.message).toContain('$select=keyCredentials')
  })

  it('keeps expired keys unless told to drop them, and then names them in the plan', async () => {
    const kept = await planWith([key('old', expired)])
    expect(kept.actions[0]?.action).toMatchObject({ op: 'addKey', dropKeyIds: [] })
    const dropped = await planWith([key('old', expired)], true)
    expect(dropped.actions[0]?.action).toMatchObject({ op: 'addKey', dropKeyIds: ['old'] })
    expect(dropped.steps.at(-1)?.notes.join()).toContain(
      'expired keys dropped from Skype for Business Online: old',
    )
  })

  it('says how to create a service principal that does not exist', async () => {
    const error = await failure(planWith(null))
    expect(error.code).toBe('SERVICE_PRINCIPAL_NOT_FOUND')
    expect(error.message).toContain(
      `POST https://graph.microsoft.com/v1.0/servicePrincipals {"appId": "${appId}"}`,
    )
  })

  it("changes nothing when the certificate is there, and notes a key whose dates are not the certificate's", async () => {
    const right = await planWith([key('k', auth)])
    expect(right.actions).toEqual([])
    expect(right.steps.at(-1)?.notes).toEqual([])
    const wrongDates = await planWith([key('k', auth, { endDateTime: '2099-01-01T00:00:00Z' })])
    expect(wrongDates.actions).toEqual([])
    expect(wrongDates.steps.at(-1)?.notes.join()).toContain('runs')
  })
})
