import { plan } from '@teams-oauth/core'
import type { CliIO } from '../io'
import { planDocument, renderPlan } from '../render'
import { prepare, progress, withTargets } from './shared'

export async function planCommand(io: CliIO, raw: Record<string, unknown>): Promise<number> {
  const { runbook, context } = prepare(io, raw)
  const planned = await withTargets(context, ({ targets }) =>
    plan(runbook, targets, { onEvent: progress(context) }),
  )
  if (context.options.json) io.stdout(`${JSON.stringify(planDocument(planned), null, 2)}\n`)
  else io.stdout(renderPlan(io, planned, Boolean(process.stdout.isTTY)))
  return 0
}
