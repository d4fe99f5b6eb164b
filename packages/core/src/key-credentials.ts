import type { CertificateRef } from './actions'
import { thumbprintOf } from './certificate'
import { TeamsOAuthError } from './errors'
import type { KeyCredential, KeyCredentialWrite } from './ports'

const hexOf = (value: string): string | null => {
  if (/^[0-9a-fA-F]{40}$/.test(value)) return value.toUpperCase()
  // Graph returns Edm.Binary as base64: the thumbprint's 20 bytes
  const bytes = Buffer.from(value, 'base64')
  return bytes.length === 20 ? bytes.toString('hex').toUpperCase() : null
}

/** The thumbprints a key answers to: its customKeyIdentifier (hex or base64) and the SHA-1 of its key bytes. */
export function keyThumbprints(key: KeyCredential): string[] {
  const found = new Set<string>()
  const custom = key.customKeyIdentifier ? hexOf(key.customKeyIdentifier) : null
  if (custom) found.add(custom)
  if (key.key) found.add(thumbprintOf(Buffer.from(key.key, 'base64')))
  return [...found]
}

export const keyMatches = (key: KeyCredential, thumbprint: string): boolean =>
  keyThumbprints(key).includes(thumbprint.toUpperCase())

export const isExpired = (key: KeyCredential, now: Date): boolean =>
  key.endDateTime != null && new Date(key.endDateTime).getTime() <= now.getTime()

/** A kept key sent back whole, so nothing of it changes (null dates and identifiers are left to their defaults). */
export function keepKey(key: KeyCredential): KeyCredentialWrite {
  if (!key.key)
    throw new TeamsOAuthError(
      'KEY_VALUE_MISSING',
      `key ${key.keyId} read back without its value; sending it again would destroy it. Read the service principal as one object with $select=keyCredentials (not a filtered list) and try again.`,
      { keyId: key.keyId },
    )
  // displayName goes back as read, null included: left out, a service may fill it with the subject.
  const kept: KeyCredentialWrite = {
    keyId: key.keyId,
    type: key.type,
    usage: key.usage,
    key: key.key,
    displayName: key.displayName ?? null,
  }
  for (const field of ['customKeyIdentifier', 'startDateTime', 'endDateTime'] as const) {
    const value = key[field]
    if (value != null) kept[field] = value
  }
  return kept
}

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
  | { kind: 'add'; keys: KeyCredentialWrite[]; kept: string[]; dropped: string[] }

/**
 * The Graph merge of procedures.md: keep every existing key (except the ones named in dropKeyIds),
 * refuse when a kept key has no value, add the certificate once, or change nothing when it is there.
 */
export function mergeKeyCredentials(
  existing: readonly KeyCredential[],
  certificate: CertificateRef,
  dropKeyIds: readonly string[] = [],
): KeyMerge {
  const present = existing.find((key) => keyMatches(key, certificate.thumbprint))
  if (present) return { kind: 'present', keyId: present.keyId }
  const kept = existing.filter((key) => !dropKeyIds.includes(key.keyId))
  const dropped = existing.filter((key) => dropKeyIds.includes(key.keyId)).map((key) => key.keyId)
  return {
    kind: 'add',
    keys: [...kept.map(keepKey), newKeyFor(certificate)],
    kept: kept.map((key) => key.keyId),
    dropped,
  }
}
