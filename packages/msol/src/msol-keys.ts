import {
  type CmdletObject,
  type KeyCredential,
  type KeyCredentialWrite,
  TeamsOAuthError,
} from '@teams-oauth/core'
import { keyThumbprint, sameKeyBytes } from '@teams-oauth/core/adapter'

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
    customKeyIdentifier: value === null ? null : keyThumbprint(value),
    startDateTime: isoDate(credential.StartDate),
    endDateTime: isoDate(credential.EndDate),
  }
}

/**
 * Whether teams-oauth deals with this key on the MSOnline path: a certificate (AsymmetricX509Cert)
 * that verifies tokens. MSOnline's other credentials (Symmetric, Password, signing keys) are never
 * read, written or removed by teams-oauth (a Password credential even reads back without its
 * value, so it could not be sent back).
 */
export const isCertificateKey = (key: KeyCredential): boolean =>
  key.type === 'AsymmetricX509Cert' && key.usage.toLowerCase() === 'verify'

export interface MsolKeyDiff {
  /** Keys to create with New-MsolServicePrincipalCredential. */
  add: KeyCredentialWrite[]
  /** keyIds to remove with Remove-MsolServicePrincipalCredential. */
  remove: string[]
}

/**
 * What MSOnline must do so the service principal's certificate keys are exactly `wanted`: MSOnline
 * cannot replace the collection as Graph's PATCH does, so kept keys are left alone, missing ones
 * created, the rest removed. A wanted key is the current one with its keyId and bytes, else a
 * current one with its bytes (MSOnline gives a key that was removed and added again a new KeyId);
 * anything else is new. Only certificate keys take part: any other current credential is neither
 * matched nor removed.
 */
export function diffKeyCredentials(
  current: readonly KeyCredential[],
  wanted: readonly KeyCredentialWrite[],
): MsolKeyDiff {
  const unmatched = current.filter(isCertificateKey)
  const take = (match: (found: KeyCredential) => boolean): boolean => {
    const index = unmatched.findIndex(match)
    if (index >= 0) unmatched.splice(index, 1)
    return index >= 0
  }
  const sameBytes = (key: KeyCredentialWrite) => (found: KeyCredential) => sameKeyBytes(found.key, key.key)
  const sameIdAndKey = (key: KeyCredentialWrite, keyId: string) => (found: KeyCredential) =>
    found.keyId.toLowerCase() === keyId.toLowerCase() && sameBytes(key)(found)
  // Exact matches first, so a key sent under a stale keyId never takes the one another key names.
  const rest: KeyCredentialWrite[] = []
  for (const key of wanted) if (!(key.keyId && take(sameIdAndKey(key, key.keyId)))) rest.push(key)
  const add: KeyCredentialWrite[] = []
  for (const key of rest) if (!take(sameBytes(key))) add.push(key)
  return { add, remove: unmatched.map((key) => key.keyId) }
}

/** The MSOnline type of a key to add: the adapter adds only certificates that verify tokens. */
export function msolType(key: KeyCredentialWrite): string {
  if (key.type !== 'AsymmetricX509Cert' && key.type !== 'Asymmetric') {
    throw new TeamsOAuthError(
      'INPUT_INVALID',
      `MSOnline can only add certificate keys (AsymmetricX509Cert); this key is of type ${key.type}.`,
      { field: 'type', value: key.type },
    )
  }
  if (key.usage.toLowerCase() !== 'verify') {
    throw new TeamsOAuthError(
      'INPUT_INVALID',
      `MSOnline can only add certificate keys with usage Verify; this key has usage ${key.usage}.`,
      { field: 'usage', value: key.usage },
    )
  }
  return 'Asymmetric'
}
