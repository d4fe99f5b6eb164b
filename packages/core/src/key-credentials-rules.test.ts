import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { certificateRef, parseCertificate } from './certificate'
import { isTeamsOAuthError } from './errors'
import {
  assertKeyValues,
  identifierHex,
  isExactly,
  isExpired,
  keepKey,
  keyThumbprints,
  mergeKeyCredentials,
  minimalKey,
  sameCollection,
  sameKey,
  sameKeyBytes,
} from './key-credentials'
import type { KeyCredential, KeyCredentialWrite } from './ports'

const fixture = (name: string) =>
  certificateRef(parseCertificate(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url))))
const rsa = fixture('rsa.pem')
const other = fixture('other.pem')
const hex = rsa.thumbprint
const base64Id = Buffer.from(hex, 'hex').toString('base64')
/** The same bytes as rsa.der, wrapped differently: no padding. */
const unpadded = rsa.der.replace(/=+$/, '')

const key = (fields: Partial<KeyCredential> = {}): KeyCredential => ({
  keyId: 'k1',
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: rsa.der,
  ...fields,
})

describe('identifierHex', () => {
  it('reads a thumbprint written as hex, in either case, as uppercase hex', () => {
    expect(identifierHex(hex.toLowerCase())).toBe(hex)
    expect(identifierHex(hex)).toBe(hex)
  })

  it('reads the base64 of 20 bytes as their hex, and nothing else', () => {
    expect(identifierHex(base64Id)).toBe(hex)
    expect(identifierHex(Buffer.alloc(19, 1).toString('base64'))).toBeNull()
    expect(identifierHex(Buffer.alloc(21, 1).toString('base64'))).toBeNull()
    expect(identifierHex('')).toBeNull()
    expect(identifierHex(null)).toBeNull()
  })

  it('takes as hex only exactly 40 hex digits', () => {
    expect(identifierHex(`zz${hex}`)).toBeNull()
    expect(identifierHex(`${hex}zz`)).toBeNull()
  })
})

describe('keyThumbprints', () => {
  it('is the hash of the key bytes alone when the key has no identifier', () => {
    expect(keyThumbprints(key({ customKeyIdentifier: null }))).toEqual([hex])
  })

  it('is the identifier alone when the key was read without its bytes', () => {
    expect(keyThumbprints(key({ key: null, customKeyIdentifier: other.thumbprint }))).toEqual([
      other.thumbprint,
    ])
  })
})

describe('sameKeyBytes', () => {
  it('compares the bytes, not the base64 text', () => {
    expect(sameKeyBytes(rsa.der, unpadded)).toBe(true)
    expect(sameKeyBytes(rsa.der, other.der)).toBe(false)
  })

  it('is false whenever either side has no bytes', () => {
    expect(sameKeyBytes(null, rsa.der)).toBe(false)
    expect(sameKeyBytes(rsa.der, null)).toBe(false)
    expect(sameKeyBytes(undefined, undefined)).toBe(false)
    expect(sameKeyBytes('', '')).toBe(false)
    expect(sameKeyBytes('', rsa.der)).toBe(false)
  })
})

describe('sameKey', () => {
  const sent = (fields: Partial<KeyCredentialWrite> = {}): KeyCredentialWrite => ({
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
    key: rsa.der,
    ...fields,
  })

  it('finds a key sent with a keyId by that keyId, in any case, and its bytes when they were read', () => {
    expect(sameKey(sent({ keyId: 'ABC' }), key({ keyId: 'abc', key: null }))).toBe(true)
    expect(sameKey(sent({ keyId: 'ABC' }), key({ keyId: 'abc', key: unpadded }))).toBe(true)
    expect(sameKey(sent({ keyId: 'abc' }), key({ keyId: 'abc', key: other.der }))).toBe(false)
    expect(sameKey(sent({ keyId: 'abc' }), key({ keyId: 'abd', key: rsa.der }))).toBe(false)
    expect(sameKey(sent({ keyId: 'abc' }), key({ keyId: 'abd', key: null }))).toBe(false)
  })

  it('finds a key sent without a keyId by its bytes, or by its thumbprint when read without them', () => {
    expect(sameKey(sent(), key({ keyId: 'any', key: unpadded }))).toBe(true)
    expect(sameKey(sent(), key({ keyId: 'any', key: other.der, customKeyIdentifier: hex }))).toBe(false)
    expect(sameKey(sent(), key({ keyId: 'any', key: null, customKeyIdentifier: base64Id }))).toBe(true)
    expect(sameKey(sent(), key({ keyId: 'any', key: null, customKeyIdentifier: other.thumbprint }))).toBe(
      false,
    )
  })
})

describe('isExactly', () => {
  const a: KeyCredentialWrite = { keyId: 'a', type: 'AsymmetricX509Cert', usage: 'Verify', key: rsa.der }
  const b: KeyCredentialWrite = { keyId: 'b', type: 'AsymmetricX509Cert', usage: 'Verify', key: other.der }
  const found = (w: KeyCredentialWrite): KeyCredential => ({ ...w, keyId: w.keyId ?? 'new' })

  it('holds when each key sent is found once, in any order', () => {
    expect(isExactly([found(a)], [a])).toBe(true)
    expect(isExactly([found(b), found(a)], [a, b])).toBe(true)
    expect(isExactly([], [])).toBe(true)
  })

  it('fails on a key missing, one more, or one found for two sent', () => {
    expect(isExactly([found(a)], [a, b])).toBe(false)
    expect(isExactly([found(a), found(b)], [a])).toBe(false)
    expect(isExactly([found(b)], [a])).toBe(false)
    expect(isExactly([found(a), found(b)], [a, a])).toBe(false)
  })
})

describe('sameCollection', () => {
  const a = key({ keyId: 'a', displayName: 'CN=a', customKeyIdentifier: hex })
  const b = key({ keyId: 'b', key: other.der, endDateTime: other.notAfter })

  it('holds for the same keys in another order, keyIds in another case, base64 wrapped otherwise', () => {
    expect(sameCollection([a, b], [b, a])).toBe(true)
    expect(sameCollection([a], [{ ...a, keyId: 'A', key: unpadded, customKeyIdentifier: base64Id }])).toBe(
      true,
    )
    expect(sameCollection([key({ key: null })], [key({ key: null })])).toBe(true)
  })

  it('fails when any property of one key differs', () => {
    expect(sameCollection([a], [b])).toBe(false)
    expect(sameCollection([a], [{ ...a, keyId: 'c' }])).toBe(false)
    expect(sameCollection([a], [{ ...a, key: other.der }])).toBe(false)
    expect(sameCollection([a], [{ ...a, key: null }])).toBe(false)
    expect(sameCollection([a], [{ ...a, displayName: 'CN=b' }])).toBe(false)
    expect(sameCollection([a], [{ ...a, customKeyIdentifier: other.thumbprint }])).toBe(false)
    expect(sameCollection([a], [{ ...a, customKeyIdentifier: 'not an identifier' }])).toBe(false)
    expect(sameCollection([a], [{ ...a, usage: 'Sign' }])).toBe(false)
    expect(sameCollection([a], [{ ...a, type: 'Symmetric' }])).toBe(false)
    expect(sameCollection([b], [{ ...b, endDateTime: other.notBefore }])).toBe(false)
    expect(sameCollection([a], [{ ...a, startDateTime: other.notBefore }])).toBe(false)
    expect(sameCollection([a, b], [a])).toBe(false)
  })
})

describe('isExpired', () => {
  const now = new Date('2030-01-01T00:00:00Z')
  it('is expired from its end date on, and never without one', () => {
    expect(isExpired(key({ endDateTime: '2030-01-01T00:00:00Z' }), now)).toBe(true)
    expect(isExpired(key({ endDateTime: '2029-12-31T23:59:59Z' }), now)).toBe(true)
    expect(isExpired(key({ endDateTime: '2030-01-01T00:00:01Z' }), now)).toBe(false)
    expect(isExpired(key({ endDateTime: null }), now)).toBe(false)
    expect(isExpired(key(), now)).toBe(false)
  })
})

describe('assertKeyValues', () => {
  const refusal = (keys: unknown[]) => {
    try {
      assertKeyValues(keys as KeyCredentialWrite[])
    } catch (error) {
      return error
    }
    return null
  }

  it('refuses a key without bytes, empty or blank, naming which and why', () => {
    const blank = refusal([
      { type: 'AsymmetricX509Cert', usage: 'Verify', key: rsa.der },
      { keyId: 'k2', type: 'AsymmetricX509Cert', usage: 'Verify', key: '  ', displayName: 'CN=two' },
      { type: 'AsymmetricX509Cert', usage: 'Verify', key: other.der },
    ])
    expect(isTeamsOAuthError(blank) && blank.code).toBe('KEY_VALUE_MISSING')
    expect((blank as Error).message).toMatch(
      /^Key credential 2 of 3 \(keyId k2\) has no key value; writing it would destroy that key, so nothing was sent\. Read the service principal/,
    )
    expect((blank as { data: unknown }).data).toEqual({
      index: 1,
      keyId: 'k2',
      customKeyIdentifier: null,
      displayName: 'CN=two',
    })
    const empty = refusal([
      { type: 'AsymmetricX509Cert', usage: 'Verify', key: '', customKeyIdentifier: hex },
    ])
    expect((empty as Error).message).toMatch(/^Key credential 1 of 1 has no key value; /)
    expect((empty as { data: unknown }).data).toEqual({
      index: 0,
      keyId: null,
      customKeyIdentifier: hex,
      displayName: null,
    })
  })

  it('refuses a null key, and a missing entry, as a missing value rather than a crash', () => {
    for (const keys of [[key({ key: null })], [null], [undefined]]) {
      const error = refusal(keys)
      expect(isTeamsOAuthError(error) && error.code).toBe('KEY_VALUE_MISSING')
    }
    expect(refusal([key(), keepKey(key({ keyId: 'k2' }))])).toBeNull()
  })
})

describe('kept keys', () => {
  it('are sent whole without the properties read as null', () => {
    const kept = keepKey(
      key({ displayName: 'CN=a', customKeyIdentifier: null, startDateTime: null, endDateTime: rsa.notAfter }),
    )
    expect(kept).toStrictEqual({
      keyId: 'k1',
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      key: rsa.der,
      displayName: 'CN=a',
      endDateTime: rsa.notAfter,
    })
  })

  it('keep their display name in the minimal form', () => {
    expect(minimalKey(key({ displayName: 'CN=a' }))).toStrictEqual({
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      key: rsa.der,
      displayName: 'CN=a',
    })
    expect(minimalKey(key()).displayName).toBeNull()
  })

  it('are every key but the ones named to drop, and every key when none is named', () => {
    const existing = [key({ key: other.der, keyId: 'x' }), key({ key: other.der, keyId: 'y' })]
    const none = mergeKeyCredentials(existing, rsa, [])
    expect(none.kind === 'add' && none.kept.map((k) => k.keyId)).toEqual(['x', 'y'])
    expect(none.kind === 'add' && none.dropped).toEqual([])
    const one = mergeKeyCredentials(existing, rsa, ['y'])
    expect(one.kind === 'add' && one.kept.map((k) => k.keyId)).toEqual(['x'])
    expect(one.kind === 'add' && one.dropped).toEqual(['y'])
  })
})
