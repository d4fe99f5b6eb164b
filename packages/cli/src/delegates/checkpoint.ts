import {
  appendFileSync,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  truncateSync,
  writeSync,
} from 'node:fs'
import { type DelegateFinding, delegateFindingSchema, TeamsOAuthError } from '@teams-oauth/core'

/**
 * The audit's checkpoint: a JSON-lines file, a header, then one line per mailbox done with its
 * findings. Appended as each mailbox is done, so a run killed at any moment loses at most the
 * mailboxes under way; a torn last line (killed mid-write) is dropped on resume.
 */
interface Header {
  format: 'teams-oauth-delegates-checkpoint'
  version: 1
  scope: string
  exchange: string
}

export interface Checkpoint {
  /** Mailboxes already done, by alias. */
  done: Set<string>
  /** Findings of those mailboxes, in the order they were recorded, read from the file (not held). */
  replay(): Generator<DelegateFinding>
  record(alias: string, findings: DelegateFinding[]): void
  file: string
}

const problem = (file: string, what: string) =>
  new TeamsOAuthError(
    'INPUT_INVALID',
    `checkpoint: ${file} ${what}; give a new file name, or the file an interrupted run of the same audit wrote`,
    { issues: [{ field: 'checkpoint', problem: what, fix: '--checkpoint <a new file>' }] },
  )

export function openCheckpoint(file: string, scope: string, exchange: string): Checkpoint {
  const header: Header = { format: 'teams-oauth-delegates-checkpoint', version: 1, scope, exchange }
  const done = new Set<string>()
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8')
    const lines = text.split('\n')
    let first: Partial<Header> | null = null
    try {
      first = JSON.parse(lines[0] ?? '') as Partial<Header>
    } catch {
      throw problem(file, 'is not a teams-oauth delegates checkpoint')
    }
    if (first?.format !== header.format) throw problem(file, 'is not a teams-oauth delegates checkpoint')
    if (first.scope !== scope || first.exchange !== exchange)
      throw problem(file, `belongs to another audit (scope ${first.scope}, exchange ${first.exchange})`)
    let good = lines[0]!.length + 1
    for (const line of lines.slice(1)) {
      if (line === '') break
      try {
        const entry = JSON.parse(line) as { alias: string }
        done.add(entry.alias)
        good += line.length + 1
      } catch {
        break // the torn last line of a run killed while writing it: that mailbox is audited again
      }
    }
    if (Buffer.byteLength(text.slice(0, good)) < Buffer.byteLength(text))
      truncateSync(file, Buffer.byteLength(text.slice(0, good)))
  } else {
    appendFileSync(file, `${JSON.stringify(header)}\n`)
  }
  return {
    file,
    done,
    *replay() {
      const lines = readFileSync(file, 'utf8').split('\n').slice(1)
      for (const line of lines) {
        if (line === '') continue
        const entry = JSON.parse(line) as { findings: unknown[] }
        for (const finding of entry.findings) yield delegateFindingSchema.parse(finding)
      }
    },
    record(alias, findings) {
      // one write per mailbox: a line is on disk whole or (killed mid-write) torn, never interleaved
      const fd = openSync(file, 'a')
      try {
        writeSync(fd, `${JSON.stringify({ alias, findings })}\n`)
      } finally {
        closeSync(fd)
      }
    },
  }
}
