import { randomBytes } from 'node:crypto'
import { PowerShellError, type PowerShellFailure } from './errors'
import type { ShellProcess } from './shell-process'

/**
 * The Node half of the protocol (the PowerShell half is host-script.ts): one request is one line,
 * `<entry> '<base64 of UTF-8 JSON>'`, and its answer one line of stdout,
 * `<marker> <base64 of UTF-8 JSON envelope> <marker>`, with a marker fresh for each request.
 */

export type Envelope = { ok: true; value: unknown[] } | { ok: false; error: PowerShellFailure }

export type Entry = '__TeamsOAuthCall' | '. __TeamsOAuthSetup'

/** Sends one request and reads its envelope; a missing or unreadable answer stops the process. */
export async function request(
  target: ShellProcess,
  entry: Entry,
  body: Record<string, unknown>,
  timeoutMs: number,
): Promise<Envelope> {
  const marker = `TOA${randomBytes(12).toString('hex')}`
  const payload = Buffer.from(JSON.stringify({ ...body, marker }), 'utf8').toString('base64')
  // The only varying text: base64, which holds no quote character.
  const stdout = await target.exchange(`${entry} '${payload}'`, timeoutMs)
  return parseEnvelope(target, stdout, marker)
}

function parseEnvelope(target: ShellProcess, stdout: string, marker: string): Envelope {
  const start = stdout.indexOf(`${marker} `)
  const end = start < 0 ? -1 : stdout.indexOf(` ${marker}`, start + marker.length + 1)
  if (start < 0 || end < 0) {
    target.kill('no answer envelope')
    throw new PowerShellError(
      'POWERSHELL_PROTOCOL',
      'PowerShell printed no answer for the call; the process was stopped',
      { output: stdout.slice(0, 500) },
    )
  }
  const encoded = stdout.slice(start + marker.length + 1, end)
  try {
    return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Envelope
  } catch (cause) {
    target.kill('unreadable answer')
    throw new PowerShellError('POWERSHELL_PROTOCOL', 'PowerShell printed an unreadable answer', {}, { cause })
  }
}

/** The envelope's output, or its failure as POWERSHELL_COMMAND_FAILED. */
export function unwrap(envelope: Envelope, what: string): unknown[] {
  if (envelope.ok) return Array.isArray(envelope.value) ? envelope.value : []
  throw commandFailed(what, envelope.error)
}

export function commandFailed(
  what: string,
  failure: PowerShellFailure,
  extra: Record<string, unknown> = {},
): PowerShellError {
  return new PowerShellError('POWERSHELL_COMMAND_FAILED', `${what}: ${failure.message}`, {
    command: what,
    ...failure,
    ...extra,
  })
}
