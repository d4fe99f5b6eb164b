import { existsSync, readFileSync } from 'node:fs'
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
import { writeFileAtomic } from '../fake-state'
import { type CliIO, exitCodes, paint } from '../io'
import { parseTargetOptions, runbookInput, type TargetOptions } from '../options'
import { describeAction } from '../render'
import { type OpenTargets, openTargets } from '../targets'

export interface CommandContext {
  io: CliIO
  options: TargetOptions
}

/** Validates options and input before anything connects, so bad input changes nothing. */
export function prepare(io: CliIO, raw: Record<string, unknown>) {
  const options = parseTargetOptions(raw)
  if (!options.domain)
    throw new TeamsOAuthError(
      'INPUT_INVALID',
      'domain: is required; give a domain verified in your tenant (--domain contoso.com)',
      {
        issues: [{ field: 'domain', problem: 'is required', fix: '--domain contoso.com' }],
      },
    )
  const runbook = buildRunbook({ ...runbookInput(options), ...delegatePair(raw) })
  return { options, runbook, context: { io, options } as CommandContext }
}

/** --delegate and --delegator: the one delegate relationship a run also fixes (apply) or checks (plan, verify). */
function delegatePair(raw: Record<string, unknown>) {
  const { delegate, delegator } = raw as { delegate?: string; delegator?: string }
  if (delegate === undefined && delegator === undefined) return {}
  if (!delegate || !delegator)
    throw new TeamsOAuthError(
      'INPUT_INVALID',
      `${delegate ? 'delegator' : 'delegate'}: --delegate and --delegator go together (e.g. --delegate bob --delegator alice)`,
      {
        issues: [
          {
            field: delegate ? 'delegator' : 'delegate',
            problem: 'is required with the other',
            fix: '--delegate bob --delegator alice',
          },
        ],
      },
    )
  return { delegate: { delegate, delegator } }
}

export async function withTargets<T>(
  context: CommandContext,
  run: (open: OpenTargets) => Promise<T>,
): Promise<T> {
  const open = await openTargets(context.options, context.io)
  try {
    return await run(open)
  } finally {
    await open.close()
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
    else if (event.type === 'action-failed') io.stderr(c.red(`  ✗ ${event.title}: ${event.error.message}\n`))
    else if (event.type === 'undo')
      io.stderr(`  ↶ ${describeAction(event.action)}${event.skipped ? ` (${event.skipped})` : ''}\n`)
  }
}

export const defaultJournal = 'teams-oauth-journal.json'

export function readJournal(file: string): Journal {
  if (!existsSync(file)) return emptyJournal()
  try {
    return parseJournal(JSON.parse(readFileSync(file, 'utf8')))
  } catch (error) {
    if (error instanceof TeamsOAuthError) throw error
    throw new TeamsOAuthError(
      'JOURNAL_INVALID',
      `journal: ${file} is not JSON (${(error as Error).message})`,
      { field: 'journal' },
    )
  }
}

export const writeJournal = (file: string, journal: Journal) =>
  writeFileAtomic(file, `${JSON.stringify(journal, null, 2)}\n`)

/** Turns anything thrown into an exit code and a message (JSON on stdout with --json). */
export function fail(io: CliIO, json: boolean, error: unknown): number {
  const failure = toTeamsOAuthError(error)
  const code = inputErrorCodes.has(failure.code) ? exitCodes.usage : exitCodes.failed
  if (json) io.stdout(`${JSON.stringify({ ok: false, error: failure.toJSON() }, null, 2)}\n`)
  io.stderr(`teams-oauth: ${failure.message}\n`)
  if (code === exitCodes.usage) io.stderr('Nothing was changed.\n')
  return code
}
