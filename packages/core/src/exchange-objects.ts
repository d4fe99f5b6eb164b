import { z } from 'zod'

/**
 * The properties teams-oauth reads from each Exchange cmdlet's output, named as Exchange names
 * them. Every ExchangePort implementation returns objects that parse with these (extra
 * properties are allowed). Identities are strings (an ADObjectId's ToString()), dates ISO 8601
 * UTC strings, enums their names, multi-valued properties arrays of strings.
 */

/** Get-MailUser / New-MailUser. ExternalEmailAddress keeps Exchange's prefix: "SMTP:x@contoso.com". */
export const mailUserObject = z.looseObject({
  Name: z.string(),
  Identity: z.string(),
  Alias: z.string(),
  ExternalEmailAddress: z.string(),
  HiddenFromAddressListsEnabled: z.boolean(),
  RecipientTypeDetails: z.string(),
  Guid: z.string(),
})
export type MailUserObject = z.infer<typeof mailUserObject>

/** Get-ManagementRole / New-ManagementRole. Parent is the parent role's name ('' for a top-level role). */
export const managementRoleObject = z.looseObject({
  Name: z.string(),
  Identity: z.string(),
  Parent: z.string().nullable(),
  RoleType: z.string(),
  IsRootRole: z.boolean(),
})
export type ManagementRoleObject = z.infer<typeof managementRoleObject>

/** Get-ManagementRoleEntry 'Role\*'. Identity is "Role\Name"; Role is the role's name. */
export const managementRoleEntryObject = z.looseObject({
  Name: z.string(),
  Role: z.string(),
  Identity: z.string(),
  Parameters: z.array(z.string()),
})
export type ManagementRoleEntryObject = z.infer<typeof managementRoleEntryObject>

/** Get-ManagementRoleAssignment / New-ManagementRoleAssignment. */
export const roleAssignmentObject = z.looseObject({
  Name: z.string(),
  Role: z.string(),
  RoleAssigneeName: z.string(),
  RoleAssigneeType: z.string(),
  Enabled: z.boolean(),
})
export type RoleAssignmentObject = z.infer<typeof roleAssignmentObject>

/** Get-PartnerApplication / New-PartnerApplication. LinkedAccount is the account's identity string or null. */
export const partnerApplicationObject = z.looseObject({
  Name: z.string(),
  ApplicationIdentifier: z.string(),
  Enabled: z.boolean(),
  LinkedAccount: z.string().nullable(),
  Realm: z.string().nullable(),
  UseAuthServer: z.boolean(),
})
export type PartnerApplicationObject = z.infer<typeof partnerApplicationObject>

/** Get-AuthConfig. Thumbprints are uppercase hex; NextCertificateEffectiveDate may be null. */
export const authConfigObject = z.looseObject({
  CurrentCertificateThumbprint: z.string().nullable(),
  PreviousCertificateThumbprint: z.string().nullable(),
  NextCertificateThumbprint: z.string().nullable(),
  NextCertificateEffectiveDate: z.string().nullable(),
  ServiceName: z.string(),
  Realm: z.string().nullable(),
})
export type AuthConfigObject = z.infer<typeof authConfigObject>

/** Get-ExchangeCertificate -Thumbprint. RawData is base64 of the DER bytes. */
export const exchangeCertificateObject = z.looseObject({
  Thumbprint: z.string(),
  Subject: z.string(),
  NotBefore: z.string(),
  NotAfter: z.string(),
  RawData: z.string().nullable(),
})
export type ExchangeCertificateObject = z.infer<typeof exchangeCertificateObject>

/** Get-AuthServer. Type is an enum name: AzureAD for evoSTS, MicrosoftACS, ADFS, … */
export const authServerObject = z.looseObject({
  Name: z.string(),
  Type: z.string(),
  Enabled: z.boolean(),
  IssuerIdentifier: z.string().nullable(),
  AuthMetadataUrl: z.string().nullable(),
})
export type AuthServerObject = z.infer<typeof authServerObject>

/** Get-ExchangeServer. AdminDisplayVersion reads like "Version 15.2 (Build 1544.4)". */
export const exchangeServerObject = z.looseObject({
  Name: z.string(),
  Fqdn: z.string(),
  AdminDisplayVersion: z.string(),
  ServerRole: z.string(),
})
export type ExchangeServerObject = z.infer<typeof exchangeServerObject>

/** Get-Mailbox. */
export const mailboxObject = z.looseObject({
  Name: z.string(),
  Alias: z.string(),
  Identity: z.string(),
  PrimarySmtpAddress: z.string(),
  ServerName: z.string(),
  UserPrincipalName: z.string(),
})
export type MailboxObject = z.infer<typeof mailboxObject>

/**
 * Get-Mailbox, the properties the delegate audit reads. GrantSendOnBehalfTo holds the delegates'
 * identities (ADObjectIds as strings, "contoso.com/Users/Bob Miller"); empty or null when none.
 */
export const mailboxDelegationObject = z.looseObject({
  Name: z.string(),
  Alias: z.string(),
  DisplayName: z.string().nullable().optional(),
  GrantSendOnBehalfTo: z
    .array(z.string())
    .nullable()
    .optional()
    .transform((value) => value ?? []),
})
export type MailboxDelegationObject = z.infer<typeof mailboxDelegationObject>

/** Get-MailboxFolderStatistics -FolderScope Calendar. FolderType is "Calendar" whatever the Name's language. */
export const mailboxFolderObject = z.looseObject({
  Name: z.string(),
  FolderPath: z.string(),
  FolderType: z.string(),
  Identity: z.string(),
})
export type MailboxFolderObject = z.infer<typeof mailboxFolderObject>

/** Get-MailboxFolderPermission. User is the display name ("Default", "Anonymous", or a person). */
export const mailboxFolderPermissionObject = z.looseObject({
  FolderName: z.string(),
  User: z.string(),
  AccessRights: z.array(z.string()),
  SharingPermissionFlags: z.string().nullable(),
})
export type MailboxFolderPermissionObject = z.infer<typeof mailboxFolderPermissionObject>

/** Get-OrganizationConfig (EWS part). EwsApplicationAccessPolicy: EnforceAllowList, EnforceBlockList or null. */
export const organizationConfigObject = z.looseObject({
  EwsApplicationAccessPolicy: z.string().nullable(),
  EwsAllowList: z.array(z.string()).nullable(),
  EwsBlockList: z.array(z.string()).nullable(),
  EwsEnabled: z.boolean().nullable(),
})
export type OrganizationConfigObject = z.infer<typeof organizationConfigObject>

/** Get-CASMailbox (EWS part). */
export const casMailboxObject = z.looseObject({
  Identity: z.string(),
  EwsApplicationAccessPolicy: z.string().nullable(),
  EwsAllowList: z.array(z.string()).nullable(),
  EwsBlockList: z.array(z.string()).nullable(),
  EwsEnabled: z.boolean().nullable(),
})
export type CasMailboxObject = z.infer<typeof casMailboxObject>
