import { TeamsOAuthError } from './errors'
import { execute } from './execute'
import { emptyJournal, type Journal, type JournalEntry, sealJournal } from './journal'
import { bindJournal, checkJournal, undoOf } from './journal-check'
import { assertNotBlocked, contextFor, type Plan, type RunOptions, stepError } from './plan'
import type { Targets } from './ports'
import { resolveUnconfirmed } from './read-back'
import { kindOf } from './steps'
import { createdObject } from './steps/journaled'

export interface ApplyOptions extends RunOptions {
  /** The journal to append to (a failed run's, or one kept across runs). A new one otherwise. */
  journal?: Journal
  /** Called after every change, so the record is on disk before the next change starts. */
  onJournal?: (journal: Journal) => void | Promise<void>
  /** Checked between actions: once aborted, apply stops before the next action (the one in flight finishes). */
  signal?: AbortSignal
}

export interface ApplyResult {
  journal: Journal
  changes: number
  /** Set when `signal` stopped the run before its last action. */
  interrupted?: true
}

/**
 * Runs a plan's actions in order and journals each change with the state it replaced. On failure it
 * throws (the journal keeps what was done); running plan and apply again resumes.
 */
export async function apply(
  planned: Plan,
  targets: Targets,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const now = options.now ?? new Date()
  const context = contextFor(planned.runbook.input, targets, now)
  const journal = options.journal ?? emptyJournal()
  assertNotBlocked(planned)
  // refused before the first change: an edited journal, or one of another organisation or tenant
  checkJournal(journal)
  await bindJournal(journal, targets)
  // `from`: the first entry changed since the last save (the ones before it are sealed already)
  const save = async (from = 0) => {
    sealJournal(journal, from)
    await options.onJournal?.(journal)
  }
  // what an earlier run sent but never heard back about is read back first
  if (await resolveUnconfirmed(journal, targets)) await save()
  let changes = 0
  for (const planStep of planned.steps) {
    const step = planned.runbook.steps.find((s) => s.id === planStep.id)
    if (!step)
      throw new TeamsOAuthError(
        'PLAN_BLOCKED',
        `the plan names a step ${planStep.id} its runbook does not have`,
      )
    const kind = kindOf(step)
    for (const { action, reason } of planStep.actions) {
      if (options.signal?.aborted) return { journal, changes, interrupted: true }
      const base = { step: step.id, title: planStep.title, action }
      options.onEvent?.({ type: 'action-start', ...base, reason })
      let entry: JournalEntry | null = null
      const record = async (before: unknown, result: unknown, unconfirmed: boolean) => {
        const current: JournalEntry = entry ?? {
          seq: (journal.entries.at(-1)?.seq ?? 0) + 1,
          at: new Date().toISOString(),
          step: step.id,
          spec: step,
          title: planStep.title,
          action,
          before: before ?? null,
          result: null,
          undo: [],
          hash: '',
        }
        if (!entry) journal.entries.push(current)
        entry = current
        current.result = result ?? null
        if (unconfirmed) current.unconfirmed = true
        else delete current.unconfirmed
        current.undo = undoOf(current, journal.entries)
        await save(journal.entries.indexOf(current))
      }
      try {
        const readBefore = kind.before ? await kind.before(step, action, context) : null
        if (action.system === 'exchange') {
          // journaled before it is sent: its answer may never come back
          await record(readBefore, null, true)
          let result: unknown
          try {
            ;({ result } = await execute(targets, action))
          } catch (error) {
            const outcome = await kind.landed?.(step, action, context).then(
              (landed) => ({ landed }),
              () => null,
            )
            if (outcome?.landed) {
              changes++
              await record(readBefore, outcome.landed.result, false)
            } else if (outcome && journal.entries.at(-1) === entry) {
              // read back and not there: the change never happened, so it is no change of the journal's
              journal.entries.pop()
              await save()
            }
            throw error
          }
          // a create is undone by its Guid: read it back when the answer did not carry one
          if (action.cmdlet.startsWith('New-') && !createdObject(result))
            result = (await kind.landed?.(step, action, context))?.result ?? result
          options.onEvent?.({ type: 'action-done', ...base, changed: true })
          changes++
          await record(readBefore, result, false)
          continue
        }
        // an Entra write is recorded with its backup before it is sent: its outcome may never be confirmed
        const { result, before, changed } = await execute(targets, action, (backup) =>
          record(backup, null, true),
        )
        const note = (result as { note?: unknown } | null)?.note
        options.onEvent?.({
          type: 'action-done',
          ...base,
          changed,
          ...(typeof note === 'string' ? { note } : {}),
        })
        if (!changed) {
          // nothing of ours landed (the key was there by the time of the write): no change to undo
          if (entry && journal.entries.at(-1) === entry) {
            journal.entries.pop()
            await save()
          }
          continue
        }
        changes++
        await record(before ?? readBefore, result, false)
      } catch (error) {
        const failure = stepError(step, planStep.title, error)
        options.onEvent?.({ type: 'action-failed', ...base, error: failure })
        throw failure
      }
    }
  }
  return { journal, changes }
}
