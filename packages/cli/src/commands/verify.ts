import { buildRunbook, verify } from '@teams-oauth/core'
import { type CliIO, exitCodes } from '../io'
import { renderVerify } from '../render'
import { targetsLine } from '../targets-used'
import { prepare, progress, withTargets } from './shared'

export async function verifyCommand(io: CliIO, raw: Record<string, unknown>): Promise<number> {
  const { runbook: given, context } = prepare(io, raw)
  // verify checks Entra against Exchange's own auth certificate, never against a file that says otherwise
  const { certificate: _, anyCertificate: __, ...input } = given.input
  const runbook = buildRunbook(input)
  const report = await withTargets(context, ({ targets }) =>
    verify(runbook, targets, { onEvent: progress(context) }),
  )
  if (context.options.json)
    io.stdout(`${JSON.stringify({ command: 'verify', targets: context.targets, ...report }, null, 2)}\n`)
  else io.stdout(targetsLine(context.targets) + renderVerify(io, report, Boolean(process.stdout.isTTY)))
  return report.ok ? exitCodes.ok : exitCodes.notInDesiredState
}
