import type { VerifyReport, VerifyStep } from '../verify'
import { type Check, check } from './checks'
import { applyFix, type DiagnoseOptions } from './context'

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)
const stop = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`)

/**
 * One check per step of the runbook, as verify found it: a step in the desired state passes, any
 * other fails. Whether a step is in place is decided by the step alone, never again here.
 */
export function stepCheck(step: VerifyStep, options: DiagnoseOptions): Check {
  const title = sentence(step.title)
  if (step.status === 'failed')
    return {
      ...check(
        step.id,
        title,
        'fail',
        [step.actual],
        null,
        `This step could not be checked (${step.error?.code ?? 'failed'}); fix what the evidence names first.`,
      ),
      step: step.id,
    }
  const evidence = [step.actual, ...step.notes]
  if (step.status === 'ok') return { ...check(step.id, title, 'pass', evidence), step: step.id }
  // one sentence per reason, once: a role losing twenty entries gives one reason twenty times
  const reasons = [...new Set(step.pending.filter((reason) => reason !== step.blocked))]
  return {
    ...check(
      step.id,
      title,
      'fail',
      evidence,
      step.blocked ?? applyFix(options),
      [`Wanted: ${step.desired}.`, ...reasons.map((reason) => stop(sentence(reason)))].join(' '),
    ),
    step: step.id,
  }
}

export const stepChecks = (report: VerifyReport, options: DiagnoseOptions): Check[] =>
  report.steps.map((step) => stepCheck(step, options))
