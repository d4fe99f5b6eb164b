import { randomBytes } from 'node:crypto'
import { PowerShellError, type PowerShellFailure } from './errors'
import type { ShellProcess } from './shell-process'

/**
 * The Node half of the protocol (the PowerShell half is host-script.ts): one request is one line,
 * `<entry> '<base64 of UTF-8 JSON>'`, and its answer one line of stdout,
 * `<marker> <base64 of UTF-8 JSON envelope> <marker>`, with a marker fresh for each request.
 * Until serve() the lines are commands run by PowerShell's console loop; after it, by the host's
 * own loop, which runs each line's payload without parsing the line as code.
 */

export type Envelope = { ok: true; value: unknown[] } | { ok: false; error: PowerShellFailure }

export type Entry = '__TeamsOAuthCall' | '. __TeamsOAuthSetup'

const newMarker = () => `TOA${randomBytes(12).toString('hex')}`

/** Hands stdin to the host's loop; resolves once the loop is reading. */
export async function serve(target: ShellProcess, timeoutMs: number): Promise<void> {
  const marker = newMarker()
  // first a line that holds nothing, so neither the history (one line long) nor $$ (the last token
  // of the line before) keeps the setup's payload while the loop runs
  target.write('$null = $null')
  await target.send(`__TeamsOAuthServe '${marker}'`, marker, timeoutMs)
}

/** Sends one request and reads its envelope; a missing or unreadable answer stops the process. */
export async function request(
  target: ShellProcess,
  entry: Entry,
  body: Record<string, unknown>,
  timeoutMs: number,
): Promise<Envelope> {
  const marker = newMarker()
  const payload = Buffer.from(JSON.stringify({ ...body, marker }), 'utf8').toString('base64')
  // The only varying text: base64, which holds no quote character.
  const encoded = await target.send(`${entry} '${payload}'`, marker, timeoutMs)
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
