import { z } from 'zod'

/**
 * The whole model as JSON: an Exchange organisation and an Entra tenant. `tenant.state()` returns it,
 * `createFakeTenant({ state })` restores it. Dates are ISO 8601 strings, bytes base64.
 */

export const ewsPolicySchema = z.object({
  ewsApplicationAccessPolicy: z.enum(['EnforceAllowList', 'EnforceBlockList']).nullable(),
  ewsAllowList: z.array(z.string()).nullable(),
  ewsBlockList: z.array(z.string()).nullable(),
  ewsEnabled: z.boolean().nullable(),
})
export type EwsPolicyState = z.infer<typeof ewsPolicySchema>

export const storedCertificateSchema = z.object({
  thumbprint: z.string(),
  /** base64 of the DER bytes */
  der: z.string(),
  friendlyName: z.string(),
  services: z.string(),
})
export type StoredCertificateState = z.infer<typeof storedCertificateSchema>

export const exchangeServerSchema = z.object({
  name: z.string(),
  fqdn: z.string(),
  adminDisplayVersion: z.string(),
  serverRole: z.string(),
  /** Cert:\LocalMachine\My on that server. */
  certificates: z.array(storedCertificateSchema),
})
export type ExchangeServerState = z.infer<typeof exchangeServerSchema>

export const mailUserSchema = z.object({
  name: z.string(),
  alias: z.string(),
  displayName: z.string(),
  /** With Exchange's prefix: "SMTP:x@contoso.com". */
  externalEmailAddress: z.string(),
  hiddenFromAddressListsEnabled: z.boolean(),
  applicationAccount: z.boolean(),
  guid: z.string(),
})
export type MailUserState = z.infer<typeof mailUserSchema>

export const folderPermissionSchema = z.object({
  /** "Default", "Anonymous" or a mailbox's alias. */
  user: z.string(),
  accessRights: z.array(z.string()),
  sharingPermissionFlags: z.string().nullable(),
})
export type FolderPermissionState = z.infer<typeof folderPermissionSchema>

export const mailboxSchema = z.object({
  name: z.string(),
  alias: z.string(),
  displayName: z.string(),
  primarySmtpAddress: z.string(),
  userPrincipalName: z.string(),
  serverName: z.string(),
  guid: z.string(),
  /** The mailbox's language decides the folder names: en-US, de-DE, fr-FR, ja-JP. */
  language: z.string(),
  calendar: z.object({ name: z.string(), permissions: z.array(folderPermissionSchema) }),
  cas: ewsPolicySchema,
  /** The aliases of the mailboxes that may send on behalf of this one (Outlook's Delegate Access sets it). */
  grantSendOnBehalfTo: z.array(z.string()).default([]),
})
export type MailboxState = z.infer<typeof mailboxSchema>

export const roleEntrySchema = z.object({
  name: z.string(),
  type: z.string(),
  parameters: z.array(z.string()),
})
export type RoleEntryState = z.infer<typeof roleEntrySchema>

export const managementRoleSchema = z.object({
  name: z.string(),
  /** null for a top-level (built-in) role. */
  parent: z.string().nullable(),
  roleType: z.string(),
  builtIn: z.boolean(),
  description: z.string(),
  entries: z.array(roleEntrySchema),
  guid: z.string(),
})
export type ManagementRoleState = z.infer<typeof managementRoleSchema>

export const roleAssignmentSchema = z.object({
  name: z.string(),
  role: z.string(),
  /** The user's name, or the role group's when roleAssigneeType is RoleGroup. */
  roleAssignee: z.string(),
  /** "User" or "RoleGroup". */
  roleAssigneeType: z.string(),
  enabled: z.boolean(),
  guid: z.string(),
})
export type RoleAssignmentState = z.infer<typeof roleAssignmentSchema>

/** A management role group: its members hold every role assigned to it. */
export const roleGroupSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** The Guids of the member recipients. */
  members: z.array(z.string()),
  guid: z.string(),
})
export type RoleGroupState = z.infer<typeof roleGroupSchema>

export const partnerApplicationSchema = z.object({
  name: z.string(),
  applicationIdentifier: z.string(),
  enabled: z.boolean(),
  /** The linked user's name, or null. */
  linkedAccount: z.string().nullable(),
  realm: z.string().nullable(),
  useAuthServer: z.boolean(),
  authMetadataUrl: z.string().nullable(),
  accountType: z.string(),
  guid: z.string(),
})
export type PartnerApplicationState = z.infer<typeof partnerApplicationSchema>

export const authConfigSchema = z.object({
  currentCertificateThumbprint: z.string().nullable(),
  previousCertificateThumbprint: z.string().nullable(),
  nextCertificateThumbprint: z.string().nullable(),
  nextCertificateEffectiveDate: z.string().nullable(),
  serviceName: z.string(),
  realm: z.string().nullable(),
})
export type AuthConfigState = z.infer<typeof authConfigSchema>

export const authServerSchema = z.object({
  name: z.string(),
  type: z.string(),
  enabled: z.boolean(),
  issuerIdentifier: z.string().nullable(),
  authMetadataUrl: z.string().nullable(),
  realm: z.string().nullable(),
})
export type AuthServerState = z.infer<typeof authServerSchema>

export const exchangeStateSchema = z.object({
  /** guid: Get-OrganizationConfig's Guid, what a journal is bound to. */
  organization: z.object({ name: z.string(), guid: z.string(), domain: z.string(), ews: ewsPolicySchema }),
  domainControllers: z.array(z.string()),
  /** Whether this build's New-MailUser has -ApplicationAccount (recent builds only). */
  supportsApplicationAccount: z.boolean(),
  servers: z.array(exchangeServerSchema),
  mailUsers: z.array(mailUserSchema),
  mailboxes: z.array(mailboxSchema),
  roles: z.array(managementRoleSchema),
  roleAssignments: z.array(roleAssignmentSchema),
  roleGroups: z.array(roleGroupSchema).default([]),
  partnerApplications: z.array(partnerApplicationSchema),
  authConfig: authConfigSchema,
  authServers: z.array(authServerSchema),
})
export type ExchangeState = z.infer<typeof exchangeStateSchema>

export const storedKeyCredentialSchema = z.object({
  keyId: z.string(),
  type: z.string(),
  usage: z.string(),
  /** base64 of the DER bytes */
  key: z.string(),
  displayName: z.string().nullable(),
  customKeyIdentifier: z.string().nullable(),
  startDateTime: z.string(),
  endDateTime: z.string(),
})
export type StoredKeyCredential = z.infer<typeof storedKeyCredentialSchema>

export const servicePrincipalStateSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: z.string(),
  keyCredentials: z.array(storedKeyCredentialSchema),
})
export type ServicePrincipalState = z.infer<typeof servicePrincipalStateSchema>

export const entraStateSchema = z.object({
  tenantId: z.string(),
  servicePrincipals: z.array(servicePrincipalStateSchema),
  /**
   * Graph as CSS-Exchange describes it: a kept key (a keyId or the bytes of a key the service
   * principal has) is taken only in the minimal form {type, usage, key, displayName}; anything more
   * is refused with a 400. Off, a kept key may come back whole, byte for byte as stored.
   */
  strictKeyCredentials: z.boolean().optional(),
})
export type EntraState = z.infer<typeof entraStateSchema>

export const fakeStateSchema = z.object({
  version: z.literal(1),
  exchange: exchangeStateSchema,
  entra: entraStateSchema,
})
export type FakeState = z.infer<typeof fakeStateSchema>

/** A deep copy through JSON: what goes in is exactly what a file round-trip gives back. */
export function cloneState<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}
