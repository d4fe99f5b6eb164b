import { apply, assertNotBlocked, bindJournal, checkJournal, plan, TeamsOAuthError } from '@teams-oauth/core'
import type { CliIO } from '../io'
import { planDocument, renderPlan } from '../render'
import { defaultJournal, prepare, progress, readJournal, withTargets, writeJournal } from './shared'

/** Refuses to write without consent: --yes, or a person answering yes at the terminal. */
export async function consent(
  io: CliIO,
  options: { yes: boolean; json: boolean },
  question: string,
): Promise<void> {
  if (options.yes) return
  if (!io.interactive || options.json)
    throw new TeamsOAuthError(
      'INPUT_INVALID',
      'refusing to change anything without --yes when no one is at the terminal to confirm (look first with --what-if)',
      { field: 'yes' },
    )
  if (!(await io.confirm(question)))
    throw new TeamsOAuthError('INPUT_INVALID', 'stopped: you did not confirm', { field: 'yes' })
}

export async function applyCommand(io: CliIO, raw: Record<string, unknown>): Promise<number> {
  const { runbook, context, options } = prepare(io, raw)
  const journalFile = options.journal ?? defaultJournal
  const journal = readJournal(journalFile)
  return withTargets(context, async ({ targets }) => {
    // another organisation's journal, or an edited one, is refused before the plan is even read
    checkJournal(journal)
    await bindJournal(journal, targets)
    const onEvent = progress(context)
    const planned = await plan(runbook, targets, { onEvent })
    const human = renderPlan(io, planned, Boolean(process.stdout.isTTY))
    if (planned.blocked.length > 0 && !options.whatIf) {
      if (!options.json) io.stdout(human)
      assertNotBlocked(planned)
    }
    if (planned.actions.length === 0 || options.whatIf) {
      if (options.json)
        io.stdout(
          `${JSON.stringify({ ...planDocument(planned), command: 'apply', whatIf: options.whatIf, changes: 0 }, null, 2)}\n`,
        )
      else
        io.stdout(
          human + (options.whatIf ? 'What if: nothing was changed.\n' : 'Already in the desired state.\n'),
        )
      return 0
    }
    if (!options.json) io.stdout(human)
    await consent(io, options, `Apply these ${planned.actions.length} change(s)?`)
    const before = journal.entries.length
    const result = await apply(planned, targets, {
      onEvent,
      journal,
      onJournal: (j) => writeJournal(journalFile, j),
    }).catch((error: unknown) => {
      io.stderr(
        `Stopped. ${journal.entries.length - before} change(s) of this run are recorded in ${journalFile}; run the same command again to resume (finished steps are skipped), or roll back with teams-oauth rollback --journal ${journalFile}.\n`,
      )
      throw error
    })
    if (options.json)
      io.stdout(
        `${JSON.stringify({ ...planDocument(planned), command: 'apply', changes: result.changes, journal: journalFile, entries: result.journal.entries.slice(before) }, null, 2)}\n`,
      )
    else
      io.stdout(
        `Applied ${result.changes} change(s). The record is in ${journalFile} (teams-oauth rollback --journal ${journalFile} undoes it).\n`,
      )
    return 0
  })
}
