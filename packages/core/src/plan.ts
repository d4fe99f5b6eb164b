import type { Action } from './actions'
import { assertCertificateUsable, parseCertificate } from './certificate'
import { TeamsOAuthError, toTeamsOAuthError } from './errors'
import type { ValidInput } from './input'
import type { Targets } from './ports'
import type { Runbook } from './runbook'
import { runbookNotes } from './runbook-notes'
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

/** A run's context before its first step: nothing found yet. */
export const contextFor = (input: ValidInput, targets: Targets, now: Date): StepContext => ({
  input,
  targets,
  now,
  certificates: [],
  accounts: {},
})

/** Fails before any change when a certificate given as input is unreadable, expired or not valid yet. */
function checkInputCertificate(runbook: Runbook, now: Date) {
  if (runbook.input.certificate) assertCertificateUsable(parseCertificate(runbook.input.certificate), now)
}

export const stepError = (step: Step, title: string, error: unknown): TeamsOAuthError => {
  const base = toTeamsOAuthError(error)
  if (base.data.step) return base
  return new TeamsOAuthError(
    base.code,
    `${title}: ${base.message}`,
    { ...base.data, step: step.id },
    { cause: error },
  )
}

/** A step that could not be decided: reading it found what the organisation lacks (a service principal). */
export interface FailedStep {
  id: string
  kind: Step['kind']
  title: string
  error: TeamsOAuthError
}

/**
 * Observes and decides every step in order, passing results forward. A step's error is thrown, named
 * after the step, unless `record` keeps it: then the step is a FailedStep and the next one runs.
 */
export async function decideSteps(
  runbook: Runbook,
  targets: Targets,
  options: RunOptions,
  record: (error: TeamsOAuthError) => boolean = () => false,
): Promise<{ now: Date; steps: (PlanStep | FailedStep)[] }> {
  const now = options.now ?? new Date()
  checkInputCertificate(runbook, now)
  const context = contextFor(runbook.input, targets, now)
  const steps: (PlanStep | FailedStep)[] = []
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
      const failure = stepError(step, title, error)
      if (!record(failure)) throw failure
      steps.push({ id: step.id, kind: step.kind, title, error: failure })
    }
  }
  return { now, steps }
}

export const isFailedStep = (step: PlanStep | FailedStep): step is FailedStep => 'error' in step

/** Observes every step and decides what to change. Writes nothing. */
export async function plan(runbook: Runbook, targets: Targets, options: RunOptions = {}): Promise<Plan> {
  const decided = await decideSteps(runbook, targets, options)
  const steps = decided.steps.filter((s): s is PlanStep => !isFailedStep(s))
  const actions = steps.flatMap((s) => s.actions.map((a) => ({ ...a, step: s.id, title: s.title })))
  const blocked = steps.flatMap((s) => (s.blocked ? [{ step: s.id, title: s.title, reason: s.blocked }] : []))
  return {
    runbook,
    createdAt: decided.now.toISOString(),
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
