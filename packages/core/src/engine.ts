import type { Action } from './actions'
import { assertCertificateUsable, parseCertificate } from './certificate'
import { TeamsOAuthError, toTeamsOAuthError } from './errors'
import { execute } from './execute'
import { emptyJournal, type Journal, type JournalEntry, sealJournal } from './journal'
import { bindJournal, checkJournal, undoOf } from './journal-check'
import type { Targets } from './ports'
import { resolveUnconfirmed } from './read-back'
import type { Runbook } from './runbook'
import { runbookNotes } from './runbook-notes'
import { kindOf, type PlannedAction, type Step, type StepContext } from './steps'
import { createdObject } from './steps/step'

export interface PlanStep {
  id: string
  kind: Step['kind']
  title: string
  desired: string
  actual: string
  notes: string[]
  actions: PlannedAction[]
  /** Why this step cannot reach the desired state without a person's action; null when it can. */
  blocked: string | null
}

export interface PlanAction extends PlannedAction {
  step: string
  title: string
}

/** What plan found: per step the desired and actual state, and the actions (with reasons) to reach it. */
export interface Plan {
  runbook: Runbook
  createdAt: string
  steps: PlanStep[]
  actions: PlanAction[]
  /** The steps that need a person's action first; apply refuses to start while there are any. */
  blocked: { step: string; title: string; reason: string }[]
  /** What the run as a whole must say (prerequisites not checked, unsupported clouds, …). */
  notes: string[]
}

export type RunEvent =
  | { type: 'observe'; step: string; title: string }
  | { type: 'action-start'; step: string; title: string; action: Action; reason: string }
  | {
      type: 'action-done'
      step: string
      title: string
      action: Action
      changed: boolean
      /** What a person should know about how the change was made (e.g. the form Graph took the keys in). */
      note?: string
    }
  | { type: 'action-failed'; step: string; title: string; action: Action; error: TeamsOAuthError }
  | { type: 'undo'; step: string; title: string; action: Action; target?: string; skipped?: string }

export interface RunOptions {
  now?: Date
  onEvent?: (event: RunEvent) => void
}

const contextFor = (runbook: Runbook, targets: Targets, now: Date): StepContext => ({
  input: runbook.input,
  targets,
  now,
  certificates: [],
  accounts: {},
})

/** Fails before any change when a certificate given as input is unreadable, expired or not valid yet. */
function checkInputCertificate(runbook: Runbook, now: Date) {
  if (runbook.input.certificate) assertCertificateUsable(parseCertificate(runbook.input.certificate), now)
}

const stepError = (step: Step, title: string, error: unknown): TeamsOAuthError => {
  const base = toTeamsOAuthError(error)
  if (base.data.step) return base
  return new TeamsOAuthError(
    base.code,
    `${title}: ${base.message}`,
    { ...base.data, step: step.id },
    { cause: error },
  )
}

/** Observes every step and decides what to change. Writes nothing. */
export async function plan(runbook: Runbook, targets: Targets, options: RunOptions = {}): Promise<Plan> {
  const now = options.now ?? new Date()
  checkInputCertificate(runbook, now)
  const context = contextFor(runbook, targets, now)
  const steps: PlanStep[] = []
  for (const step of runbook.steps) {
    const kind = kindOf(step)
    const title = kind.title(step)
    options.onEvent?.({ type: 'observe', step: step.id, title })
    try {
      const decision = kind.decide(step, await kind.observe(step, context), context)
      if (decision.provides?.certificates) context.certificates = decision.provides.certificates
      if (decision.provides?.accounts) Object.assign(context.accounts, decision.provides.accounts)
      steps.push({
        id: step.id,
        kind: step.kind,
        title,
        desired: decision.desired,
        actual: decision.actual,
        notes: decision.notes ?? [],
        actions: decision.actions,
        blocked: decision.blocked ?? null,
      })
    } catch (error) {
      throw stepError(step, title, error)
    }
  }
  const actions = steps.flatMap((s) => s.actions.map((a) => ({ ...a, step: s.id, title: s.title })))
  const blocked = steps.flatMap((s) => (s.blocked ? [{ step: s.id, title: s.title, reason: s.blocked }] : []))
  return {
    runbook,
    createdAt: now.toISOString(),
    steps,
    actions,
    blocked,
    notes: runbookNotes(runbook.input),
  }
}

/** PLAN_BLOCKED, before any change, when a step needs a person's action first (an expired auth certificate, …). */
export function assertNotBlocked(planned: Plan): void {
  if (planned.blocked.length > 0)
    throw new TeamsOAuthError(
      'PLAN_BLOCKED',
      `nothing was changed: ${planned.blocked.map((b) => `${b.title}: ${b.reason}`).join('; ')}`,
      { blocked: planned.blocked },
    )
}

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
  const context = contextFor(planned.runbook, targets, now)
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

export interface VerifyStep {
  id: string
  title: string
  status: 'ok' | 'drift'
  desired: string
  actual: string
  notes: string[]
  pending: string[]
}

export interface VerifyReport {
  ok: boolean
  checkedAt: string
  steps: VerifyStep[]
  /** What verify does not check (hybrid OAuth), and other notes of the run. */
  notes: string[]
}

/** Re-observes every step and reports, per step, desired against actual. */
export async function verify(
  runbook: Runbook,
  targets: Targets,
  options: RunOptions = {},
): Promise<VerifyReport> {
  const planned = await plan(runbook, targets, options)
  const steps = planned.steps.map(
    (s): VerifyStep => ({
      id: s.id,
      title: s.title,
      status: s.actions.length === 0 && !s.blocked ? 'ok' : 'drift',
      desired: s.desired,
      actual: s.actual,
      notes: s.notes,
      pending: [...(s.blocked ? [s.blocked] : []), ...s.actions.map((a) => a.reason)],
    }),
  )
  return {
    ok: steps.every((s) => s.status === 'ok'),
    checkedAt: planned.createdAt,
    steps,
    notes: planned.notes,
  }
}
