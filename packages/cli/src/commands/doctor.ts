import { type DoctorReport, diagnose } from '@teams-oauth/core'
import { writeFileAtomic } from '../files'
import { renderHtmlReport } from '../html-report'
import { type CliIO, exitCodes, paint } from '../io'
import { type TargetsUsed, targetArguments, targetsLine } from '../targets-used'
import { assertDistinctFiles, prepare, withTargets } from './shared'

export function renderDoctor(io: CliIO, report: DoctorReport, used: TargetsUsed, isTTY: boolean): string {
  const c = paint(io, isTTY)
  const mark = { pass: c.green('✓ pass'), warn: c.yellow('! warn'), fail: c.red('✗ fail') }
  const lines = [
    c.bold(`teams-oauth doctor: ${report.organisation} (profile ${report.profile}), ${report.checkedAt}`),
    targetsLine(used).trimEnd(),
  ]
  for (const check of report.checks) {
    lines.push(`${mark[check.status]}  ${check.title}`)
    for (const evidence of check.evidence) lines.push(c.dim(`          ${evidence}`))
    if (check.explanation) lines.push(`          why: ${check.explanation}`)
    if (check.fix) lines.push(`          fix: ${check.fix}`)
  }
  lines.push(
    report.ok
      ? c.green('Every check passes.')
      : `${report.counts.fail} failing, ${report.counts.warn} warning, ${report.counts.pass} passing.`,
  )
  return `${lines.join('\n')}\n`
}

export async function doctorCommand(io: CliIO, raw: Record<string, unknown>): Promise<number> {
  // the input verify takes, validated alike: doctor's checks of the steps are verify's
  const { options, runbook, context } = prepare(io, raw)
  const { input } = runbook
  assertDistinctFiles({ '--state': options.state, '--html': raw.html as string | undefined })
  const report = await withTargets(
    context,
    ({ targets }) =>
      diagnose(targets, {
        profile: input.profile,
        domain: input.domain,
        accounts: input.accounts,
        ...(input.delegate ?? {}),
        // the fix commands name the targets of this run, so they change what this run read
        targets: targetArguments(options),
        ...(options.graphUrl && options.entra !== 'msol' ? { graphUrl: options.graphUrl } : {}),
      }),
    { command: 'doctor' },
  )
  if (raw.html) {
    writeFileAtomic(raw.html as string, renderHtmlReport(report, context.targets))
    if (!options.json) io.stderr(`Wrote ${raw.html}\n`)
  }
  if (options.json)
    io.stdout(`${JSON.stringify({ command: 'doctor', targets: context.targets, ...report }, null, 2)}\n`)
  else io.stdout(renderDoctor(io, report, context.targets, Boolean(process.stdout.isTTY)))
  return report.ok ? exitCodes.ok : exitCodes.notInDesiredState
}
