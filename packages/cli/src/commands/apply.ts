import {
  apply,
  assertNotBlocked,
  bindJournal,
  checkJournal,
  emptyJournal,
  plan,
  TeamsOAuthError,
} from '@teams-oauth/core'
import type { CliIO } from '../io'
import { planDocument, renderPlan } from '../render'
import { targetsLine } from '../targets-used'
import {
  defaultJournal,
  prepare,
  probeWritable,
  progress,
  readJournal,
  withTargets,
  writeJournal,
} from './shared'

/** Refuses to write without consent: --yes, or a person answering yes at the terminal. */
export async function consent(
  io: CliIO,
  options: { yes?: boolean; json: boolean },
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

/** The exit code of a run stopped by SIGINT (128 + 2), as shells report it. */
export const interruptedExit = 130

/** Lets a signal already delivered reach its handler: two turns of the event loop pass its poll phase. */
const letSignalsIn = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)))

export async function applyCommand(io: CliIO, raw: Record<string, unknown>): Promise<number> {
  const { runbook, context, options } = prepare(io, raw)
  const journalFile = options.journal ?? defaultJournal
  // --what-if neither reads nor writes the journal
  const lock = { command: 'apply', ...(options.whatIf ? {} : { journal: journalFile }) }
  return withTargets(
    context,
    async ({ targets }) => {
      // found before any change: a journal that cannot be written
      if (!options.whatIf) probeWritable(journalFile, 'journal')
      const journal = options.whatIf ? emptyJournal() : readJournal(journalFile)
      // another organisation's journal, or an edited one, is refused before the plan is even read
      checkJournal(journal)
      await bindJournal(journal, targets)
      const onEvent = progress(context)
      const planned = await plan(runbook, targets, { onEvent })
      const human = targetsLine(context.targets) + renderPlan(io, planned, Boolean(process.stdout.isTTY))
      const document = { ...planDocument(planned), targets: context.targets, command: 'apply' }
      if (planned.blocked.length > 0 && !options.whatIf) {
        if (!options.json) io.stdout(human)
        assertNotBlocked(planned)
      }
      if (planned.actions.length === 0 || options.whatIf) {
        if (options.json)
          io.stdout(`${JSON.stringify({ ...document, whatIf: options.whatIf, changes: 0 }, null, 2)}\n`)
        else
          io.stdout(
            human + (options.whatIf ? 'What if: nothing was changed.\n' : 'Already in the desired state.\n'),
          )
        return 0
      }
      if (!options.json) io.stdout(human)
      await consent(io, options, `Apply these ${planned.actions.length} change(s)?`)
      const before = journal.entries.length
      // Ctrl-C: the call in flight finishes and is journaled; apply stops before the next one
      const interrupt = new AbortController()
      const onSignal = () => interrupt.abort()
      process.on('SIGINT', onSignal)
      let result: Awaited<ReturnType<typeof apply>>
      try {
        result = await apply(planned, targets, {
          onEvent,
          journal,
          signal: interrupt.signal,
          onJournal: async (j) => {
            writeJournal(journalFile, j)
            await letSignalsIn()
          },
        }).catch((error: unknown) => {
          io.stderr(
            `Stopped. ${journal.entries.length - before} change(s) of this run are recorded in ${journalFile}; run the same command again to resume (finished steps are skipped), or roll back with teams-oauth rollback --journal ${journalFile}.\n`,
          )
          throw error
        })
        await letSignalsIn()
      } finally {
        process.off('SIGINT', onSignal)
      }
      const entries = result.journal.entries.slice(before)
      if (result.interrupted) {
        if (options.json)
          io.stdout(
            `${JSON.stringify({ ...document, interrupted: true, changes: result.changes, journal: journalFile, entries }, null, 2)}\n`,
          )
        io.stderr(
          `interrupted; ${entries.length} change(s) recorded in ${journalFile}; run the same command again to resume\n`,
        )
        return interruptedExit
      }
      if (options.json)
        io.stdout(
          `${JSON.stringify({ ...document, changes: result.changes, journal: journalFile, entries }, null, 2)}\n`,
        )
      else
        io.stdout(
          `Applied ${result.changes} change(s). The record is in ${journalFile} (teams-oauth rollback --journal ${journalFile} undoes it).\n`,
        )
      return 0
    },
    lock,
  )
}
