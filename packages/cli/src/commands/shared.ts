import { closeSync, openSync, unlinkSync } from 'node:fs'
import {
  buildRunbook,
  emptyJournal,
  inputErrorCodes,
  type Journal,
  parseJournal,
  type RunEvent,
  TeamsOAuthError,
  toTeamsOAuthError,
} from '@teams-oauth/core'
import { MB, readInputFile, sameFile, temporaryName, writeFileAtomic } from '../files'
import { type CliIO, exitCodes, paint } from '../io'
import { acquireLocks } from '../lock'
import { parseTargetOptions, runbookInput, type TargetOptions } from '../options'
import { describeAction } from '../render'
import { type OpenTargets, openTargets } from '../targets'
import { type TargetsUsed, targetsUsed } from '../targets-used'

export interface CommandContext {
  io: CliIO
  options: TargetOptions
  targets: TargetsUsed
}

export const contextOf = (io: CliIO, options: TargetOptions): CommandContext => ({
  io,
  options,
  targets: targetsUsed(options),
})

/** Refuses one file given as two of them (--state and --journal, --state and --html): each would overwrite the other. */
export function assertDistinctFiles(files: Record<string, string | undefined>) {
  const given = Object.entries(files).filter((entry): entry is [string, string] => Boolean(entry[1]))
  for (const [i, [a, fileA]] of given.entries())
    for (const [b, fileB] of given.slice(i + 1))
      if (sameFile(fileA, fileB))
        throw new TeamsOAuthError(
          'INPUT_INVALID',
          `${a} and ${b} name one file (${fileB}); give each its own file`,
          { issues: [{ field: b.slice(2), problem: `is the ${a} file`, fix: 'give it its own file' }] },
        )
}

/**
 * The runbook and targets of plan, apply and verify, from options their command's schema has read
 * (a domain, both targets, --delegate with --delegator): bad input is refused before anything connects.
 */
export function prepare(io: CliIO, raw: Record<string, unknown>) {
  const options = parseTargetOptions(raw)
  assertDistinctFiles({ '--state': options.state, '--journal': options.journal })
  const { delegate, delegator } = options
  const runbook = buildRunbook({
    ...runbookInput(options),
    ...(delegate && delegator ? { delegate: { delegate, delegator } } : {}),
  })
  return { options, runbook, context: contextOf(io, options) }
}

/**
 * Runs with the targets open and this run's files locked: the journal (when given) and the fake's
 * state, so a second run on either stops (exit 2) before reading them.
 */
export async function withTargets<T>(
  context: CommandContext,
  run: (open: OpenTargets) => Promise<T>,
  lock: { command: string; journal?: string } = { command: 'teams-oauth' },
): Promise<T> {
  const { options, io } = context
  const files = [
    ...(lock.journal ? [{ field: 'journal', file: lock.journal }] : []),
    ...(options.state ? [{ field: 'state', file: options.state }] : []),
  ]
  const locks = acquireLocks(files, lock.command)
  try {
    for (const note of locks.notes) io.stderr(`${note}\n`)
    const open = await openTargets(options, io)
    try {
      return await run(open)
    } finally {
      await open.close()
    }
  } finally {
    locks.release()
  }
}

/** Progress on stderr for a person (and with --verbose always); never part of --json's stdout. */
export function progress(context: CommandContext) {
  const { io, options } = context
  const c = paint(io, Boolean(process.stderr.isTTY))
  return (event: RunEvent) => {
    if (options.json && !options.verbose) return
    if (event.type === 'observe') {
      if (options.verbose) io.stderr(c.dim(`  reading: ${event.title}\n`))
    } else if (event.type === 'action-start') io.stderr(`  → ${describeAction(event.action)}\n`)
    else if (event.type === 'action-done' && event.note) io.stderr(c.dim(`    ${event.note}\n`))
    else if (event.type === 'action-failed') io.stderr(c.red(`  ✗ ${event.title}: ${event.error.message}\n`))
    else if (event.type === 'undo')
      io.stderr(`  ↶ ${describeAction(event.action)}${event.skipped ? ` (${event.skipped})` : ''}\n`)
  }
}

export const defaultJournal = 'teams-oauth-journal.json'

export const journalLimit = 50 * MB

/** The journal in a file (an empty one when the file does not exist yet, unless it must exist). */
export function readJournal(file: string, options: { mustExist?: boolean } = {}): Journal {
  const bytes = readInputFile(file, {
    field: 'journal',
    maxBytes: journalLimit,
    code: 'JOURNAL_INVALID',
    fix: 'pass the file apply --journal wrote',
  })
  if (!bytes) {
    if (options.mustExist)
      throw new TeamsOAuthError(
        'JOURNAL_INVALID',
        `journal: ${file} does not exist; pass the file apply wrote (--journal <file>)`,
        { field: 'journal' },
      )
    return emptyJournal()
  }
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    // the parser's message quotes the file's first bytes: not repeated
    throw new TeamsOAuthError(
      'JOURNAL_INVALID',
      `journal: ${file} is not JSON, so not a journal apply wrote; pass the file apply --journal wrote`,
      { field: 'journal' },
    )
  }
  return parseJournal(value)
}

/** INPUT_INVALID (exit 2, nothing changed) unless a file can be written where `file` is to go. */
export function probeWritable(file: string, field: string) {
  const probe = temporaryName(file)
  try {
    closeSync(openSync(probe, 'wx', 0o600))
    unlinkSync(probe)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    throw new TeamsOAuthError(
      'INPUT_INVALID',
      `${field}: ${file} cannot be written (${code}); give a path in a folder that exists and that you can write to`,
      { field, issues: [{ field, problem: `cannot be written (${code})`, fix: 'a writable path' }] },
    )
  }
}

export const writeJournal = (file: string, journal: Journal) =>
  writeFileAtomic(file, `${JSON.stringify(journal, null, 2)}\n`)

/** Turns anything thrown into an exit code and a message (JSON on stdout with --json). */
export function fail(
  io: CliIO,
  json: boolean,
  error: unknown,
  options: Record<string, unknown> = {},
): number {
  const failure = toTeamsOAuthError(error)
  const code = inputErrorCodes.has(failure.code) ? exitCodes.usage : exitCodes.failed
  // the targets, when the run named both, so a failure too says what it was run against
  const named = typeof options.exchange === 'string' && typeof options.entra === 'string'
  const targets = named ? { targets: targetsUsed(options as Parameters<typeof targetsUsed>[0]) } : {}
  if (json) io.stdout(`${JSON.stringify({ ok: false, error: failure.toJSON(), ...targets }, null, 2)}\n`)
  io.stderr(`teams-oauth: ${failure.message}\n`)
  if (code === exitCodes.usage) io.stderr('Nothing was changed.\n')
  return code
}
