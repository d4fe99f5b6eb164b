import { type ErrorCode, TeamsOAuthError } from '@teams-oauth/core'

export type PowerShellErrorCode = Extract<ErrorCode, `POWERSHELL_${string}`> | 'INPUT_INVALID'

/** What PowerShell said about a command that failed: its ErrorRecord, without the stack noise. */
export interface PowerShellFailure {
  message: string
  /** ErrorCategory name, e.g. ObjectNotFound, InvalidArgument. */
  category: string
  /** The exception's type name, e.g. ManagementObjectNotFoundException. */
  reason: string
  fullyQualifiedErrorId: string
  target: string | null
}

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

export const isPowerShellError = (value: unknown): value is PowerShellError =>
  value instanceof PowerShellError
