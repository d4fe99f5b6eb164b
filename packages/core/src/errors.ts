import type { ErrorData, TeamsOAuthErrorData } from './error-data'

export type {
  CommonErrorData,
  ErrorData,
  GraphRequestData,
  InputIssue,
  PowerShellFailureData,
  TeamsOAuthErrorData,
} from './error-data'

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

/** How the data argument is passed: optional when the code's data has no required field. */
type DataArguments<C extends ErrorCode> =
  Record<never, never> extends TeamsOAuthErrorData[C]
    ? [data?: ErrorData<C>, options?: { cause?: unknown }]
    : [data: ErrorData<C>, options?: { cause?: unknown }]

export class TeamsOAuthError<C extends ErrorCode = ErrorCode> extends Error {
  /**
   * By trait for TeamsOAuthError itself (any copy of the library); a subclass keeps the ordinary
   * prototype check, so `instanceof PowerShellError` is not true of every TeamsOAuthError.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof asks about, maybe a subclass
    if (this !== TeamsOAuthError) return Function.prototype[Symbol.hasInstance].call(this, value)
    return typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true
  }

  override name = 'TeamsOAuthError'
  readonly [brand] = true
  readonly code: C
  readonly data: ErrorData<C>

  constructor(code: C, message: string, ...[data, options]: DataArguments<C>) {
    super(message, options)
    this.code = code
    this.data = data ?? ({} as ErrorData<C>)
  }

  toJSON(): { code: C; message: string; data: ErrorData<C> } {
    return { code: this.code, message: this.message, data: this.data }
  }
}

/** A TeamsOAuthError of one of the codes C, as a union by code: checking `code` narrows `data`. */
export type TeamsOAuthErrorOf<C extends ErrorCode = ErrorCode> = { [K in C]: TeamsOAuthError<K> }[C]

/**
 * Whether a value is a TeamsOAuthError (from any copy of the library), optionally of one code or
 * one of several. The one check callers use: it narrows `code`, and with it `data`.
 */
export function isTeamsOAuthError(value: unknown): value is TeamsOAuthErrorOf
export function isTeamsOAuthError<C extends ErrorCode>(
  value: unknown,
  code: C | readonly C[],
): value is TeamsOAuthErrorOf<C>
export function isTeamsOAuthError(value: unknown, code?: ErrorCode | readonly ErrorCode[]): boolean {
  if (!(value instanceof TeamsOAuthError)) return false
  if (code === undefined) return true
  return typeof code === 'string' ? value.code === code : code.includes(value.code)
}

/** Turns anything thrown into a TeamsOAuthError, keeping the original as `cause`. */
export function toTeamsOAuthError(value: unknown, fallback: ErrorCode = 'STEP_FAILED'): TeamsOAuthErrorOf {
  if (isTeamsOAuthError(value)) return value
  const message = value instanceof Error ? value.message : String(value)
  return new TeamsOAuthError(fallback, message, {}, { cause: value }) as TeamsOAuthErrorOf
}
