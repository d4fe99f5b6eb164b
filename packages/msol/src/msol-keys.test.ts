import type { KeyCredential } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { diffKeyCredentials, keyCredentialFromMsol, thumbprintOfKey } from './msol-keys'

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
})
