import type { Plan } from './engine'
import type { ErrorCode } from './errors'
import type { JournalOrganisation } from './journal'
import type { ExchangeErrorData } from './ports'

/** One problem with what was given (input, a CLI option, a file, a cmdlet's output): the field, what is wrong, the fix. */
export interface InputIssue {
  field: string
  problem: string
  fix: string
}

/** What any error may carry whatever its code: the step it happened in (apply and rollback add it). */
export interface CommonErrorData {
  step?: string
}

/** A request to Microsoft Graph and what came back, as every Graph error names them. */
export interface GraphRequestData {
  method?: string
  url?: string
  /** null when no answer came (the connection dropped). */
  status?: number | null
  attempts?: number
  graphCode?: string | null
  graphMessage?: string | null
  requestId?: string | null
  servicePrincipalId?: string
  /** The expired keys among those kept, when Graph refused a write that kept them. */
  expiredKeyIds?: string[]
}

/** PowerShell's ErrorRecord of a command that failed, without the stack noise. */
export interface PowerShellFailureData {
  /** What was run: the command's name, or a script's label. */
  command: string
  message: string
  /** ErrorCategory name, e.g. ObjectNotFound, InvalidArgument. */
  category: string
  /** The exception's type name, e.g. ManagementObjectNotFoundException. */
  reason: string
  fullyQualifiedErrorId: string
  target: string | null
}

/**
 * What `data` holds for each code. Checking `error.code` narrows `error.data` to its entry (see
 * `isTeamsOAuthError`). A field an adapter adds beyond these is allowed and reads as `unknown`.
 */
export interface TeamsOAuthErrorData {
  /** `issues` of a CLI option may lack their `fix` (see InputIssue). */
  INPUT_INVALID: { field?: string; value?: unknown; issues?: (Omit<InputIssue, 'fix'> & { fix?: string })[] }
  CERTIFICATE_INVALID: { field: 'certificate'; thumbprint?: string; notBefore?: string; notAfter?: string }
  /** `blocked`: the steps that need a person first; `cmdlet`: a write outside the allow-list. */
  PLAN_BLOCKED: { blocked?: Plan['blocked']; cmdlet?: string }
  /** Exchange's own error, the same shape from every ExchangePort. */
  EXCHANGE_CMDLET_FAILED: ExchangeErrorData
  EXCHANGE_OUTPUT_INVALID: { cmdlet: string; property: string; issues: InputIssue[] }
  /** `powershell`: the data of the PowerShell error that stopped the connection. */
  EXCHANGE_UNAVAILABLE: { connection: string; powershell?: ErrorData }
  ENTRA_PATH_UNAVAILABLE: { executable?: string; reason?: string }
  SERVICE_PRINCIPAL_NOT_FOUND: {
    appId?: string
    servicePrincipalId?: string
    /** The Graph request that creates it. */
    create?: { method: 'POST'; url: string; body: { appId: string } }
  }
  KEY_VALUE_MISSING: {
    /** The position of the key without a value in the collection sent. */
    index: number
    keyId: string | null
    customKeyIdentifier: string | null
    displayName?: string | null
  }
  KEY_WRITE_UNVERIFIED: {
    appId: string
    missingKeyIds: string[]
    missing: { keyId: string; key: string | null; displayName: string | null }[]
    certificateCopies: number
  }
  /** `property`: the key property Graph named (e.g. the keyId of a key it will not take back). */
  KEY_FORM_REFUSED: GraphRequestData & { property?: string; keyId?: string | null }
  KEY_CONCURRENT_CHANGE: { appId: string; rereads: number }
  GRAPH_REQUEST_FAILED: GraphRequestData & { reason?: string; issues?: string[] }
  GRAPH_THROTTLED: GraphRequestData & { retryAfterMs?: number | null }
  /** `reason`: why no token could be had. */
  GRAPH_UNAUTHORIZED: GraphRequestData & { reason?: string }
  GRAPH_FORBIDDEN: GraphRequestData
  GRAPH_REDIRECTED: { method: string; url: string; status: number; locationHost: string | null }
  /** `lostAnswer`: the call was sent and its answer lost (the write may have landed). */
  POWERSHELL_TIMEOUT: { timeoutMs?: number; cmdlet?: string; lostAnswer?: boolean; kill?: boolean }
  POWERSHELL_CRASHED: { pid?: number | null }
  POWERSHELL_UNAVAILABLE: { executable?: string }
  POWERSHELL_PROTOCOL: { output?: string }
  POWERSHELL_COMMAND_FAILED: PowerShellFailureData
  /** `journal` and `targets`: the two organisations, when a journal is another's. */
  JOURNAL_INVALID: {
    field: 'journal'
    seq?: number
    version?: unknown
    journal?: JournalOrganisation | null
    targets?: JournalOrganisation
  }
  FAULT_INJECTED: { cmdlet?: string; servicePrincipalId?: string }
  STEP_FAILED: Record<never, never>
}

/** The data of an error of code C: its code's fields, the common ones, and whatever else an adapter adds. */
export type ErrorData<C extends ErrorCode = ErrorCode> = TeamsOAuthErrorData[C] &
  CommonErrorData &
  Record<string, unknown>
