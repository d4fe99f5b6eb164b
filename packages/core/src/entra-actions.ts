import { z } from 'zod'
import type { EntraAction } from './actions'
import { isTeamsOAuthError, TeamsOAuthError } from './errors'
import {
  isExpired,
  type KeyForm,
  keptKeyIn,
  keyMatches,
  mergeKeyCredentials,
  sameCollection,
  sameKeyBytes,
} from './key-credentials'
import type { EntraPort, KeyCredential, KeyCredentialWrite, ServicePrincipal } from './ports'
import { servicePrincipalMissing } from './steps'

/** Reads again before a write at most this many times while another administrator keeps changing the keys. */
export const maxKeyRereads = 4

/** What the journal records as an Entra write's result: the form kept keys went in, and why. */
export const keyWriteResultSchema = z.object({
  keyForm: z.enum(['whole', 'minimal']),
  /** How many times the keys had changed since the read before, so the write was computed again. */
  rereads: z.number().int(),
  note: z.string(),
})
export type KeyWriteResult = z.infer<typeof keyWriteResultSchema>

/** One write to reach an action's goal from a given read: the keys to send, and what must be true after. */
interface KeyWrite {
  kept: KeyCredential[]
  keys: (form: KeyForm) => KeyCredentialWrite[]
  thumbprint: string
  /** Whether the certificate of `thumbprint` is a key after the write (once) or absent. */
  present: boolean
}

async function readOrFail(entra: EntraPort, appId: string): Promise<ServicePrincipal> {
  const sp = await entra.getServicePrincipal(appId)
  if (!sp) throw servicePrincipalMissing(appId)
  return sp
}

/** The write an action needs against the keys just read; null when they are already as wanted. */
function writeFor(action: EntraAction, sp: ServicePrincipal): KeyWrite | null {
  if (action.op === 'addKey') {
    const merge = mergeKeyCredentials(sp.keyCredentials, action.certificate, action.dropKeyIds)
    if (merge.kind === 'present') return null
    return { kept: merge.kept, keys: merge.keys, thumbprint: action.certificate.thumbprint, present: true }
  }
  const remaining = sp.keyCredentials.filter((k) => !keyMatches(k, action.thumbprint))
  const restore = action.restore.filter((r) => !remaining.some((k) => sameKeyBytes(k.key, r.key)))
  if (remaining.length === sp.keyCredentials.length && restore.length === 0) return null
  const kept = [...remaining, ...restore]
  return { kept, keys: (form) => kept.map(keptKeyIn(form)), thumbprint: action.thumbprint, present: false }
}

/** Reads after a write and checks every kept key is there with its bytes and the certificate is there once (or gone). */
function checkWritten(after: ServicePrincipal, write: KeyWrite) {
  const missing = write.kept.filter((k) => !after.keyCredentials.some((a) => sameKeyBytes(a.key, k.key)))
  const copies = after.keyCredentials.filter((k) => keyMatches(k, write.thumbprint)).length
  const certificateRight = write.present ? copies === 1 : copies === 0
  if (missing.length === 0 && certificateRight) return
  const what = missing.length
    ? `${missing.length} kept key(s) are not there with their bytes (keyId ${missing.map((k) => k.keyId).join(', ')})`
    : `the certificate ${write.thumbprint} is there ${copies} time(s), not ${write.present ? 'once' : 'at all'}`
  throw new TeamsOAuthError(
    'KEY_WRITE_UNVERIFIED',
    `${after.displayName}: after the write, ${what}. Another administrator probably wrote the keys of this service principal at the same moment (Graph cannot make the write conditional). The keys as they were before the write are in the journal: put back what is missing from there (teams-oauth rollback restores the state before this run), then run apply again.`,
    {
      appId: after.appId,
      missingKeyIds: missing.map((k) => k.keyId),
      missing: missing.map((k) => ({ keyId: k.keyId, key: k.key, displayName: k.displayName ?? null })),
      certificateCopies: copies,
    },
  )
}

const formRefused = (error: unknown) => isTeamsOAuthError(error, 'KEY_FORM_REFUSED')

/** A refusal of the minimal form too: when expired keys were kept, say how to leave them out. */
function refusedEvenMinimal(error: unknown, write: KeyWrite, now: Date): unknown {
  const expired = write.kept.filter((k) => isExpired(k, now))
  const badRequest = isTeamsOAuthError(error) && (formRefused(error) || error.data.status === 400)
  if (!badRequest || expired.length === 0) return error
  return new TeamsOAuthError(
    error.code,
    `${error.message} The keys kept include ${expired.length} expired key(s) (keyId ${expired.map((k) => k.keyId).join(', ')}), which Graph may refuse to take back; teams-oauth never drops a key on its own. Run plan and apply again with --drop-expired-keys to leave the expired keys out (the journal keeps them, so rollback puts them back).`,
    { ...error.data, expiredKeyIds: expired.map((k) => k.keyId) },
    { cause: error },
  )
}

function noteFor(form: KeyForm, rereads: number, refusal: string | null): string {
  const formNote =
    form === 'whole'
      ? 'kept keys sent whole (keyId and every property as read)'
      : `Graph refused kept keys sent whole${refusal ? ` (${refusal})` : ''}, so they were sent again in Microsoft's minimal form {type, usage, key, displayName}: same bytes, new keyIds`
  const changed = rereads
    ? `; the keys changed ${rereads} time(s) while the write was prepared, so it was computed from the latest read`
    : ''
  return `${formNote}${changed}`
}

/**
 * Carries out an Entra action as procedures.md says: read one object (the backup), read again just
 * before the write and compute it again if another administrator changed the keys meanwhile, one
 * write (kept keys whole, else once in the minimal form when Graph refuses that), read again and
 * confirm. This is the one place an Entra write is confirmed (see EntraPort). Returns the state the
 * write replaced and, when it wrote, the form used.
 */
export async function executeEntraAction(
  entra: EntraPort,
  action: EntraAction,
  /** Called with the backup just before the write, so it is recorded even if the write's outcome is unknown. */
  beforeWrite?: (before: ServicePrincipal) => void | Promise<void>,
  now: Date = new Date(),
): Promise<{ before: ServicePrincipal; changed: boolean; result: KeyWriteResult | null }> {
  let current = await readOrFail(entra, action.appId)
  let write = writeFor(action, current)
  let form: KeyForm = 'whole'
  let refusal: string | null = null
  let rereads = 0
  let recorded = false
  for (;;) {
    // Graph has no ETag on keyCredentials: read again right before the PATCH, and merge again on a change.
    for (;;) {
      if (!write) return { before: current, changed: false, result: null }
      const latest = await readOrFail(entra, action.appId)
      if (sameCollection(latest.keyCredentials, current.keyCredentials)) break
      if (++rereads >= maxKeyRereads)
        throw new TeamsOAuthError(
          'KEY_CONCURRENT_CHANGE',
          `${current.displayName}: the keys of this service principal changed ${rereads} times while teams-oauth prepared its write; someone else is changing them. Nothing was written. Run apply again once they are done.`,
          { appId: action.appId, rereads },
        )
      current = latest
      write = writeFor(action, current)
    }
    if (!recorded) await beforeWrite?.(current)
    recorded = true
    try {
      await entra.setKeyCredentials(current.id, write.keys(form))
      break
    } catch (error) {
      if (form === 'whole' && formRefused(error)) {
        // Graph validates the whole PATCH before applying it: nothing was written, so one retry is safe.
        form = 'minimal'
        // the data comes from an adapter at run time: a graphMessage that is not text is not a message
        const said: unknown = error.data.graphMessage
        refusal = typeof said === 'string' ? said : error.message
        continue
      }
      throw form === 'minimal' ? refusedEvenMinimal(error, write, now) : error
    }
  }
  checkWritten(await readOrFail(entra, action.appId), write)
  return {
    before: current,
    changed: true,
    result: { keyForm: form, rereads, note: noteFor(form, rereads, refusal) },
  }
}
