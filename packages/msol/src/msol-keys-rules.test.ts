import { isTeamsOAuthError, type KeyCredential } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { diffKeyCredentials, keyCredentialFromMsol, msolType } from './msol-keys'

const bytes = (text: string) => Buffer.from(text).toString('base64')
const stored = (keyId: string, text: string): KeyCredential => ({
  keyId,
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: bytes(text),
})
const sent = (key: KeyCredential, keyId: string | undefined = key.keyId) => ({
  ...key,
  keyId,
  key: key.key as string,
})

describe('keyCredentialFromMsol, for what MSOnline leaves out', () => {
  it('reads a credential without value, type, usage, dates or keyId as a Verify certificate without bytes', () => {
    for (const empty of [undefined, null, '', 5]) {
      expect(
        keyCredentialFromMsol({
          Type: empty,
          Usage: empty,
          Value: empty,
          KeyId: undefined,
          StartDate: empty,
          EndDate: empty,
        }),
      ).toEqual({
        keyId: '',
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
        key: null,
        displayName: null,
        customKeyIdentifier: null,
        startDateTime: null,
        endDateTime: null,
      })
    }
  })

  it('names each MSOnline credential type as Graph does, and keeps one it does not know', () => {
    const typeOf = (Type: string) => keyCredentialFromMsol({ Type, Usage: 'Sign', KeyId: 7 })
    expect(typeOf('Symmetric')).toMatchObject({ type: 'Symmetric', usage: 'Sign', keyId: '7' })
    expect(typeOf('Password').type).toBe('Password')
    expect(typeOf('Asymmetric').type).toBe('AsymmetricX509Cert')
    expect(typeOf('Other').type).toBe('Other')
  })

  it('keeps a date it cannot read as it was written', () => {
    expect(keyCredentialFromMsol({ StartDate: 'tomorrow', EndDate: '2027-01-01' })).toMatchObject({
      startDateTime: 'tomorrow',
      endDateTime: '2027-01-01T00:00:00.000Z',
    })
  })
})

describe('diffKeyCredentials, two credentials of one certificate', () => {
  const first = stored('id-1', 'same')
  const second = stored('id-2', 'same')

  it('keeps the one the wanted key names by its keyId, in any case, and removes the other', () => {
    expect(diffKeyCredentials([first, second], [sent(second)])).toEqual({ add: [], remove: ['id-1'] })
    expect(diffKeyCredentials([first, second], [sent(second, 'ID-2')])).toEqual({ add: [], remove: ['id-1'] })
    expect(diffKeyCredentials([second, first], [sent(first)])).toEqual({ add: [], remove: ['id-2'] })
  })

  it('matches a keyId only together with its bytes', () => {
    const p = stored('id-1', 'p')
    const q = stored('id-2', 'q')
    // sent as id-1 but with q's bytes: q is kept, id-1 (other bytes) removed
    expect(diffKeyCredentials([p, q], [{ ...sent(q), keyId: 'id-1' }])).toEqual({ add: [], remove: ['id-1'] })
  })
})

describe('msolType, of a key the adapter is to add', () => {
  const key = (type: string, usage: string) => ({ type, usage, key: bytes('new') })
  const refusal = (run: () => unknown) => {
    try {
      run()
    } catch (error) {
      expect(isTeamsOAuthError(error, 'INPUT_INVALID')).toBe(true)
      return { message: (error as Error).message, data: (error as { data: unknown }).data }
    }
    throw new Error('expected a refusal')
  }

  it('is Asymmetric for a certificate that verifies, its usage in any case', () => {
    expect(msolType(key('AsymmetricX509Cert', 'Verify'))).toBe('Asymmetric')
    expect(msolType(key('Asymmetric', 'verify'))).toBe('Asymmetric')
    expect(msolType(key('AsymmetricX509Cert', 'VERIFY'))).toBe('Asymmetric')
  })

  it('refuses a key that is not a certificate, naming its type', () => {
    expect(refusal(() => msolType(key('Symmetric', 'Verify')))).toEqual({
      message: 'MSOnline can only add certificate keys (AsymmetricX509Cert); this key is of type Symmetric.',
      data: { field: 'type', value: 'Symmetric' },
    })
  })

  it('refuses a certificate that signs, naming its usage', () => {
    expect(refusal(() => msolType(key('AsymmetricX509Cert', 'Sign')))).toEqual({
      message: 'MSOnline can only add certificate keys with usage Verify; this key has usage Sign.',
      data: { field: 'usage', value: 'Sign' },
    })
  })
})
