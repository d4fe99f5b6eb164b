import { z } from 'zod'
import { checkCmdletOutput } from './cmdlet-output'
import { isTeamsOAuthError, TeamsOAuthError } from './errors'

/**
 * A value passed to or returned by a cmdlet, as JSON. Byte arrays travel as `{ "$bytes": "<base64>" }`
 * on the way in and come back as base64 strings; dates come back as ISO 8601 strings in UTC;
 * enums as their names; switches are booleans.
 */
export type CmdletValue =
  | string
  | number
  | boolean
  | null
  | { $bytes: string }
  | CmdletValue[]
  | { [key: string]: CmdletValue }

export const cmdletValueSchema: z.ZodType<CmdletValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.object({ $bytes: z.string() }).strict(),
    z.array(cmdletValueSchema),
    z.record(z.string(), cmdletValueSchema),
  ]),
)

export const cmdletNamePattern = /^[A-Z][A-Za-z]+-[A-Z][A-Za-z0-9]+$/
export const parameterNamePattern = /^[A-Za-z][A-Za-z0-9]*$/

export const cmdletCallSchema = z.object({
  cmdlet: z.string().regex(cmdletNamePattern, 'a cmdlet name such as Get-MailUser'),
  params: z.record(
    z.string().regex(parameterNamePattern, 'a parameter name such as Identity'),
    cmdletValueSchema,
  ),
})
export type CmdletCall = z.infer<typeof cmdletCallSchema>

/** One object of a cmdlet's output, with only plain JSON values (see CmdletValue). */
export type CmdletObject = Record<string, unknown>

/** How a read is made: only these properties of each object come back (Select-Object on the far side). */
export interface ReadOptions {
  select?: string[]
}

/**
 * Exchange, as the engine sees it. Implemented in process by the fakes and over one PowerShell
 * session by @teams-oauth/exchange. Errors are thrown as TeamsOAuthError with code
 * EXCHANGE_CMDLET_FAILED and data `ExchangeErrorData`.
 */
export interface ExchangePort {
  /** Runs one cmdlet and resolves to its pipeline output (always an array; empty when none). */
  invoke(call: CmdletCall, options?: ReadOptions): Promise<CmdletObject[]>
  /**
   * Runs one read and yields its output as it comes, so a list of 100,000 mailboxes is never held
   * whole. Optional: where absent, callers fall back to invoke.
   */
  stream?(call: CmdletCall, options?: ReadOptions): AsyncIterable<CmdletObject>
  /** The DER bytes of the certificate with this thumbprint on an Exchange server; null when absent. */
  exportCertificate(thumbprint: string): Promise<Uint8Array | null>
  /** Whether a cmdlet has a parameter here (feature detection, e.g. New-MailUser -ApplicationAccount). */
  hasParameter(cmdlet: string, parameter: string): Promise<boolean>
  /** Ends the session, if any. */
  close?(): Promise<void>
}

export const exchangeErrorDataSchema = z.object({
  cmdlet: z.string(),
  /** Exchange's own words. */
  message: z.string(),
  /** PowerShell's ErrorCategory name, e.g. NotSpecified, ObjectNotFound, InvalidArgument. */
  category: z.string(),
  /** The exception's type name, e.g. ManagementObjectNotFoundException. */
  reason: z.string(),
  fullyQualifiedErrorId: z.string(),
  target: z.string().nullable().optional(),
})
export type ExchangeErrorData = z.infer<typeof exchangeErrorDataSchema>

/** The error an Exchange port throws when a cmdlet fails: the same shape from every implementation. */
export function exchangeCmdletError(data: ExchangeErrorData): TeamsOAuthError {
  return new TeamsOAuthError('EXCHANGE_CMDLET_FAILED', `${data.cmdlet}: ${data.message}`, data)
}

/**
 * True for Exchange's "couldn't be found" errors (ManagementObjectNotFoundException and kin). A cmdlet
 * this session does not have (CommandNotFoundException, also ObjectNotFound) is not an absent object.
 */
export function isExchangeNotFound(error: unknown): boolean {
  if (!isTeamsOAuthError(error, 'EXCHANGE_CMDLET_FAILED')) return false
  const { data } = error
  const kind = `${data.reason} ${data.fullyQualifiedErrorId}`
  if (/CommandNotFound/.test(kind)) return false
  return data.category === 'ObjectNotFound' || /ManagementObjectNotFoundException|ObjectNotFound/.test(kind)
}

/**
 * Exchange's throttling answer (the admin's throttling policy budget spent, WinRM's user load quota):
 * how long it asks to wait, or null when the error is not throttling.
 */
export function exchangeThrottling(error: unknown): { retryAfterMs: number } | null {
  if (!isTeamsOAuthError(error, 'EXCHANGE_CMDLET_FAILED')) return null
  const text = `${error.data.message} ${error.data.reason}`
  if (
    !/user load quota|OverBudget|throttl|exceeded the maximum number of (?:cmdlets|connections)/i.test(text)
  )
    return null
  const wait = /at least (\d+) milliseconds/i.exec(text)
  return { retryAfterMs: wait ? Number(wait[1]) : 1000 }
}

/**
 * Runs a read; Exchange's "couldn't be found" becomes an empty list, any other failure is thrown.
 * What it returns parses with its cmdlet's schema, or the read fails with EXCHANGE_OUTPUT_INVALID.
 */
export async function readFound(exchange: ExchangePort, call: CmdletCall): Promise<CmdletObject[]> {
  let objects: CmdletObject[]
  try {
    objects = await exchange.invoke(call)
  } catch (error) {
    if (isExchangeNotFound(error)) return []
    throw error
  }
  return checkCmdletOutput(call.cmdlet, objects)
}

/** A key credential as Graph returns it. `key` is base64 of the DER bytes, or null on list reads. */
export const keyCredentialSchema = z.object({
  keyId: z.string(),
  type: z.string(),
  usage: z.string(),
  key: z.string().nullable(),
  displayName: z.string().nullable().optional(),
  customKeyIdentifier: z.string().nullable().optional(),
  startDateTime: z.string().nullable().optional(),
  endDateTime: z.string().nullable().optional(),
})
export type KeyCredential = z.infer<typeof keyCredentialSchema>

/** A key credential as written: the new one has no keyId yet; kept ones are sent back whole. */
export const keyCredentialWriteSchema = keyCredentialSchema.extend({
  keyId: z.string().optional(),
  key: z.string(),
})
export type KeyCredentialWrite = z.infer<typeof keyCredentialWriteSchema>

export const servicePrincipalSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: z.string(),
  keyCredentials: z.array(keyCredentialSchema),
})
export type ServicePrincipal = z.infer<typeof servicePrincipalSchema>

/**
 * Entra, as the engine sees it. `getServicePrincipal` reads ONE object with its key values
 * (Graph: GET servicePrincipals(appId='…')?$select=…); `setKeyCredentials` replaces the whole
 * collection, as Graph's PATCH does.
 *
 * Where each key-safety rule lives, once:
 * - Refusing a key without its value is the port's: every implementation calls core's
 *   `assertKeyValues` before it sends anything (KEY_VALUE_MISSING, nothing changed), so no caller
 *   can destroy a key by sending it without its bytes. The engine does not check again.
 * - Confirming a write is the engine's: `executeEntraAction` reads again right before the write,
 *   and after it, and compares (KEY_WRITE_UNVERIFIED). An implementation resolves only a lost answer
 *   of its own (a dropped connection: read, then send again or not); it does not confirm.
 * - A refusal of the form kept keys were sent in (Graph's 400 naming a key property, e.g.
 *   KeyNotUpdatable) is KEY_FORM_REFUSED, so the engine can send them once more in the minimal form.
 */
export interface EntraPort {
  getServicePrincipal(appId: string): Promise<ServicePrincipal | null>
  /**
   * The tenant's id (Graph: the token's tid claim, else GET /organization); null when this path
   * cannot tell. A journal is bound to it.
   */
  tenantId?(): Promise<string | null>
  setKeyCredentials(servicePrincipalId: string, keys: KeyCredentialWrite[]): Promise<void>
  close?(): Promise<void>
}

/** The systems a run touches. */
export interface Targets {
  exchange: ExchangePort
  entra: EntraPort
}
