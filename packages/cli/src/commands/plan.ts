import { plan } from '@teams-oauth/core'
import type { CliIO } from '../io'
import { planDocument, renderPlan } from '../render'
import { targetsLine } from '../targets-used'
import { prepare, progress, withTargets } from './shared'

export async function planCommand(io: CliIO, raw: Record<string, unknown>): Promise<number> {
  const { runbook, context } = prepare(io, raw)
  const planned = await withTargets(context, ({ targets }) =>
    plan(runbook, targets, { onEvent: progress(context) }),
  )
  if (context.options.json)
    io.stdout(`${JSON.stringify({ ...planDocument(planned), targets: context.targets }, null, 2)}\n`)
  else io.stdout(targetsLine(context.targets) + renderPlan(io, planned, Boolean(process.stdout.isTTY)))
  return 0
}
