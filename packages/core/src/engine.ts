import { type Action, exchangeWriteCmdlets } from './actions'
import { assertCertificateUsable, parseCertificate } from './certificate'
import { executeEntraAction } from './entra-actions'
import { isTeamsOAuthError, TeamsOAuthError, toTeamsOAuthError } from './errors'
import { emptyJournal, type Journal, type JournalEntry } from './journal'
import { isExchangeNotFound, type Targets } from './ports'
import type { Runbook } from './runbook'
import { kindOf, type PlannedAction, type Step, type StepContext } from './steps'

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
}

export type RunEvent =
  | { type: 'observe'; step: string; title: string }
  | { type: 'action-start'; step: string; title: string; action: Action; reason: string }
  | { type: 'action-done'; step: string; title: string; action: Action; changed: boolean }
  | { type: 'action-failed'; step: string; title: string; action: Action; error: TeamsOAuthError }
  | { type: 'undo'; step: string; title: string; action: Action; skipped?: string }

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
  return { runbook, createdAt: now.toISOString(), steps, actions, blocked }
}

/** The undo a step kind writes for a journaled change, given the changes its step made before it. */
function undoOf(entry: JournalEntry, journal: readonly JournalEntry[]): Action[] {
  const earlier = journal.filter((e) => e.step === entry.step && e.seq < entry.seq).map((e) => e.action)
  return kindOf(entry.spec).undo(entry.spec, entry.action, entry.before, entry.result, earlier)
}

/** JSON with every object's keys in order, so two values compare by content alone. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  )

/** Refuses, before any change, a journal whose undo is not what teams-oauth writes for its changes. */
function checkJournal(journal: Journal) {
  for (const entry of journal.entries) {
    const expected = undoOf(entry, journal.entries)
    const unknown = entry.undo.find((a) => a.system === 'exchange' && !exchangeWriteCmdlets.has(a.cmdlet))
    if (entry.spec.id !== entry.step || unknown || canonical(expected) !== canonical(entry.undo))
      throw new TeamsOAuthError(
        'JOURNAL_INVALID',
        `journal: entry ${entry.seq} (${entry.title}) does not undo its change the way teams-oauth would; the file was changed after apply wrote it. Nothing was rolled back.`,
        { field: 'journal', seq: entry.seq },
      )
  }
}

async function execute(
  targets: Targets,
  action: Action,
  beforeWrite?: (before: unknown) => Promise<void>,
): Promise<{ result: unknown; before?: unknown; changed: boolean }> {
  if (action.system === 'exchange') {
    if (!exchangeWriteCmdlets.has(action.cmdlet))
      throw new TeamsOAuthError(
        'PLAN_BLOCKED',
        `teams-oauth does not run ${action.cmdlet} to change Exchange`,
        {
          cmdlet: action.cmdlet,
        },
      )
    const { system: _, ...call } = action
    return { result: await targets.exchange.invoke(call), changed: true }
  }
  const { before, changed } = await executeEntraAction(targets.entra, action, beforeWrite)
  return { result: null, before, changed }
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
}

export interface ApplyResult {
  journal: Journal
  changes: number
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
      const base = { step: step.id, title: planStep.title, action }
      options.onEvent?.({ type: 'action-start', ...base, reason })
      let entry: JournalEntry | null = null
      const record = async (before: unknown, result: unknown, unconfirmed: boolean) => {
        if (!entry) {
          entry = {
            seq: (journal.entries.at(-1)?.seq ?? 0) + 1,
            at: new Date().toISOString(),
            step: step.id,
            spec: step,
            title: planStep.title,
            action,
            before: before ?? null,
            result: null,
            undo: [],
          }
          journal.entries.push(entry)
        }
        entry.result = result ?? null
        if (unconfirmed) entry.unconfirmed = true
        else delete entry.unconfirmed
        entry.undo = undoOf(entry, journal.entries)
        await options.onJournal?.(journal)
      }
      try {
        const readBefore = kind.before ? await kind.before(step, action, context) : null
        // an Entra write is recorded with its backup before it is sent: its outcome may never be confirmed
        const { result, before, changed } = await execute(targets, action, (backup) =>
          record(backup, null, true),
        )
        options.onEvent?.({ type: 'action-done', ...base, changed })
        if (!changed) continue
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
  return { ok: steps.every((s) => s.status === 'ok'), checkedAt: planned.createdAt, steps }
}

export interface RollbackOptions extends RunOptions {
  /** List what would be undone, change nothing. */
  whatIf?: boolean
  /** Called after each entry is undone (and marked so), to keep the file in step. */
  onJournal?: (journal: Journal) => void | Promise<void>
}

export interface RollbackResult {
  undone: { step: string; title: string; action: Action; skipped?: string }[]
}

/**
 * Undoes a journal, newest change first: removes only what this tool created and sets back only what
 * it changed. Something already gone is skipped, so a rollback can be run again.
 */
export async function rollback(
  journal: Journal,
  targets: Targets,
  options: RollbackOptions = {},
): Promise<RollbackResult> {
  checkJournal(journal)
  const undone: RollbackResult['undone'] = []
  for (const entry of [...journal.entries].reverse()) {
    if (entry.undoneAt) continue
    for (const action of [...entry.undo].reverse()) {
      const base = { step: entry.step, title: entry.title, action }
      if (options.whatIf) {
        undone.push(base)
        continue
      }
      let skipped: string | undefined
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
      options.onEvent?.({ type: 'undo', ...base, ...(skipped ? { skipped } : {}) })
      undone.push(skipped ? { ...base, skipped } : base)
    }
    if (!options.whatIf) {
      // marked in the journal as it goes, so a later rollback of the same file does not undo it again
      entry.undoneAt = new Date().toISOString()
      await options.onJournal?.(journal)
    }
  }
  return { undone }
}
