import type { Action, Plan, VerifyReport } from '@teams-oauth/core'
import { psCall } from '@teams-oauth/core/adapter'
import { type CliIO, paint } from './io'

export function describeAction(action: Action): string {
  if (action.system === 'exchange') return psCall(action.cmdlet, action.params)
  if (action.op === 'addKey') {
    const dropped = action.dropKeyIds.length
      ? `, dropping expired key(s) ${action.dropKeyIds.join(', ')}`
      : ''
    return `add certificate ${action.certificate.thumbprint} as a Verify key to ${action.displayName} (${action.appId}), keeping every other key${dropped}`
  }
  return `remove certificate ${action.thumbprint} from the service principal of ${action.appId}${action.restore.length ? ` and restore ${action.restore.length} key(s)` : ''}`
}

/** Consecutive actions of one cmdlet for one reason (a role's entries), so a person reads them as one. */
export function groupActions<T extends { action: Action; reason: string }>(actions: readonly T[]): T[][] {
  const groups: T[][] = []
  for (const item of actions) {
    const last = groups.at(-1)?.at(-1)
    const same =
      last &&
      last.reason === item.reason &&
      last.action.system === 'exchange' &&
      item.action.system === 'exchange' &&
      last.action.cmdlet === item.action.cmdlet
    if (same) groups.at(-1)!.push(item)
    else groups.push([item])
  }
  return groups
}

export function renderPlan(io: CliIO, planned: Plan, isTTY: boolean): string {
  const c = paint(io, isTTY)
  const { input } = planned.runbook
  const lines = [
    c.bold(
      `Plan for profile ${input.profile} on ${input.domain}: ${planned.actions.length === 0 ? 'nothing to change' : `${planned.actions.length} change(s)`}${planned.blocked.length ? `; ${planned.blocked.length} step(s) blocked until you act` : ''}`,
    ),
  ]
  for (const step of planned.steps) {
    const mark = step.blocked ? c.red('✗') : step.actions.length === 0 ? c.green('✓') : c.yellow('•')
    lines.push(`${mark} ${step.title}${step.actions.length === 0 ? c.dim(`: ${step.actual}`) : ''}`)
    for (const group of groupActions(step.actions)) {
      const [first] = group
      if (!first) continue
      if (group.length >= 4 && first.action.system === 'exchange') {
        const identities = group.map((a) =>
          a.action.system === 'exchange' ? String(a.action.params.Identity ?? '') : '',
        )
        const prefix = identities[0]?.includes('\\')
          ? identities[0].slice(0, identities[0].indexOf('\\') + 1)
          : ''
        const shared = prefix && identities.every((i) => i.startsWith(prefix))
        const names = shared ? identities.map((i) => i.slice(prefix.length)) : identities
        lines.push(
          `    + ${first.action.cmdlet} × ${group.length}${shared ? ` (${prefix}…)` : ''}: ${names.join(', ')}`,
        )
      } else for (const { action } of group) lines.push(`    + ${describeAction(action)}`)
      lines.push(c.dim(`      why: ${first.reason}`))
    }
    if (step.blocked) lines.push(c.red(`    blocked: ${step.blocked}`))
    for (const note of step.notes) lines.push(c.yellow(`    ! ${note}`))
  }
  for (const note of planned.notes) lines.push(c.yellow(`! ${note}`))
  return `${lines.join('\n')}\n`
}

export function renderVerify(io: CliIO, report: VerifyReport, isTTY: boolean): string {
  const c = paint(io, isTTY)
  const lines = [
    c.bold(
      report.ok
        ? 'Verify: every step is in the desired state'
        : 'Verify: some steps are not in the desired state',
    ),
  ]
  for (const step of report.steps) {
    lines.push(
      step.status === 'ok'
        ? `${c.green('✓ ok   ')} ${step.title}: ${step.actual}`
        : step.status === 'failed'
          ? `${c.red('✗ failed')} ${step.title}: could not be checked: ${step.actual}`
          : `${c.red('✗ drift')} ${step.title}: wanted ${step.desired}; found ${step.actual}`,
    )
  }
  for (const note of report.notes) lines.push(c.yellow(`! ${note}`))
  return `${lines.join('\n')}\n`
}

/** Plan as JSON: one document, each action with its step and reason. */
export const planDocument = (planned: Plan) => ({
  command: 'plan',
  profile: planned.runbook.input.profile,
  domain: planned.runbook.input.domain,
  createdAt: planned.createdAt,
  actions: planned.actions.map((a) => ({ step: a.step, title: a.title, reason: a.reason, action: a.action })),
  blocked: planned.blocked,
  notes: planned.notes,
  steps: planned.steps.map((s) => ({
    id: s.id,
    kind: s.kind,
    title: s.title,
    desired: s.desired,
    actual: s.actual,
    notes: s.notes,
    actions: s.actions.length,
  })),
})
