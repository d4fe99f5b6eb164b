import type { z } from 'zod'
import { TeamsOAuthError } from './errors'
import {
  authConfigObject,
  authServerObject,
  casMailboxObject,
  exchangeCertificateObject,
  exchangeServerObject,
  mailboxFolderObject,
  mailboxFolderPermissionObject,
  mailboxObject,
  mailUserObject,
  managementRoleEntryObject,
  managementRoleObject,
  organizationConfigObject,
  partnerApplicationObject,
  roleAssignmentObject,
} from './exchange-objects'
import type { CmdletObject } from './ports'

/** The schema of what each cmdlet teams-oauth reads returns; a cmdlet not named here is not checked. */
export const cmdletOutputSchemas: Readonly<Record<string, z.ZodType>> = {
  'Get-MailUser': mailUserObject,
  'New-MailUser': mailUserObject,
  'Get-ManagementRole': managementRoleObject,
  'New-ManagementRole': managementRoleObject,
  'Get-ManagementRoleEntry': managementRoleEntryObject,
  'Get-ManagementRoleAssignment': roleAssignmentObject,
  'New-ManagementRoleAssignment': roleAssignmentObject,
  'Get-PartnerApplication': partnerApplicationObject,
  'New-PartnerApplication': partnerApplicationObject,
  'Get-AuthConfig': authConfigObject,
  'Get-ExchangeCertificate': exchangeCertificateObject,
  'Get-AuthServer': authServerObject,
  'Get-ExchangeServer': exchangeServerObject,
  'Get-Mailbox': mailboxObject,
  'Get-MailboxFolderStatistics': mailboxFolderObject,
  'Get-MailboxFolderPermission': mailboxFolderPermissionObject,
  'Get-OrganizationConfig': organizationConfigObject,
  'Get-CASMailbox': casMailboxObject,
}

const kindOf = (value: unknown): string =>
  value === undefined
    ? 'missing'
    : value === null
      ? 'null'
      : Array.isArray(value)
        ? 'an array'
        : typeof value === 'object'
          ? 'an object'
          : `the ${typeof value} ${JSON.stringify(value).slice(0, 60)}`

const valueAt = (value: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (current, key) =>
      current !== null && typeof current === 'object'
        ? (current as Record<PropertyKey, unknown>)[key]
        : undefined,
    value,
  )

/**
 * Parses one object of a cmdlet's output with its schema. Output that does not parse is
 * EXCHANGE_OUTPUT_INVALID naming the cmdlet and the property, never a raw ZodError: it means the
 * Exchange port handed over a shape core does not read (an enum as its number, an object for a string).
 */
export function parseCmdletOutput<S extends z.ZodType>(
  cmdlet: string,
  schema: S,
  value: unknown,
): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((issue) => {
    const property = issue.path.map(String).join('.') || '(the object)'
    return {
      field: `${cmdlet}.${property}`,
      problem: `${property} is ${kindOf(valueAt(value, issue.path))}: ${issue.message}`,
      fix: `the Exchange port must return ${cmdlet}'s ${property} in the plain form core reads (enum names, identities and versions as strings, dates as ISO 8601 UTC)`,
    }
  })
  const first = issues[0]!
  const property = first.field.slice(cmdlet.length + 1)
  throw new TeamsOAuthError(
    'EXCHANGE_OUTPUT_INVALID',
    `${cmdlet} returned output teams-oauth cannot read: ${first.problem}`,
    { cmdlet, property, issues },
    { cause: parsed.error },
  )
}

/** Checks every object a read returned against its cmdlet's schema (see cmdletOutputSchemas). */
export function checkCmdletOutput(cmdlet: string, objects: CmdletObject[]): CmdletObject[] {
  const schema = cmdletOutputSchemas[cmdlet]
  if (schema) for (const object of objects) parseCmdletOutput(cmdlet, schema, object)
  return objects
}
