import { describe, expect, it } from 'vitest'
import { cmdletFailure } from '../test/cmdlet-failure'
import { makeTestCertificate } from './certificates'
import { appIds } from './seed'
import { createFakeTenant } from './tenant'

const base64 = (der: Uint8Array) => Buffer.from(der).toString('base64')

describe('MSOnline cmdlets', () => {
  it('connects without doing anything', async () => {
    const tenant = createFakeTenant()
    expect(await tenant.invokeCmdlet({ cmdlet: 'Connect-MsolService', params: {} })).toEqual([])
    expect(tenant.changes).toEqual([])
  })

  it('reads a service principal by AppPrincipalId', async () => {
    const [sp] = await createFakeTenant().invokeCmdlet({
      cmdlet: 'Get-MsolServicePrincipal',
      params: { AppPrincipalId: appIds.skypeForBusinessOnline },
    })
    expect(sp).toMatchObject({
      AppPrincipalId: appIds.skypeForBusinessOnline,
      DisplayName: 'Skype for Business Online',
    })
  })

  it('fails an unknown AppPrincipalId with a MicrosoftOnlineException', async () => {
    const data = await cmdletFailure(
      createFakeTenant().invokeCmdlet({
        cmdlet: 'Get-MsolServicePrincipal',
        params: { AppPrincipalId: '11111111-1111-1111-1111-111111111111' },
      }),
    )
    expect(data.reason).toBe('MicrosoftOnlineException')
  })

  it('lists credentials, with values only under -ReturnKeyValues $true', async () => {
    const tenant = createFakeTenant()
    const without = await tenant.invokeCmdlet({
      cmdlet: 'Get-MsolServicePrincipalCredential',
      params: { AppPrincipalId: appIds.skypeForBusinessOnline, ReturnKeyValues: false },
    })
    expect(without.length).toBe(2)
    expect(
      without.every((c) => c['Value'] === null && c['Type'] === 'Asymmetric' && c['Usage'] === 'Verify'),
    ).toBe(true)
    const withValues = await tenant.invokeCmdlet({
      cmdlet: 'Get-MsolServicePrincipalCredential',
      params: { AppPrincipalId: appIds.skypeForBusinessOnline, ReturnKeyValues: true },
    })
    expect(withValues.every((c) => typeof c['Value'] === 'string')).toBe(true)
  })

  it('requires -ReturnKeyValues as the module does', async () => {
    const data = await cmdletFailure(
      createFakeTenant().invokeCmdlet({
        cmdlet: 'Get-MsolServicePrincipalCredential',
        params: { AppPrincipalId: appIds.skypeForBusinessOnline },
      }),
    )
    expect(data.fullyQualifiedErrorId).toBe('MissingMandatoryParameter,Get-MsolServicePrincipalCredential')
  })

  it("adds one key whose dates default to the certificate's, as the seed verifies", async () => {
    const tenant = createFakeTenant()
    const cert = makeTestCertificate({
      subject: 'CN=Microsoft Exchange Server Auth Certificate',
      notBefore: new Date('2024-06-01T00:00:00Z'),
      notAfter: new Date('2029-06-01T00:00:00Z'),
    })
    await tenant.invokeCmdlet({
      cmdlet: 'New-MsolServicePrincipalCredential',
      params: {
        AppPrincipalId: appIds.skypeForBusinessOnline,
        Type: 'Asymmetric',
        Usage: 'Verify',
        Value: base64(cert.der),
      },
    })
    const credentials = await tenant.invokeCmdlet({
      cmdlet: 'Get-MsolServicePrincipalCredential',
      params: { AppPrincipalId: appIds.skypeForBusinessOnline, ReturnKeyValues: true },
    })
    expect(credentials).toHaveLength(3)
    expect(credentials.at(-1)).toMatchObject({
      Type: 'Asymmetric',
      Usage: 'Verify',
      Value: base64(cert.der),
      StartDate: '2024-06-01T00:00:00Z',
      EndDate: '2029-06-01T00:00:00Z',
    })
    const graph = tenant.graph.getServicePrincipal({ appId: appIds.skypeForBusinessOnline })!
    expect(graph.keyCredentials.at(-1)).toMatchObject({ type: 'AsymmetricX509Cert', usage: 'Verify' })
    expect(tenant.changes.at(-1)).toMatchObject({
      system: 'entra',
      operation: 'New-MsolServicePrincipalCredential',
    })
  })

  it('takes explicit dates inside the certificate validity and refuses an end date after it', async () => {
    const tenant = createFakeTenant()
    const cert = makeTestCertificate({
      subject: 'CN=Dates',
      notBefore: new Date('2024-06-01T00:00:00Z'),
      notAfter: new Date('2029-06-01T00:00:00Z'),
    })
    const params = {
      AppPrincipalId: appIds.cloudVoicemail,
      Type: 'Asymmetric',
      Usage: 'Verify',
      Value: base64(cert.der),
    }
    const data = await cmdletFailure(
      tenant.invokeCmdlet({
        cmdlet: 'New-MsolServicePrincipalCredential',
        params: { ...params, EndDate: '2031-01-01T00:00:00Z' },
      }),
    )
    expect(data.reason).toBe('MicrosoftOnlineException')
    await tenant.invokeCmdlet({
      cmdlet: 'New-MsolServicePrincipalCredential',
      params: { ...params, StartDate: '2025-01-01T00:00:00Z', EndDate: '2026-01-01T00:00:00Z' },
    })
    const sp = tenant.graph.getServicePrincipal({ appId: appIds.cloudVoicemail })!
    expect(sp.keyCredentials.at(-1)).toMatchObject({
      startDateTime: '2025-01-01T00:00:00Z',
      endDateTime: '2026-01-01T00:00:00Z',
    })
  })

  it('refuses a value that is not a certificate', async () => {
    const data = await cmdletFailure(
      createFakeTenant().invokeCmdlet({
        cmdlet: 'New-MsolServicePrincipalCredential',
        params: {
          AppPrincipalId: appIds.teamsScheduler,
          Type: 'Asymmetric',
          Usage: 'Verify',
          Value: 'bm90IGEgY2VydA==',
        },
      }),
    )
    expect(data.message).toBe('Invalid certificate: Key value is invalid certificate')
  })

  it('removes keys by KeyIds', async () => {
    const tenant = createFakeTenant()
    const [first] = await tenant.invokeCmdlet({
      cmdlet: 'Get-MsolServicePrincipalCredential',
      params: { AppPrincipalId: appIds.exchangeOnline, ReturnKeyValues: false },
    })
    await tenant.invokeCmdlet({
      cmdlet: 'Remove-MsolServicePrincipalCredential',
      params: { AppPrincipalId: appIds.exchangeOnline, KeyIds: [String(first?.['KeyId'])] },
    })
    const left = await tenant.invokeCmdlet({
      cmdlet: 'Get-MsolServicePrincipalCredential',
      params: { AppPrincipalId: appIds.exchangeOnline, ReturnKeyValues: false },
    })
    expect(left.map((c) => c['KeyId'])).not.toContain(first?.['KeyId'])
    expect(left).toHaveLength(1)
  })
})
