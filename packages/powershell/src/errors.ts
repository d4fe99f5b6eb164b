import {
  type ErrorCode,
  isTeamsOAuthError,
  type PowerShellFailureData,
  TeamsOAuthError,
} from '@teams-oauth/core'

export type PowerShellErrorCode = Extract<ErrorCode, `POWERSHELL_${string}`> | 'INPUT_INVALID'

/** What PowerShell said about a command that failed: its ErrorRecord, without the stack noise (core's type, less the command). */
export type PowerShellFailure = Omit<PowerShellFailureData, 'command'>

/**
 * The one error type of @teams-oauth/powershell. POWERSHELL_COMMAND_FAILED carries the
 * PowerShellFailure in `data` (plus `command`); the others mean the process itself failed.
 */
export class PowerShellError extends TeamsOAuthError {
  declare readonly code: PowerShellErrorCode

  constructor(
    code: PowerShellErrorCode,
    message: string,
    data: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, data, options)
  }
}

/**
 * A PowerShellError of this copy of the package, or one whose code says it came from a session of
 * another copy (the ESM and CommonJS builds each have their own class; the code is the trait).
 */
export const isPowerShellError = (value: unknown): value is PowerShellError =>
  value instanceof PowerShellError || (isTeamsOAuthError(value) && value.code.startsWith('POWERSHELL_'))
