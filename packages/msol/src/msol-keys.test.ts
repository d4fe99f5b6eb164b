import type { KeyCredential } from '@teams-oauth/core'
import { keyThumbprint as thumbprintOfKey } from '@teams-oauth/core/adapter'
import { describe, expect, it } from 'vitest'
import { diffKeyCredentials, isCertificateKey, keyCredentialFromMsol } from './msol-keys'

const bytes = (text: string) => Buffer.from(text).toString('base64')
const stored = (keyId: string, text: string): KeyCredential => ({
  keyId,
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: bytes(text),
})

describe('keyCredentialFromMsol', () => {
  it('maps an MSOnline credential to a Graph key credential with a thumbprint identifier', () => {
    const value = bytes('certificate')
    expect(
      keyCredentialFromMsol({
        Type: 'Asymmetric',
        Usage: 'Verify',
        Value: value,
        KeyId: 'a1',
        StartDate: '2025-01-01T00:00:00Z',
        EndDate: '2027-01-01T00:00:00.000Z',
      }),
    ).toEqual({
      keyId: 'a1',
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      key: value,
      displayName: null,
      customKeyIdentifier: thumbprintOfKey(value),
      startDateTime: '2025-01-01T00:00:00.000Z',
      endDateTime: '2027-01-01T00:00:00.000Z',
    })
    expect(thumbprintOfKey(value)).toMatch(/^[0-9A-F]{40}$/)
  })
})

describe('diffKeyCredentials', () => {
  const a = stored('id-a', 'a')
  const b = stored('id-b', 'b')

  it('changes nothing when the wanted keys are the current ones', () => {
    expect(
      diffKeyCredentials(
        [a, b],
        [
          { ...a, key: a.key as string },
          { ...b, key: b.key as string },
        ],
      ),
    ).toEqual({
      add: [],
      remove: [],
    })
  })

  it('adds a key without a current keyId and removes the keys left out', () => {
    const added = { type: 'AsymmetricX509Cert', usage: 'Verify', key: bytes('c') }
    expect(diffKeyCredentials([a, b], [{ ...a, key: a.key as string }, added])).toEqual({
      add: [added],
      remove: ['id-b'],
    })
  })

  it('keeps a current key sent without its keyId instead of adding it twice', () => {
    expect(
      diffKeyCredentials([a], [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: a.key as string }]),
    ).toEqual({
      add: [],
      remove: [],
    })
  })

  it('adds a key whose keyId no longer exists (a restored backup)', () => {
    const restored = { ...b, key: b.key as string }
    expect(diffKeyCredentials([a], [{ ...a, key: a.key as string }, restored])).toEqual({
      add: [restored],
      remove: [],
    })
  })

  it('neither keeps nor removes a current credential that is no certificate', () => {
    const secret: KeyCredential = { keyId: 'id-s', type: 'Symmetric', usage: 'Verify', key: bytes('s') }
    const password: KeyCredential = { keyId: 'id-p', type: 'Password', usage: 'Verify', key: null }
    const added = { type: 'AsymmetricX509Cert', usage: 'Verify', key: bytes('c') }
    expect(diffKeyCredentials([secret, a, password, b], [{ ...a, key: a.key as string }, added])).toEqual({
      add: [added],
      remove: ['id-b'],
    })
    // a wanted key with the bytes of a Symmetric credential is a new certificate, not that credential
    const sameBytes = { type: 'AsymmetricX509Cert', usage: 'Verify', key: bytes('s') }
    expect(diffKeyCredentials([secret], [sameBytes])).toEqual({ add: [sameBytes], remove: [] })
  })

  it('keeps a restored key that MSOnline stored under a new keyId, adding and removing nothing twice', () => {
    // backup: a (id-a) and b (id-b); b was removed and added back, so MSOnline holds it as id-b2,
    // and the next key (id-n) the rollback must remove is still there
    const readded = stored('id-b2', 'b')
    const next = stored('id-n', 'n')
    const backup = [
      { ...a, key: a.key as string },
      { ...b, key: b.key as string },
    ]
    expect(diffKeyCredentials([a, next, readded], backup)).toEqual({ add: [], remove: ['id-n'] })
    expect(diffKeyCredentials([a, readded], backup)).toEqual({ add: [], remove: [] })
  })

  it('keeps two credentials of one certificate when both are sent, one under a stale keyId', () => {
    // two credentials of the same certificate: the one sent without a current keyId keeps the other
    const first = stored('id-1', 'same')
    const second = stored('id-2', 'same')
    const wanted = [
      { ...first, keyId: 'id-gone', key: first.key as string },
      { ...second, key: second.key as string },
    ]
    expect(diffKeyCredentials([second, first], wanted)).toEqual({ add: [], remove: [] })
    expect(diffKeyCredentials([second, first], [wanted[1] as (typeof wanted)[number]])).toEqual({
      add: [],
      remove: ['id-1'],
    })
  })
})

describe('isCertificateKey', () => {
  it('holds for certificates that verify tokens only', () => {
    expect(isCertificateKey(stored('id', 'a'))).toBe(true)
    expect(isCertificateKey({ ...stored('id', 'a'), usage: 'Sign' })).toBe(false)
    expect(isCertificateKey({ ...stored('id', 'a'), type: 'Symmetric' })).toBe(false)
    expect(isCertificateKey({ keyId: 'id', type: 'Password', usage: 'Verify', key: null })).toBe(false)
  })
})
