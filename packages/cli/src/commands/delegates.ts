import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { auditConcurrency, auditDelegates, type DelegateFinding, verdictCounts } from '@teams-oauth/core'
import { readFound } from '@teams-oauth/core/adapter'
import { type Checkpoint, openCheckpoint } from '../delegates/checkpoint'
import { csvHeader, csvRow } from '../delegates/csv'
import { openAuditTarget } from '../delegates/exchange-target'
import { htmlEnd, htmlRow, htmlStart } from '../delegates/html'
import { progressReporter } from '../delegates/progress'
import { type CliIO, exitCodes, paint } from '../io'
import type { OptionsOf } from '../option-declarations'

/** The audit's options, read by the delegates command's schema; the concurrency is checked by the audit's own rule. */
function auditOptions(options: OptionsOf<'delegates'>) {
  const concurrency = options.concurrency === undefined ? undefined : Number(options.concurrency)
  return {
    ...options,
    concurrency: auditConcurrency(concurrency),
    scope: options.all ? ('all' as const) : ('delegators' as const),
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

export async function delegatesCommand(io: CliIO, given: OptionsOf<'delegates'>): Promise<number> {
  const options = auditOptions(given)
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
