import type { CertificateRef } from './actions'
import { thumbprintOf } from './certificate'
import { TeamsOAuthError } from './errors'
import type { KeyCredential, KeyCredentialWrite } from './ports'

/**
 * The one home of what a key credential is: its thumbprint, when two keys are the same key, how
 * kept keys are sent back, and the merge. The engine, the fakes and every Entra adapter use it.
 */

/** Uppercase hex SHA-1 of a key's bytes (base64 DER): what Graph shows as a certificate's customKeyIdentifier. */
export const keyThumbprint = (base64: string): string => thumbprintOf(Buffer.from(base64, 'base64'))

/** customKeyIdentifier as uppercase hex: Graph returns Edm.Binary as base64 of the thumbprint's 20 bytes, scripts write hex. */
export function identifierHex(value: string | null | undefined): string | null {
  if (!value) return null
  if (/^[0-9a-fA-F]{40}$/.test(value)) return value.toUpperCase()
  const bytes = Buffer.from(value, 'base64')
  return bytes.length === 20 ? bytes.toString('hex').toUpperCase() : null
}

/** The thumbprints a key answers to: its customKeyIdentifier (hex or base64) and the SHA-1 of its key bytes. */
export function keyThumbprints(key: KeyCredential): string[] {
  const found = new Set<string>()
  const custom = identifierHex(key.customKeyIdentifier)
  if (custom) found.add(custom)
  if (key.key) found.add(keyThumbprint(key.key))
  return [...found]
}

export const keyMatches = (key: KeyCredential, thumbprint: string): boolean =>
  keyThumbprints(key).includes(thumbprint.toUpperCase())

/** Two base64 values carry the same bytes (Graph may re-wrap or re-pad base64). */
export const sameKeyBytes = (a: string | null | undefined, b: string | null | undefined): boolean =>
  typeof a === 'string' &&
  typeof b === 'string' &&
  a !== '' &&
  Buffer.from(a, 'base64').equals(Buffer.from(b, 'base64'))

/**
 * A sent key is found by its keyId when it had one, else by its bytes; a found key read without
 * its value (a list read) is matched by keyId, or by thumbprint when no keyId was sent.
 */
export function sameKey(sent: KeyCredentialWrite, found: KeyCredential): boolean {
  if (sent.keyId) {
    return (
      found.keyId.toLowerCase() === sent.keyId.toLowerCase() &&
      (found.key === null || sameKeyBytes(found.key, sent.key))
    )
  }
  if (found.key !== null) return sameKeyBytes(found.key, sent.key)
  return identifierHex(found.customKeyIdentifier) === keyThumbprint(sent.key)
}

/** Each of `a` pairs with its own one of `b` by `same`, and none of `b` is left over. */
function pairsUp<A, B>(a: readonly A[], b: readonly B[], same: (x: A, y: B) => boolean): boolean {
  if (a.length !== b.length) return false
  const unmatched = [...b]
  for (const x of a) {
    const index = unmatched.findIndex((y) => same(x, y))
    if (index < 0) return false
    unmatched.splice(index, 1)
  }
  return true
}

/** The collection read back is exactly the one sent (each sent key found once, nothing else). */
export const isExactly = (found: readonly KeyCredential[], sent: readonly KeyCredentialWrite[]): boolean =>
  pairsUp(sent, found, sameKey)

/** A key's properties but its keyId, each in one form: base64 re-wrapped, identifier as hex, dates as instants. */
const properties = (k: KeyCredential): string =>
  JSON.stringify([
    k.type,
    k.usage,
    k.key === null ? null : Buffer.from(k.key, 'base64').toString('base64'),
    k.displayName ?? null,
    identifierHex(k.customKeyIdentifier) ?? k.customKeyIdentifier ?? null,
    k.startDateTime ? new Date(k.startDateTime).getTime() : null,
    k.endDateTime ? new Date(k.endDateTime).getTime() : null,
  ])

/** Two reads of a collection hold the same keys with the same properties (the order, and keyIds' case, aside). */
export const sameCollection = (a: readonly KeyCredential[], b: readonly KeyCredential[]): boolean =>
  pairsUp(a, b, (x, y) => x.keyId.toLowerCase() === y.keyId.toLowerCase() && properties(x) === properties(y))

export const isExpired = (key: KeyCredential, now: Date): boolean =>
  key.endDateTime != null && new Date(key.endDateTime).getTime() <= now.getTime()

/**
 * Refuses a write containing a key without its value: sent so, Graph drops that key. Every
 * EntraPort implementation calls this before sending anything (the one guard, see EntraPort), and
 * plan calls it so a run stops before its first change.
 */
export function assertKeyValues(keys: readonly KeyCredentialWrite[]): void {
  keys.forEach((key, index) => {
    if (typeof key?.key !== 'string' || key.key.trim() === '') {
      throw new TeamsOAuthError(
        'KEY_VALUE_MISSING',
        `Key credential ${index + 1} of ${keys.length}${key?.keyId ? ` (keyId ${key.keyId})` : ''} has no key value; ` +
          'writing it would destroy that key, so nothing was sent. Read the service principal as one object with $select=keyCredentials (not a filtered list) and try again.',
        {
          index,
          keyId: key?.keyId ?? null,
          customKeyIdentifier: key?.customKeyIdentifier ?? null,
          displayName: key?.displayName ?? null,
        },
      )
    }
  })
}

/**
 * How kept keys are sent back. `whole`: every property as read, keyId included, so Graph keeps the
 * key as it is. `minimal`: Microsoft's documented `{type, usage, key, displayName}`, which Graph takes
 * as a new credential of the same bytes (a new keyId); used when Graph refuses the whole form.
 */
export type KeyForm = 'whole' | 'minimal'

/**
 * A kept key sent back whole (null dates and identifiers left to their defaults). A key read without
 * its value keeps `key: null` here: the port refuses it (assertKeyValues) before anything is sent.
 */
export function keepKey(key: KeyCredential): KeyCredentialWrite {
  // displayName goes back as read, null included: left out, a service may fill it with the subject.
  const kept: KeyCredentialWrite = {
    keyId: key.keyId,
    type: key.type,
    usage: key.usage,
    key: key.key as string,
    displayName: key.displayName ?? null,
  }
  for (const field of ['customKeyIdentifier', 'startDateTime', 'endDateTime'] as const) {
    const value = key[field]
    if (value != null) kept[field] = value
  }
  return kept
}

/** A kept key in Microsoft's minimal form: no keyId, so nothing of the stored credential can mismatch. */
export const minimalKey = (key: KeyCredential): KeyCredentialWrite => ({
  type: key.type,
  usage: key.usage,
  key: key.key as string,
  displayName: key.displayName ?? null,
})

export const keptKeyIn = (form: KeyForm) => (form === 'whole' ? keepKey : minimalKey)

export const newKeyFor = (certificate: CertificateRef): KeyCredentialWrite => ({
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: certificate.der,
  displayName: certificate.subject,
  startDateTime: certificate.notBefore,
  endDateTime: certificate.notAfter,
})

export type KeyMerge =
  | { kind: 'present'; keyId: string }
  | { kind: 'add'; kept: KeyCredential[]; dropped: string[]; keys: (form: KeyForm) => KeyCredentialWrite[] }

/**
 * The Graph merge of procedures.md: keep every existing key (except the ones named in dropKeyIds)
 * and add the certificate once, or change nothing when it is there. `keys(form)` is the collection
 * to send, kept keys in that form, the new key last.
 */
export function mergeKeyCredentials(
  existing: readonly KeyCredential[],
  certificate: CertificateRef,
  dropKeyIds: readonly string[],
): KeyMerge {
  const present = existing.find((key) => keyMatches(key, certificate.thumbprint))
  if (present) return { kind: 'present', keyId: present.keyId }
  const kept = existing.filter((key) => !dropKeyIds.includes(key.keyId))
  const dropped = existing.filter((key) => dropKeyIds.includes(key.keyId)).map((key) => key.keyId)
  return {
    kind: 'add',
    kept,
    dropped,
    keys: (form) => [...kept.map(keptKeyIn(form)), newKeyFor(certificate)],
  }
}
