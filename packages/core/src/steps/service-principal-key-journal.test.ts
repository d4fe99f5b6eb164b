import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Action, EntraAction } from '../actions'
import { certificateRef, parseCertificate } from '../certificate'
import type { KeyCredential, ServicePrincipal } from '../ports'
import { servicePrincipalKey, servicePrincipalMissing } from './service-principal-key'

const appId = '00000004-0000-0ff1-ce00-000000000000'
const step = {
  kind: 'servicePrincipalKey' as const,
  id: `entra.key.${appId}`,
  appId,
  displayName: 'Skype for Business Online',
}
const cert = parseCertificate(readFileSync(new URL('../../test/fixtures/chain.pem', import.meta.url)))
const other = parseCertificate(readFileSync(new URL('../../test/fixtures/rsa.pem', import.meta.url)))

const keyOf = (keyId: string, der: Uint8Array): KeyCredential => ({
  keyId,
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: Buffer.from(der).toString('base64'),
})
const sp = (keys: KeyCredential[]): ServicePrincipal => ({
  id: 'sp-1',
  appId,
  displayName: 'Skype for Business Online',
  keyCredentials: keys,
})
const addKey = (fields: Partial<EntraAction> = {}): Action =>
  ({
    system: 'entra',
    op: 'addKey',
    appId,
    servicePrincipalId: 'sp-1',
    displayName: 'Skype for Business Online',
    certificate: certificateRef(cert),
    dropKeyIds: [],
    ...fields,
  }) as Action

describe('servicePrincipalMissing', () => {
  it('names a known application, and says how to create its service principal on the cloud given', () => {
    const error = servicePrincipalMissing(appId, { baseUrl: 'https://graph.microsoft.us/v1.0/' })
    expect(error.code).toBe('SERVICE_PRINCIPAL_NOT_FOUND')
    expect(error.message).toBe(
      `the service principal of Skype for Business Online (appId ${appId}) does not exist in this tenant. Create it (POST https://graph.microsoft.us/v1.0/servicePrincipals {"appId": "${appId}"}, or New-MgServicePrincipal -AppId ${appId}) with an administrator's consent and Application.ReadWrite.All, then run again.`,
    )
    expect(error.data).toEqual({
      appId,
      create: { method: 'POST', url: 'https://graph.microsoft.us/v1.0/servicePrincipals', body: { appId } },
    })
  })

  it('calls an unknown application "the application", unless told its name', () => {
    const unknown = '11111111-2222-3333-4444-555555555555'
    expect(servicePrincipalMissing(unknown).message).toMatch(
      /^the service principal of the application \(appId /,
    )
    expect(servicePrincipalMissing(unknown, { applicationName: 'Contoso App' }).message).toMatch(
      /^the service principal of Contoso App \(appId /,
    )
    expect(servicePrincipalMissing(unknown).message).toContain(
      'POST https://graph.microsoft.com/v1.0/servicePrincipals',
    )
  })
})

describe('the service principal key step, as journaled', () => {
  it('is titled by the application', () => {
    expect(servicePrincipalKey.title(step)).toBe(
      `auth certificate on the service principal of Skype for Business Online (${appId})`,
    )
  })

  it('owns the upload of a certificate whose bytes are its thumbprint, to a service principal that did not have it', () => {
    const before = sp([keyOf('old', other.der)])
    const fits = (action: Action, b: unknown = before) => servicePrincipalKey.fits!(step, action, b)
    expect(fits(addKey())).toBe(true)
    expect(
      fits(addKey({ certificate: { ...certificateRef(cert), thumbprint: cert.thumbprint.toLowerCase() } })),
    ).toBe(true)
    // bytes of one certificate under the thumbprint of another
    expect(fits(addKey({ certificate: { ...certificateRef(cert), thumbprint: other.thumbprint } }))).toBe(
      false,
    )
    expect(fits(addKey(), sp([keyOf('mine', cert.der)]))).toBe(false)
    expect(fits(addKey(), null)).toBe(false)
    expect(fits(addKey(), { ...before, appId: 'another' })).toBe(false)
    expect(fits(addKey(), { ...before, keyCredentials: 'none' })).toBe(false)
    expect(fits(addKey({ appId: 'another' } as Partial<EntraAction>))).toBe(false)
    expect(fits({ ...addKey(), op: 'removeKey' } as Action)).toBe(false)
    expect(fits({ system: 'exchange', cmdlet: 'Set-MailUser', params: {} })).toBe(false)
  })

  it('undoes an upload by removing that key and putting back the expired keys it dropped', () => {
    const dropped = keyOf('expired', other.der)
    const kept = keyOf('kept', other.der)
    const undo = servicePrincipalKey.undo(
      step,
      addKey({ dropKeyIds: ['expired'] }),
      sp([dropped, kept]),
      null,
      [],
    )
    expect(undo).toEqual([
      {
        system: 'entra',
        op: 'removeKey',
        appId,
        servicePrincipalId: 'sp-1',
        thumbprint: cert.thumbprint,
        restore: [dropped],
      },
    ])
    expect(servicePrincipalKey.undo(step, addKey(), null, null, [])).toEqual([
      expect.objectContaining({ op: 'removeKey', restore: [] }),
    ])
    expect(
      servicePrincipalKey.undo(step, { ...addKey(), op: 'removeKey' } as Action, null, null, []),
    ).toEqual([])
    expect(
      servicePrincipalKey.undo(
        step,
        { system: 'exchange', cmdlet: 'Set-MailUser', params: {} },
        null,
        null,
        [],
      ),
    ).toEqual([])
  })
})
