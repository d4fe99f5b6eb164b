import type { EntraAction } from './actions'
import { TeamsOAuthError } from './errors'
import { keepKey, keyMatches, mergeKeyCredentials } from './key-credentials'
import type { EntraPort, KeyCredentialWrite, ServicePrincipal } from './ports'
import { servicePrincipalMissing } from './steps'

// A key is its bytes: MSOnline gives a key it stores again a new keyId, Graph keeps the one sent.
const sameKey = (a: { key: string | null }, b: { key: string | null }) => a.key !== null && a.key === b.key

async function readOrFail(entra: EntraPort, appId: string): Promise<ServicePrincipal> {
  const sp = await entra.getServicePrincipal(appId)
  if (!sp) throw servicePrincipalMissing(appId)
  return sp
}

/** Reads again after a write and checks every kept key and the new certificate are there as sent. */
function checkWritten(
  after: ServicePrincipal,
  kept: KeyCredentialWrite[],
  thumbprint: string | null,
  present: boolean,
) {
  const missing = kept.filter((k) => !after.keyCredentials.some((a) => sameKey(k, a)))
  const certificateRight =
    thumbprint === null || after.keyCredentials.some((k) => keyMatches(k, thumbprint)) === present
  if (missing.length > 0 || !certificateRight)
    throw new TeamsOAuthError(
      'KEY_WRITE_UNVERIFIED',
      `${after.displayName}: after the write, ${missing.length ? `${missing.length} kept key(s) are missing` : `the certificate ${thumbprint} is ${present ? 'absent' : 'still there'}`}; restore from the journal with teams-oauth rollback`,
      { appId: after.appId, missingKeyIds: missing.map((k) => k.keyId ?? null) },
    )
}

/**
 * Carries out an Entra action as procedures.md says: read one object (the backup), refuse null kept
 * keys, merge, one write, read again. Returns the backup (the state the write replaced).
 */
export async function executeEntraAction(
  entra: EntraPort,
  action: EntraAction,
  /** Called with the backup just before the write, so it is recorded even if the write's outcome is unknown. */
  beforeWrite?: (before: ServicePrincipal) => void | Promise<void>,
): Promise<{ before: ServicePrincipal; changed: boolean }> {
  const before = await readOrFail(entra, action.appId)
  if (action.op === 'addKey') {
    const merge = mergeKeyCredentials(before.keyCredentials, action.certificate, action.dropKeyIds)
    if (merge.kind === 'present') return { before, changed: false }
    await beforeWrite?.(before)
    await entra.setKeyCredentials(before.id, merge.keys)
    const after = await readOrFail(entra, action.appId)
    checkWritten(after, merge.keys.slice(0, -1), action.certificate.thumbprint, true)
    return { before, changed: true }
  }
  const remaining = before.keyCredentials.filter((k) => !keyMatches(k, action.thumbprint))
  const restore = action.restore.filter((r) => !remaining.some((k) => sameKey(k, r)))
  if (remaining.length === before.keyCredentials.length && restore.length === 0)
    return { before, changed: false }
  const keys = [...remaining, ...restore].map(keepKey)
  await beforeWrite?.(before)
  await entra.setKeyCredentials(before.id, keys)
  const after = await readOrFail(entra, action.appId)
  checkWritten(after, keys, action.thumbprint, false)
  return { before, changed: true }
}
