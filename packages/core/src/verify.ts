import type { ErrorCode } from './errors'
import { decideSteps, isFailedStep, type RunOptions } from './plan'
import type { Targets } from './ports'
import type { Runbook } from './runbook'
import { runbookNotes } from './runbook-notes'

export interface VerifyStep {
  id: string
  title: string
  /** ok: in the desired state; drift: not, and apply would change it or says why it cannot; failed: see `error`. */
  status: 'ok' | 'drift' | 'failed'
  desired: string
  actual: string
  notes: string[]
  pending: string[]
  /** Why the step cannot reach the desired state without a person's action (it is the first of `pending`). */
  blocked?: string
  /** Why the step could not be decided (a service principal missing from the tenant), with how to fix it. */
  error?: { code: ErrorCode; message: string }
}

export interface VerifyReport {
  ok: boolean
  checkedAt: string
  steps: VerifyStep[]
  /** What verify does not check (hybrid OAuth), and other notes of the run. */
  notes: string[]
}

/**
 * What reading a step can find about the organisation that stops it being decided: verify reports
 * these as a failed step and checks the next one. Any other error stops verify (it failed while running).
 */
export const findingCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['SERVICE_PRINCIPAL_NOT_FOUND'])

/** Re-observes every step and reports, per step, desired against actual. */
export async function verify(
  runbook: Runbook,
  targets: Targets,
  options: RunOptions = {},
): Promise<VerifyReport> {
  const decided = await decideSteps(runbook, targets, options, (error) => findingCodes.has(error.code))
  const steps = decided.steps.map((s): VerifyStep => {
    if (isFailedStep(s)) {
      // what was found, without the step's title the error carries in front
      const found = s.error.message.replace(`${s.title}: `, '')
      return {
        id: s.id,
        title: s.title,
        status: 'failed',
        desired: s.title,
        actual: found,
        notes: [],
        pending: [found],
        error: { code: s.error.code, message: s.error.message },
      }
    }
    return {
      id: s.id,
      title: s.title,
      status: s.actions.length === 0 && !s.blocked ? 'ok' : 'drift',
      desired: s.desired,
      actual: s.actual,
      notes: s.notes,
      pending: [...(s.blocked ? [s.blocked] : []), ...s.actions.map((a) => a.reason)],
      ...(s.blocked ? { blocked: s.blocked } : {}),
    }
  })
  return {
    ok: steps.every((s) => s.status === 'ok'),
    checkedAt: decided.now.toISOString(),
    steps,
    notes: runbookNotes(runbook.input),
  }
}
