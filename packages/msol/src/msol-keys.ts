import { createHash } from 'node:crypto'
import type { CmdletObject, KeyCredential, KeyCredentialWrite } from '@teams-oauth/core'
import { TeamsOAuthError } from '@teams-oauth/core'

/** SHA-1 of the key bytes in uppercase hex: what Graph shows as customKeyIdentifier for a certificate. */
export const thumbprintOfKey = (base64: string): string =>
  createHash('sha1').update(Buffer.from(base64, 'base64')).digest('hex').toUpperCase()

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)

function isoDate(value: unknown): string | null {
  const raw = text(value)
  if (raw === null) return null
  const date = new Date(raw)
  return Number.isNaN(date.getTime()) ? raw : date.toISOString()
}

const keyTypes: Record<string, string> = {
  Asymmetric: 'AsymmetricX509Cert',
  Symmetric: 'Symmetric',
  Password: 'Password',
}

/** One object of Get-MsolServicePrincipalCredential -ReturnKeyValues $true, as Graph would show the key. */
export function keyCredentialFromMsol(credential: CmdletObject): KeyCredential {
  const value = text(credential.Value)
  const type = text(credential.Type) ?? 'Asymmetric'
  return {
    keyId: String(credential.KeyId ?? ''),
    type: keyTypes[type] ?? type,
    usage: text(credential.Usage) ?? 'Verify',
    key: value,
    displayName: null,
    customKeyIdentifier: value === null ? null : thumbprintOfKey(value),
    startDateTime: isoDate(credential.StartDate),
    endDateTime: isoDate(credential.EndDate),
  }
}

export interface MsolKeyDiff {
  /** Keys to create with New-MsolServicePrincipalCredential. */
  add: KeyCredentialWrite[]
  /** keyIds to remove with Remove-MsolServicePrincipalCredential. */
  remove: string[]
}

const sameBytes = (a: string, b: string) => Buffer.from(a, 'base64').equals(Buffer.from(b, 'base64'))

/**
 * What MSOnline must do so the service principal holds exactly `wanted`: MSOnline cannot replace
 * the collection as Graph's PATCH does, so kept keys are left alone, missing ones created, the
 * rest removed. A wanted key is the current one with its keyId and bytes, else the current one
 * with its bytes; anything else is new.
 */
export function diffKeyCredentials(
  current: readonly KeyCredential[],
  wanted: readonly KeyCredentialWrite[],
): MsolKeyDiff {
  const unmatched = [...current]
  const add: KeyCredentialWrite[] = []
  for (const key of wanted) {
    let index = key.keyId
      ? unmatched.findIndex(
          (found) =>
            found.keyId.toLowerCase() === key.keyId?.toLowerCase() &&
            found.key !== null &&
            sameBytes(found.key, key.key),
        )
      : -1
    if (index < 0) index = unmatched.findIndex((found) => found.key !== null && sameBytes(found.key, key.key))
    if (index < 0) add.push(key)
    else unmatched.splice(index, 1)
  }
  return { add, remove: unmatched.map((key) => key.keyId) }
}

/** Refuses a write containing a key without its value. */
export function assertKeyValues(keys: readonly KeyCredentialWrite[]): void {
  keys.forEach((key, index) => {
    if (typeof key?.key !== 'string' || key.key.trim() === '') {
      throw new TeamsOAuthError(
        'KEY_VALUE_MISSING',
        `Key credential ${index + 1} of ${keys.length}${key?.keyId ? ` (keyId ${key.keyId})` : ''} has no key value; nothing was changed.`,
        { index, keyId: key?.keyId ?? null },
      )
    }
  })
}
