/**
 * The one error type of teams-oauth. `code` is what a caller switches on; `data` carries what a
 * caller needs to act (the field, the cmdlet, Exchange's own words…), never a secret.
 */
export type ErrorCode =
  | 'INPUT_INVALID'
  | 'CERTIFICATE_INVALID'
  | 'PLAN_BLOCKED'
  | 'EXCHANGE_CMDLET_FAILED'
  | 'EXCHANGE_OUTPUT_INVALID'
  | 'EXCHANGE_UNAVAILABLE'
  | 'ENTRA_PATH_UNAVAILABLE'
  | 'SERVICE_PRINCIPAL_NOT_FOUND'
  | 'KEY_VALUE_MISSING'
  | 'KEY_WRITE_UNVERIFIED'
  /** Graph refused the form kept keys were sent in (a 400 naming a key property); nothing was written. */
  | 'KEY_FORM_REFUSED'
  /** The keys kept changing between reads (another administrator writing); nothing was written. */
  | 'KEY_CONCURRENT_CHANGE'
  | 'GRAPH_REQUEST_FAILED'
  | 'GRAPH_THROTTLED'
  | 'GRAPH_UNAUTHORIZED'
  | 'GRAPH_FORBIDDEN'
  /** Graph answered a redirect, which is never followed; nothing was written. */
  | 'GRAPH_REDIRECTED'
  | 'POWERSHELL_TIMEOUT'
  | 'POWERSHELL_CRASHED'
  | 'POWERSHELL_UNAVAILABLE'
  | 'POWERSHELL_PROTOCOL'
  | 'POWERSHELL_COMMAND_FAILED'
  | 'JOURNAL_INVALID'
  | 'FAULT_INJECTED'
  | 'STEP_FAILED'

/** Codes that mean "bad input or usage, nothing changed" (CLI exit code 2). */
export const inputErrorCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'INPUT_INVALID',
  'CERTIFICATE_INVALID',
  'ENTRA_PATH_UNAVAILABLE',
  'JOURNAL_INVALID',
])

/** Marks our errors by trait, so `instanceof` holds across copies of the library (its ESM and CJS builds). */
const brand = Symbol.for('teams-oauth.error')

export class TeamsOAuthError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true
  }

  override name = 'TeamsOAuthError'
  readonly [brand] = true
  readonly code: ErrorCode
  readonly data: Record<string, unknown>

  constructor(
    code: ErrorCode,
    message: string,
    data: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.code = code
    this.data = data
  }

  toJSON(): { code: ErrorCode; message: string; data: Record<string, unknown> } {
    return { code: this.code, message: this.message, data: this.data }
  }
}

export const isTeamsOAuthError = (value: unknown): value is TeamsOAuthError =>
  value instanceof TeamsOAuthError

/** Turns anything thrown into a TeamsOAuthError, keeping the original as `cause`. */
export function toTeamsOAuthError(value: unknown, fallback: ErrorCode = 'STEP_FAILED'): TeamsOAuthError {
  if (isTeamsOAuthError(value)) return value
  const message = value instanceof Error ? value.message : String(value)
  return new TeamsOAuthError(fallback, message, {}, { cause: value })
}
