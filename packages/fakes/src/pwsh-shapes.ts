/**
 * How a remote Exchange session (Import-PSSession, or Import-Clixml of Export-Clixml output) hands
 * over each property the model prints as plain JSON. The PowerShell stand-in rebuilds these shapes
 * from the model's JSON, so whatever reads through it sees what a real session gives:
 * - enum: the number, whose ToString() is the name (flags: the sum, ToString the model's text);
 * - version: Microsoft.Exchange.Data.ServerVersion (Major, Minor, Build, Revision), ToString "Version 15.2 (Build 1544.4)";
 * - object: a Deserialized object (ADObjectId, SmtpAddress, ProxyAddress, …) whose ToString() is the model's string;
 * - date: DateTime in the server's local time; guid: System.Guid; bytes: byte[];
 * - list: an ArrayList (a MultiValuedProperty), or $null when the model has null.
 */
export type PropertyShape =
  | { kind: 'enum'; enum: string }
  | { kind: 'version' }
  | { kind: 'object'; type: string }
  | { kind: 'date' }
  | { kind: 'guid' }
  | { kind: 'bytes' }
  | { kind: 'list'; item?: PropertyShape }

export interface EnumShape {
  type: string
  /** Flags enums print several names joined by ", "; their number is the sum. */
  flags?: boolean
  values: Record<string, number>
}

export interface ObjectShape {
  /** The live type's name; the stand-in prefixes "Deserialized.", as a remote session does. */
  type: string
  properties: Record<string, PropertyShape>
}

const ns = 'Microsoft.Exchange.Data'
const adObjectId: PropertyShape = { kind: 'object', type: `${ns}.Directory.ADObjectId` }
const smtpAddress: PropertyShape = { kind: 'object', type: `${ns}.SmtpAddress` }
const proxyAddress: PropertyShape = { kind: 'object', type: `${ns}.SmtpProxyAddress` }
const stringList: PropertyShape = { kind: 'list' }
const enumOf = (name: string): PropertyShape => ({ kind: 'enum', enum: name })

/** Exchange's numbers where the captures show them (ServerRole Mailbox = 2), else Exchange's documented order. */
export const enumShapes: Record<string, EnumShape> = {
  ServerRole: {
    type: `${ns}.Directory.SystemConfiguration.ServerRole`,
    flags: true,
    values: { None: 0, Mailbox: 2, ClientAccess: 4, UnifiedMessaging: 16, HubTransport: 32, Edge: 64 },
  },
  ServerEditionType: {
    type: `${ns}.ServerEditionType`,
    values: { Unknown: 0, Standard: 1, StandardEvaluation: 2, Enterprise: 3, EnterpriseEvaluation: 4 },
  },
  RecipientType: {
    type: `${ns}.Directory.Recipient.RecipientType`,
    values: { Invalid: 0, User: 1, UserMailbox: 2, MailUser: 3, Contact: 4, MailContact: 5 },
  },
  RecipientTypeDetails: {
    type: `${ns}.Directory.Recipient.RecipientTypeDetails`,
    values: { None: 0, UserMailbox: 1, LinkedMailbox: 2, SharedMailbox: 4, MailUser: 128 },
  },
  RoleType: {
    type: `${ns}.Directory.SystemConfiguration.RoleType`,
    values: { UnScoped: 0, UserApplication: 79, ArchiveApplication: 82 },
  },
  ManagementRoleEntryType: {
    type: `${ns}.Directory.SystemConfiguration.ManagementRoleEntryType`,
    flags: true,
    values: { Cmdlet: 1, Script: 2, ApplicationPermission: 4, WebService: 8 },
  },
  RoleAssigneeType: {
    type: `${ns}.Directory.SystemConfiguration.RoleAssigneeType`,
    values: {
      User: 0,
      SecurityGroup: 2,
      RoleAssignmentPolicy: 4,
      ForeignSecurityPrincipal: 8,
      RoleGroup: 10,
    },
  },
  RoleGroupType: {
    type: `${ns}.Directory.Recipient.RoleGroupType`,
    values: { Standard: 0, Linked: 1, PartnerLinked: 2 },
  },
  RoleAssignmentMethod: {
    type: `${ns}.Directory.SystemConfiguration.RoleAssignmentMethod`,
    values: { Direct: 0, SecurityGroup: 1, RoleGroup: 2, RoleAssignmentPolicy: 3 },
  },
  RoleAssignmentDelegationType: {
    type: `${ns}.Directory.SystemConfiguration.RoleAssignmentDelegationType`,
    values: { Regular: 0, Delegating: 1, DelegatingOrgWide: 2 },
  },
  RecipientWriteScopeType: {
    type: `${ns}.Directory.SystemConfiguration.RecipientWriteScopeType`,
    values: { None: 0, NotApplicable: 1, Organization: 2, MyGAL: 3, Self: 4, OU: 7, CustomRecipientScope: 8 },
  },
  ConfigWriteScopeType: {
    type: `${ns}.Directory.SystemConfiguration.ConfigWriteScopeType`,
    values: { None: 0, NotApplicable: 1, OrganizationConfig: 2, CustomConfigScope: 3 },
  },
  PartnerApplicationAccountType: {
    type: `${ns}.Directory.SystemConfiguration.PartnerApplication+AccountType`,
    values: { OrganizationalAccount: 0, ConsumerAccount: 1 },
  },
  AuthServerType: {
    type: `${ns}.Directory.SystemConfiguration.AuthServerType`,
    values: { Unknown: 0, MicrosoftACS: 1, Facebook: 2, LinkedIn: 3, ADFS: 4, AzureAD: 5 },
  },
  AllowedServices: {
    type: `${ns}.AllowedServices`,
    flags: true,
    values: { None: 0, SMTP: 1, POP: 2, IMAP: 4, UM: 8, IIS: 16, UMCallRouter: 32, Federation: 64 },
  },
  CertificateStatus: {
    type: `${ns}.CertificateStatus`,
    values: { Unknown: 0, Valid: 1, Revoked: 2, DateInvalid: 3, Untrusted: 4, Invalid: 5 },
  },
  EwsApplicationAccessPolicy: {
    type: `${ns}.Directory.EwsApplicationAccessPolicy`,
    values: { EnforceAllowList: 0, EnforceBlockList: 1 },
  },
  MailboxFolderPermissionFlags: {
    type: `${ns}.Storage.Management.MailboxFolderPermissionFlags`,
    flags: true,
    values: { None: 0, Delegate: 1, CanViewPrivateItems: 2 },
  },
}

const ews = {
  Identity: adObjectId,
  EwsApplicationAccessPolicy: enumOf('EwsApplicationAccessPolicy'),
  EwsAllowList: stringList,
  EwsBlockList: stringList,
}

/** The shape of each object type the model prints; a property not named stays as JSON gives it. */
export const objectShapes: Record<string, ObjectShape> = {
  MailUser: {
    type: `${ns}.Directory.Management.MailUser`,
    properties: {
      Identity: adObjectId,
      OrganizationalUnit: adObjectId,
      ExternalEmailAddress: proxyAddress,
      PrimarySmtpAddress: smtpAddress,
      EmailAddresses: { kind: 'list', item: proxyAddress },
      RecipientType: enumOf('RecipientType'),
      RecipientTypeDetails: enumOf('RecipientTypeDetails'),
      Guid: { kind: 'guid' },
    },
  },
  Mailbox: {
    type: `${ns}.Directory.Management.Mailbox`,
    properties: {
      Identity: adObjectId,
      PrimarySmtpAddress: smtpAddress,
      RecipientTypeDetails: enumOf('RecipientTypeDetails'),
      Languages: stringList,
      Guid: { kind: 'guid' },
    },
  },
  ManagementRole: {
    type: `${ns}.Directory.Management.ExchangeRole`,
    properties: {
      Identity: adObjectId,
      Parent: adObjectId,
      RoleType: enumOf('RoleType'),
      RoleEntries: stringList,
    },
  },
  ManagementRoleEntry: {
    type: `${ns}.Directory.Management.ExchangeRoleEntryPresentation`,
    properties: {
      Identity: adObjectId,
      Role: adObjectId,
      Parameters: stringList,
      Type: enumOf('ManagementRoleEntryType'),
    },
  },
  RoleAssignment: {
    type: `${ns}.Directory.Management.ExchangeRoleAssignmentPresentation`,
    properties: {
      Identity: adObjectId,
      Role: adObjectId,
      RoleAssignee: adObjectId,
      RoleAssigneeType: enumOf('RoleAssigneeType'),
      AssignmentMethod: enumOf('RoleAssignmentMethod'),
      RoleAssignmentDelegationType: enumOf('RoleAssignmentDelegationType'),
      RecipientWriteScope: enumOf('RecipientWriteScopeType'),
      ConfigWriteScope: enumOf('ConfigWriteScopeType'),
    },
  },
  RoleGroup: {
    type: `${ns}.Directory.Management.RoleGroup`,
    properties: {
      Identity: adObjectId,
      Roles: { kind: 'list', item: adObjectId },
      RoleAssignments: { kind: 'list', item: adObjectId },
      Members: { kind: 'list', item: adObjectId },
      ManagedBy: { kind: 'list', item: adObjectId },
      RoleGroupType: enumOf('RoleGroupType'),
      Guid: { kind: 'guid' },
    },
  },
  PartnerApplication: {
    type: `${ns}.Directory.SystemConfiguration.PartnerApplication`,
    properties: {
      Identity: adObjectId,
      LinkedAccount: adObjectId,
      AccountType: enumOf('PartnerApplicationAccountType'),
      ActAsPermissions: stringList,
      AppOnlyPermissions: stringList,
    },
  },
  AuthConfig: {
    type: `${ns}.Directory.SystemConfiguration.AuthConfig`,
    properties: { Identity: adObjectId, NextCertificateEffectiveDate: { kind: 'date' } },
  },
  AuthServer: {
    type: `${ns}.Directory.SystemConfiguration.AuthServer`,
    properties: { Identity: adObjectId, Type: enumOf('AuthServerType') },
  },
  ExchangeServer: {
    type: `${ns}.Directory.Management.ExchangeServer`,
    properties: {
      Identity: adObjectId,
      AdminDisplayVersion: { kind: 'version' },
      ServerRole: enumOf('ServerRole'),
      Edition: enumOf('ServerEditionType'),
    },
  },
  ExchangeCertificate: {
    type: 'Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate',
    properties: {
      NotBefore: { kind: 'date' },
      NotAfter: { kind: 'date' },
      Services: enumOf('AllowedServices'),
      Status: enumOf('CertificateStatus'),
      RawData: { kind: 'bytes' },
    },
  },
  MailboxFolder: {
    type: `${ns}.Storage.Management.MailboxFolderConfiguration`,
    properties: { Identity: { kind: 'object', type: `${ns}.Storage.Management.MailboxFolderId` } },
  },
  MailboxFolderPermission: {
    type: `${ns}.Storage.Management.MailboxFolderPermission`,
    properties: {
      Identity: { kind: 'object', type: `${ns}.Storage.Management.MailboxFolderId` },
      User: { kind: 'object', type: `${ns}.Storage.Management.MailboxFolderUserId` },
      AccessRights: {
        kind: 'list',
        item: { kind: 'object', type: `${ns}.Storage.Management.MailboxFolderAccessRight` },
      },
      SharingPermissionFlags: enumOf('MailboxFolderPermissionFlags'),
    },
  },
  OrganizationConfig: { type: `${ns}.Directory.Management.OrganizationConfig`, properties: ews },
  CASMailbox: {
    type: `${ns}.Directory.Management.CASMailbox`,
    properties: { ...ews, PrimarySmtpAddress: smtpAddress },
  },
}

/** Which object type each cmdlet prints. */
export const cmdletShapes: Record<string, keyof typeof objectShapes> = {
  'Get-MailUser': 'MailUser',
  'New-MailUser': 'MailUser',
  'Get-Mailbox': 'Mailbox',
  'Get-ManagementRole': 'ManagementRole',
  'New-ManagementRole': 'ManagementRole',
  'Get-ManagementRoleEntry': 'ManagementRoleEntry',
  'Get-ManagementRoleAssignment': 'RoleAssignment',
  'New-ManagementRoleAssignment': 'RoleAssignment',
  'Get-RoleGroup': 'RoleGroup',
  'New-RoleGroup': 'RoleGroup',
  'Get-PartnerApplication': 'PartnerApplication',
  'New-PartnerApplication': 'PartnerApplication',
  'Get-AuthConfig': 'AuthConfig',
  'Get-AuthServer': 'AuthServer',
  'Get-ExchangeServer': 'ExchangeServer',
  'Get-ExchangeCertificate': 'ExchangeCertificate',
  'Get-MailboxFolderStatistics': 'MailboxFolder',
  'Get-MailboxFolderPermission': 'MailboxFolderPermission',
  'Get-OrganizationConfig': 'OrganizationConfig',
  'Get-CASMailbox': 'CASMailbox',
}

/** What the stand-in fetches at import (GET /shapes). */
export const deserializedShapes = { cmdlets: cmdletShapes, objects: objectShapes, enums: enumShapes }
