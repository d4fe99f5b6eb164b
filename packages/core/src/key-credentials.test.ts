import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { certificateRef, parseCertificate } from './certificate'
import type { TeamsOAuthError } from './errors'
import { assertKeyValues, keyMatches, mergeKeyCredentials } from './key-credentials'
import type { KeyCredential } from './ports'

const fixture = (name: string) =>
  parseCertificate(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url)))
const newCertificate = certificateRef(fixture('rsa.pem'))
const others = ['ec.pem', 'expired.pem', 'future.pem', 'other.pem'].map((name) =>
  certificateRef(fixture(name)),
)

/** An existing key: another certificate (valid or expired), a copy of the new one, or one read back with a null key. */
const keyArbitrary = fc.record({
  keyId: fc.uuid(),
  source: fc.constantFrom(...others, newCertificate),
  nullKey: fc.boolean(),
  customId: fc.constantFrom('hex', 'base64', 'none'),
  displayName: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
})

type GeneratedKey = typeof keyArbitrary extends fc.Arbitrary<infer T> ? T : never

const toKey = (k: GeneratedKey): KeyCredential => ({
  keyId: k.keyId,
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: k.nullKey ? null : k.source.der,
  displayName: k.displayName,
  customKeyIdentifier:
    k.customId === 'hex'
      ? k.source.thumbprint.toLowerCase()
      : k.customId === 'base64'
        ? Buffer.from(k.source.thumbprint, 'hex').toString('base64')
        : null,
  startDateTime: k.source.notBefore,
  endDateTime: k.source.notAfter,
})

describe('mergeKeyCredentials', () => {
  it('keeps every existing key unaltered in the whole form, by its bytes in the minimal form, and adds the new certificate exactly once', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(keyArbitrary, { selector: (k) => k.keyId, maxLength: 6 }),
        fc.boolean(),
        (generated, dropSome) => {
          // Graph refuses two keys of one certificate, so an existing set holds the new one at most once.
          const seen = new Set<string>()
          const existing = generated.map(toKey).filter((k) => {
            const id = generated.find((g) => g.keyId === k.keyId)!.source.thumbprint
            if (seen.has(id)) return false
            seen.add(id)
            return true
          })
          const dropKeyIds = dropSome ? existing.filter((_, i) => i % 2 === 0).map((k) => k.keyId) : []
          const present = existing.some((k) => keyMatches(k, newCertificate.thumbprint))
          const merge = mergeKeyCredentials(existing, newCertificate, dropKeyIds)
          if (present) {
            expect(merge.kind).toBe('present')
            return
          }
          if (merge.kind !== 'add') throw new Error('expected an add')
          const whole = merge.keys('whole')
          const minimal = merge.keys('minimal')
          const kept = existing.filter((k) => !dropKeyIds.includes(k.keyId))
          for (const [index, key] of kept.entries()) {
            const sent = whole.find((k) => k.keyId === key.keyId)
            expect(sent).toBeDefined()
            for (const field of [
              'type',
              'usage',
              'key',
              'displayName',
              'customKeyIdentifier',
              'startDateTime',
              'endDateTime',
            ] as const)
              expect(sent?.[field] ?? null).toEqual(key[field] ?? null)
            // a key read without its value stays without it, for the port to refuse
            expect(Object.keys(minimal[index] ?? {}).sort()).toEqual(['displayName', 'key', 'type', 'usage'])
            expect(minimal[index]).toMatchObject({ type: key.type, usage: key.usage, key: key.key })
          }
          for (const keys of [whole, minimal]) {
            expect(
              keys.filter((k) => keyMatches({ ...k, keyId: k.keyId ?? '' }, newCertificate.thumbprint)),
            ).toHaveLength(1)
            expect(keys).toHaveLength(existing.length - dropKeyIds.length + 1)
          }
          expect(merge.dropped).toEqual(dropKeyIds)
          const valueless = kept.some((k) => k.key === null)
          let refused: unknown = null
          try {
            assertKeyValues(whole)
          } catch (error) {
            refused = error
          }
          expect(refused === null ? null : (refused as TeamsOAuthError).code).toBe(
            valueless ? 'KEY_VALUE_MISSING' : null,
          )
        },
      ),
      { numRuns: 500 },
    )
  })

  it('recognises the certificate by a base64 customKeyIdentifier and by the hash of its key bytes', () => {
    const byHash: KeyCredential = {
      keyId: 'a',
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      key: newCertificate.der,
    }
    const byId: KeyCredential = {
      keyId: 'b',
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      key: null,
      customKeyIdentifier: Buffer.from(newCertificate.thumbprint, 'hex').toString('base64'),
    }
    expect(mergeKeyCredentials([byHash], newCertificate, []).kind).toBe('present')
    expect(mergeKeyCredentials([byId], newCertificate, []).kind).toBe('present')
  })

  it('sends the new key as an AsymmetricX509Cert Verify key with the certificate dates', () => {
    const merge = mergeKeyCredentials([], newCertificate, [])
    if (merge.kind !== 'add') throw new Error('expected an add')
    expect(merge.keys('whole')).toMatchObject([
      {
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
        key: newCertificate.der,
        startDateTime: newCertificate.notBefore,
      },
    ])
  })
})
