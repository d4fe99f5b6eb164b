import { verify } from '@teams-oauth/core'
import { type CliIO, exitCodes } from '../io'
import { renderVerify } from '../render'
import { prepare, progress, withTargets } from './shared'

export async function verifyCommand(io: CliIO, raw: Record<string, unknown>): Promise<number> {
  const { runbook, context } = prepare(io, raw)
  const report = await withTargets(context, ({ targets }) =>
    verify(runbook, targets, { onEvent: progress(context) }),
  )
  if (context.options.json) io.stdout(`${JSON.stringify({ command: 'verify', ...report }, null, 2)}\n`)
  else io.stdout(renderVerify(io, report, Boolean(process.stdout.isTTY)))
  return report.ok ? exitCodes.ok : exitCodes.notInDesiredState
}
