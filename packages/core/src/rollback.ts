import type { Action } from './actions'
import type { RunOptions } from './engine'
import { isTeamsOAuthError, TeamsOAuthError } from './errors'
import { execute } from './execute'
import { type Journal, type JournalEntry, sealJournal } from './journal'
import { bindJournal, checkJournal } from './journal-check'
import { isExchangeNotFound, readFound, type Targets } from './ports'
import { resolveUnconfirmed } from './read-back'
import { kindOf } from './steps'
import { pinOf } from './steps/journaled'
import { sameName } from './steps/step'

export interface RollbackOptions extends RunOptions {
  /** List what would be undone, change nothing. */
  whatIf?: boolean
  /** Called after each entry is undone (and marked so), to keep the file in step. */
  onJournal?: (journal: Journal) => void | Promise<void>
}

export interface UndoneAction {
  step: string
  title: string
  action: Action
  /** The object the undo acts on, as read back by its Guid: "mail user TeamsScheduler (<guid>)". */
  target?: string
  skipped?: string
}

export interface RollbackResult {
  undone: UndoneAction[]
}

const refusedTarget = (entry: JournalEntry, what: string, found: unknown) =>
  new TeamsOAuthError(
    'JOURNAL_INVALID',
    `journal: entry ${entry.seq} (${entry.title}) would undo ${what}, but the object of that Guid is ${String((found as { Name?: unknown }).Name)}, not the one teams-oauth ${entry.action.system === 'exchange' && entry.action.cmdlet.startsWith('New-') ? 'created' : 'changed'}; the journal was changed after apply wrote it, or it is another organisation's. Nothing was rolled back.`,
    { field: 'journal', seq: entry.seq },
  )

/**
 * Undoes a journal, newest change first by sequence: removes only what this tool created (by the Guid
 * it recorded, read back first) and sets back only what it changed. Refuses, before any change, a
 * journal that was edited, is another organisation's, or points at an object it did not create.
 * Something already gone is skipped, so a rollback can be run again.
 */
export async function rollback(
  journal: Journal,
  targets: Targets,
  options: RollbackOptions = {},
): Promise<RollbackResult> {
  checkJournal(journal)
  await bindJournal(journal, targets)
  if ((await resolveUnconfirmed(journal, targets)) && !options.whatIf) {
    sealJournal(journal)
    await options.onJournal?.(journal)
  }
  // every check before the first change: each object an undo acts on is read back by its Guid
  const work: { entry: JournalEntry; target?: string; skipped?: string }[] = []
  for (const entry of [...journal.entries].sort((a, b) => b.seq - a.seq)) {
    if (entry.undoneAt || entry.notApplied) continue
    if (entry.undo.length === 0) {
      work.push({ entry })
      continue
    }
    if (entry.unconfirmed && entry.action.system === 'exchange') {
      work.push({
        entry,
        skipped: 'its outcome was never confirmed; run apply again to read it back, then roll back',
      })
      continue
    }
    const target = kindOf(entry.spec).target?.(entry.spec, entry.action, entry.before, entry.result)
    if (!target) {
      if (entry.undo.some((a) => a.system === 'exchange'))
        throw new TeamsOAuthError(
          'JOURNAL_INVALID',
          `journal: entry ${entry.seq} (${entry.title}) names no Guid of the object its undo acts on, and teams-oauth does not undo by a name alone. Nothing was rolled back.`,
          { field: 'journal', seq: entry.seq },
        )
      work.push({ entry })
      continue
    }
    const [found] = await readFound(targets.exchange, {
      cmdlet: target.read,
      params: { Identity: target.guid, ...(entry.action.system === 'exchange' ? pinOf(entry.action) : {}) },
    })
    const described = `${target.what} (${target.guid})`
    if (!found) {
      work.push({ entry, target: described, skipped: 'already gone' })
      continue
    }
    if (
      String(found.Guid).toLowerCase() !== target.guid.toLowerCase() ||
      !sameName(String(found.Name), target.name)
    )
      throw refusedTarget(entry, described, found)
    work.push({ entry, target: described })
  }
  const undone: UndoneAction[] = []
  for (const { entry, target, skipped: entrySkipped } of work) {
    for (const action of [...entry.undo].reverse()) {
      const base = { step: entry.step, title: entry.title, action, ...(target ? { target } : {}) }
      if (options.whatIf) {
        undone.push(entrySkipped ? { ...base, skipped: entrySkipped } : base)
        continue
      }
      let skipped = entrySkipped
      if (!skipped) {
        try {
          const { changed } = await execute(targets, action)
          if (!changed) skipped = 'already undone'
        } catch (error) {
          if (!(action.system === 'exchange' && isExchangeNotFound(error))) {
            throw isTeamsOAuthError(error)
              ? new TeamsOAuthError(error.code, `rollback of ${entry.title}: ${error.message}`, {
                  ...error.data,
                  step: entry.step,
                })
              : error
          }
          skipped = 'already gone'
        }
      }
      options.onEvent?.({ type: 'undo', ...base, ...(skipped ? { skipped } : {}) })
      undone.push(skipped ? { ...base, skipped } : base)
    }
    if (!options.whatIf && !(entry.unconfirmed && entry.action.system === 'exchange')) {
      // marked in the journal as it goes, so a later rollback of the same file does not undo it again
      entry.undoneAt = new Date().toISOString()
      await options.onJournal?.(journal)
    }
  }
  return { undone }
}
