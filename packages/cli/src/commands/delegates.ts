import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import {
  auditConcurrency,
  auditDelegates,
  type DelegateFinding,
  TeamsOAuthError,
  verdictCounts,
} from '@teams-oauth/core'
import { readFound } from '@teams-oauth/core/adapter'
import { z } from 'zod'
import { type Checkpoint, openCheckpoint } from '../delegates/checkpoint'
import { csvHeader, csvRow } from '../delegates/csv'
import { openAuditTarget } from '../delegates/exchange-target'
import { htmlEnd, htmlRow, htmlStart } from '../delegates/html'
import { progressReporter } from '../delegates/progress'
import { type CliIO, exitCodes, paint } from '../io'

const optionsSchema = z.object({
  exchange: z.string({ error: 'is required' }),
  state: z.string().optional(),
  all: z.boolean().default(false),
  concurrency: z.string().optional(),
  checkpoint: z.string().optional(),
  json: z.boolean().default(false),
  jsonl: z.boolean().default(false),
  csv: z.string().optional(),
  html: z.string().optional(),
  verbose: z.boolean().default(false),
})

const invalid = (field: string, problem: string, fix: string) =>
  new TeamsOAuthError('INPUT_INVALID', `--${field}: ${problem}; ${fix}`, {
    issues: [{ field, problem, fix }],
  })

function parseOptions(raw: Record<string, unknown>) {
  const parsed = optionsSchema.safeParse(raw)
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'exchange')
    throw invalid(
      field,
      'is required',
      'name the Exchange to audit: --exchange local, --exchange https://ex01.contoso.com/PowerShell/ or --exchange fake',
    )
  }
  const o = parsed.data
  if (!/^(fake|fake-pwsh|local|https?:\/\/.+)$/.test(o.exchange))
    throw invalid(
      'exchange',
      `${JSON.stringify(o.exchange)} is not an Exchange target`,
      'use local, a remote PowerShell URI (https://ex01.contoso.com/PowerShell/), fake or fake-pwsh',
    )
  if (o.json && o.jsonl)
    throw invalid(
      'jsonl',
      'goes without --json',
      'choose one document (--json) or one finding a line (--jsonl)',
    )
  const concurrency = o.concurrency === undefined ? undefined : Number(o.concurrency)
  return {
    ...o,
    concurrency: auditConcurrency(concurrency),
    scope: o.all ? ('all' as const) : ('delegators' as const),
  }
}

/** A file written under a temporary name and put in place only when complete. */
function fileOutput(file: string) {
  const temporary = `${file}.${process.pid}.tmp`
  const fd = openSync(temporary, 'w')
  return {
    write: (text: string) => void writeSync(fd, text),
    finish() {
      closeSync(fd)
      renameSync(temporary, file)
    },
    abandon() {
      closeSync(fd)
      rmSync(temporary, { force: true })
    },
  }
}

export async function delegatesCommand(io: CliIO, raw: Record<string, unknown>): Promise<number> {
  const options = parseOptions(raw)
  const quiet = options.json || options.jsonl
  const note = (message: string) => {
    if (!quiet || options.verbose) io.stderr(`${message}\n`)
  }
  const checkpoint: Checkpoint | null = options.checkpoint
    ? openCheckpoint(options.checkpoint, options.scope, options.exchange)
    : null
  const target = await openAuditTarget(
    options.exchange,
    { state: options.state, concurrency: options.concurrency, progress: note },
    io,
  )
  const stop = new AbortController()
  const onSigint = () => stop.abort()
  process.once('SIGINT', onSigint)
  const csv = options.csv ? fileOutput(options.csv) : null
  const html = options.html ? fileOutput(options.html) : null
  try {
    const [org] = await readFound(target.exchange, { cmdlet: 'Get-OrganizationConfig', params: {} })
    const organisation = typeof org?.Name === 'string' ? org.Name : 'Exchange organisation'
    const checkedAt = new Date().toISOString()
    const targets = { exchange: target.label }
    const counts = verdictCounts()
    const failing: DelegateFinding[] = []
    let first = true
    if (options.json)
      io.stdout(
        `{\n  "command": "delegates",\n  "targets": ${JSON.stringify(targets)},\n  "organisation": ${JSON.stringify(organisation)},\n  "scope": "${options.scope}",\n  "checkedAt": "${checkedAt}",\n  "findings": [`,
      )
    csv?.write(csvHeader())
    html?.write(htmlStart(`Delegates of ${organisation}`))
    const emit = (finding: DelegateFinding) => {
      counts[finding.verdict]++
      if (finding.verdict === 'fail' && failing.length < 20) failing.push(finding)
      if (options.jsonl) io.stdout(`${JSON.stringify(finding)}\n`)
      if (options.json) {
        io.stdout(`${first ? '' : ','}\n    ${JSON.stringify(finding)}`)
        first = false
      }
      csv?.write(csvRow(finding))
      html?.write(htmlRow(finding))
    }
    if (checkpoint) {
      for (const finding of checkpoint.replay()) emit(finding)
      if (checkpoint.done.size)
        note(`Resuming from ${checkpoint.file}: ${checkpoint.done.size} mailbox(es) already audited.`)
    }
    note(
      `Auditing the delegates of ${organisation} on Exchange ${target.label} (scope ${options.scope}, ${options.concurrency} at once)…`,
    )
    const reporter = progressReporter(io.stderr, Boolean(process.stderr.isTTY))
    let last = { listed: 0, listingDone: false, audited: 0, relationships: 0 }
    for await (const finding of auditDelegates(target, {
      scope: options.scope,
      concurrency: options.concurrency,
      signal: stop.signal,
      ...(checkpoint
        ? {
            skip: (alias: string) => checkpoint.done.has(alias),
            onMailbox: ({ alias, findings }) => checkpoint.record(alias, findings),
          }
        : {}),
      onProgress: (p) => {
        last = p
        reporter.update(p)
      },
    }))
      emit(finding)
    reporter.done(last)
    if (stop.signal.aborted) {
      csv?.abandon()
      html?.abandon()
      if (options.json) io.stdout('\n  ],\n  "interrupted": true\n}\n')
      io.stderr(
        checkpoint
          ? `Interrupted. ${last.audited} mailbox(es) are recorded in ${checkpoint.file}; run the same command again to resume.\n`
          : 'Interrupted. Run again with --checkpoint <file> to be able to resume.\n',
      )
      return 130
    }
    const total = counts.ok + counts.warn + counts.fail
    if (options.json)
      io.stdout(
        `\n  ],\n  "counts": ${JSON.stringify(counts)},\n  "relationships": ${total},\n  "ok": ${counts.fail === 0}\n}\n`,
      )
    csv?.finish()
    html?.write(htmlEnd({ organisation, target: target.label, scope: options.scope, checkedAt, counts }))
    html?.finish()
    if (options.csv) note(`Wrote ${options.csv}`)
    if (options.html) note(`Wrote ${options.html}`)
    if (!quiet)
      io.stdout(
        renderSummary(io, {
          organisation,
          target: target.label,
          scope: options.scope,
          checkedAt,
          counts,
          failing,
        }),
      )
    return counts.fail > 0 ? exitCodes.notInDesiredState : exitCodes.ok
  } catch (error) {
    csv?.abandon()
    html?.abandon()
    throw error
  } finally {
    process.removeListener('SIGINT', onSigint)
    await target.close()
  }
}

function renderSummary(
  io: CliIO,
  s: {
    organisation: string
    target: string
    scope: string
    checkedAt: string
    counts: Record<'ok' | 'warn' | 'fail', number>
    failing: DelegateFinding[]
  },
): string {
  const c = paint(io, Boolean(process.stdout.isTTY))
  const total = s.counts.ok + s.counts.warn + s.counts.fail
  const row = (label: string, n: number) => `  ${label.padEnd(10)}${String(n).padStart(8)}`
  const lines = [
    c.bold(
      `teams-oauth delegates: ${s.organisation}, Exchange ${s.target}, scope ${s.scope}, ${s.checkedAt}`,
    ),
    '',
    `  ${'verdict'.padEnd(10)}${'pairs'.padStart(8)}`,
    c.red(row('fail', s.counts.fail)),
    c.yellow(row('warn', s.counts.warn)),
    c.green(row('ok', s.counts.ok)),
    row('total', total),
  ]
  if (s.failing.length) {
    lines.push(
      '',
      s.counts.fail > s.failing.length
        ? `First ${s.failing.length} of ${s.counts.fail} failing:`
        : 'Failing:',
    )
    for (const f of s.failing) {
      lines.push(
        `  ✗ ${f.delegate} for ${f.delegator} (${f.calendar ?? 'no calendar'}): ${f.reasons.join('; ')}`,
      )
      for (const command of f.fix) lines.push(c.dim(`      ${command}`))
    }
    lines.push('', 'Every pair, with its fix: --csv FILE or --html FILE.')
  }
  return `${lines.join('\n')}\n`
}
