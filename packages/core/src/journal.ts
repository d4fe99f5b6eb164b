import { z } from 'zod'
import { actionSchema } from './actions'
import { TeamsOAuthError } from './errors'
import { stepSchema } from './steps'

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
  /** Set when the change was sent but its outcome never confirmed (a dropped connection, a failed read-back). */
  unconfirmed: z.boolean().optional(),
  /** When rollback undid this change; an undone entry is not undone again. */
  undoneAt: z.string().optional(),
})
export type JournalEntry = z.infer<typeof journalEntrySchema>

export const journalSchema = z.object({
  format: z.literal('teams-oauth-journal'),
  version: z.literal(1),
  entries: z.array(journalEntrySchema),
})
export type Journal = z.infer<typeof journalSchema>

export const emptyJournal = (): Journal => ({ format: 'teams-oauth-journal', version: 1, entries: [] })

/** Reads a journal (parsed JSON); JOURNAL_INVALID says what is wrong with it. */
export function parseJournal(value: unknown): Journal {
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
