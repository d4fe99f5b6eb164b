import { apply, plan, verify } from '@teams-oauth/core'
import { type CliIO, exitCodes, paint } from '../io'
import { describeAction, planDocument, renderPlan, renderVerify } from '../render'

/** The whole fix on an embedded fake organisation and tenant: plan, apply, verify, printed for a person. */
export async function demoCommand(io: CliIO, raw: Record<string, unknown>): Promise<number> {
  const { buildRunbook } = await import('@teams-oauth/core')
  const { createFakeTenant } = await import('@teams-oauth/fakes')
  const json = Boolean(raw.json)
  const tty = Boolean(process.stdout.isTTY)
  const c = paint(io, tty)
  const tenant = createFakeTenant()
  const runbook = buildRunbook({
    profile: (raw.profile as 'teams') ?? 'all',
    domain: (raw.domain as string) ?? 'contoso.com',
  })
  const say = (text: string) => {
    if (!json) io.stdout(text)
  }
  say(
    c.bold(
      'teams-oauth demo: a fake Exchange organisation (contoso.com) and Entra tenant, fixed end to end\n\n',
    ) + '1. Plan: read everything, change nothing\n',
  )
  const planned = await plan(runbook, tenant)
  say(`${renderPlan(io, planned, tty)}\n2. Apply: carry out the plan, journaling each change\n`)
  let removedEntries = 0
  const result = await apply(planned, tenant, {
    onEvent: (event) => {
      if (event.type !== 'action-done') return
      // a role's removed entries read as one line
      if (event.action.system === 'exchange' && event.action.cmdlet === 'Remove-ManagementRoleEntry') {
        removedEntries++
        return
      }
      if (removedEntries > 0) say(`  ${c.green('✓')} Remove-ManagementRoleEntry × ${removedEntries}\n`)
      removedEntries = 0
      say(`  ${c.green('✓')} ${describeAction(event.action)}\n`)
    },
  })
  say(
    `Applied ${result.changes} change(s); the fake recorded ${tenant.changes.length} write(s).\n\n3. Verify: read everything again\n`,
  )
  const report = await verify(runbook, tenant)
  say(renderVerify(io, report, tty))
  const again = await plan(runbook, tenant)
  say(
    `\n4. Plan again: ${again.actions.length === 0 ? c.green('nothing to change (idempotent)') : c.red(`${again.actions.length} change(s) left`)}\n`,
  )
  if (json)
    io.stdout(
      `${JSON.stringify({ command: 'demo', plan: planDocument(planned), changes: result.changes, journal: result.journal, verify: report, planAgain: again.actions.length }, null, 2)}\n`,
    )
  return report.ok && again.actions.length === 0 ? exitCodes.ok : exitCodes.notInDesiredState
}
