import { createHash } from 'node:crypto'
import { z } from 'zod'
import { actionSchema } from './actions'
import { TeamsOAuthError } from './errors'
import { stepSchema } from './steps'

/** The organisation a journal belongs to: the Exchange organisation and the Entra tenant it changed. */
export const journalOrganisationSchema = z.object({
  /** Get-OrganizationConfig's Guid and Name. */
  exchange: z.object({ guid: z.string(), name: z.string() }),
  /** The tenant id; null where the Entra path cannot tell it (MSOnline). */
  entra: z.object({ tenantId: z.string().nullable() }),
})
export type JournalOrganisation = z.infer<typeof journalOrganisationSchema>

/** One change: what ran, the state it replaced, what it returned, and the actions that undo it. */
export const journalEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  step: z.string(),
  /** The step itself, so rollback can check each undo is the one its kind writes for this change. */
  spec: stepSchema,
  title: z.string(),
  action: actionSchema,
  before: z.unknown(),
  result: z.unknown(),
  undo: z.array(actionSchema),
  /** Set from just before the change is sent until its outcome is known (the answer, or a read-back). */
  unconfirmed: z.boolean().optional(),
  /** Set when a read-back showed the change never landed: there is nothing to undo. */
  notApplied: z.boolean().optional(),
  /** When rollback undid this change; an undone entry is not undone again. */
  undoneAt: z.string().optional(),
  /** SHA-256 over the previous entry's hash (the header's for the first) and this entry, undoneAt aside. */
  hash: z.string(),
})
export type JournalEntry = z.infer<typeof journalEntrySchema>

export const journalVersion = 2

export const journalSchema = z.object({
  format: z.literal('teams-oauth-journal'),
  version: z.literal(journalVersion),
  /** The header: null only while the journal holds no entry (apply binds it before its first change). */
  organisation: journalOrganisationSchema.nullable(),
  entries: z.array(journalEntrySchema),
})
export type Journal = z.infer<typeof journalSchema>

export const emptyJournal = (organisation: JournalOrganisation | null = null): Journal => ({
  format: 'teams-oauth-journal',
  version: journalVersion,
  organisation,
  entries: [],
})

/** JSON with every object's keys in order, so two values compare by content alone. */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          // sort's own order: by UTF-16 code units, the same on every machine
          Object.keys(v)
            .sort()
            .map((key) => [key, (v as Record<string, unknown>)[key]]),
        )
      : v,
  )

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** The hash chain's start: the header, so a journal moved to another organisation's header breaks it. */
const headerHash = (journal: Journal) => sha256(canonical({ organisation: journal.organisation }))

function entryHash(previous: string, entry: JournalEntry): string {
  const { hash: _hash, undoneAt: _undoneAt, ...content } = entry
  return sha256(`${previous}\n${canonical(content)}`)
}

/**
 * Recomputes the entries' hashes: every entry's, or those from index `from` on when the entries
 * before it are sealed and unchanged (the engine, after each change it records, passes the entry
 * it just wrote, so a run of n changes hashes n entries rather than n²/2).
 */
export function sealJournal(journal: Journal, from = 0): void {
  const start = Math.max(0, Math.min(from, journal.entries.length))
  let previous = start > 0 ? journal.entries[start - 1]!.hash : headerHash(journal)
  for (const entry of journal.entries.slice(start)) {
    entry.hash = entryHash(previous, entry)
    previous = entry.hash
  }
}

/** The seq of the first entry whose hash does not follow from the header and the entries before it. */
export function brokenLink(journal: Journal): number | null {
  let previous = headerHash(journal)
  for (const entry of journal.entries) {
    if (entry.hash !== entryHash(previous, entry)) return entry.seq
    previous = entry.hash
  }
  return null
}

/** Reads a journal (parsed JSON); JOURNAL_INVALID says what is wrong with it. */
export function parseJournal(value: unknown): Journal {
  const version = (value as { version?: unknown } | null)?.version
  if (
    (value as { format?: unknown } | null)?.format === 'teams-oauth-journal' &&
    typeof version === 'number' &&
    version < journalVersion
  )
    throw new TeamsOAuthError(
      'JOURNAL_INVALID',
      `journal: version ${version} was written by an earlier teams-oauth, which did not record the organisation it changed, so it cannot be checked against this one; roll it back with the version that wrote it, or start a new journal (--journal <new file>)`,
      { field: 'journal', version },
    )
  const result = journalSchema.safeParse(value)
  if (result.success) return result.data
  const where = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`)
    .join('; ')
  throw new TeamsOAuthError(
    'JOURNAL_INVALID',
    `journal: not a teams-oauth journal (${where}); pass the file that apply --journal wrote`,
    {
      field: 'journal',
    },
  )
}
