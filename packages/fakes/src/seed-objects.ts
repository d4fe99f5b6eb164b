import { addDays, makeTestCertificate, type TestCertificate } from './certificates'
import { graphDate } from './entra-model'
import { deterministicGuid } from './ids'
import type {
  MailboxState,
  MailUserState,
  ManagementRoleState,
  PartnerApplicationState,
  RoleAssignmentState,
  ServicePrincipalState,
  StoredCertificateState,
  StoredKeyCredential,
} from './state'

/** The objects a seed is made of, each with the Guid a fixed organisation gives it (for determinism). */

export const authCertificateSubject = 'CN=Microsoft Exchange Server Auth Certificate'

export function storedCertificate(
  certificate: TestCertificate,
  friendlyName: string,
  services: string,
): StoredCertificateState {
  return {
    thumbprint: certificate.thumbprint,
    der: Buffer.from(certificate.der).toString('base64'),
    friendlyName,
    services,
  }
}

/** Exchange's auth certificate for a validity window (five years by default, as Exchange makes it). */
export function authCertificate(notBefore: Date, notAfter = addDays(notBefore, 5 * 365)): TestCertificate {
  return makeTestCertificate({ subject: authCertificateSubject, notBefore, notAfter })
}

function calendarPermissions(delegates: { user: string; accessRights: string[] }[]) {
  return [
    { user: 'Default', accessRights: ['AvailabilityOnly'], sharingPermissionFlags: null },
    { user: 'Anonymous', accessRights: ['None'], sharingPermissionFlags: null },
    ...delegates.map((d) => ({
      user: d.user,
      accessRights: d.accessRights,
      sharingPermissionFlags: d.accessRights.includes('Editor') ? 'Delegate' : null,
    })),
  ]
}

export const noEwsPolicy = {
  ewsApplicationAccessPolicy: null,
  ewsAllowList: null,
  ewsBlockList: null,
  ewsEnabled: null,
}

export function mailbox(
  domain: string,
  alias: string,
  displayName: string,
  language: string,
  calendarName: string,
  delegates: { user: string; accessRights: string[] }[],
): MailboxState {
  return {
    name: displayName,
    alias,
    displayName,
    primarySmtpAddress: `${alias}@${domain}`,
    userPrincipalName: `${alias}@${domain}`,
    serverName: 'EX01',
    guid: deterministicGuid('mailbox', domain, alias),
    language,
    calendar: { name: calendarName, permissions: calendarPermissions(delegates) },
    cas: { ...noEwsPolicy },
    // as Outlook's Delegate Access leaves it: each delegate may send on the delegator's behalf
    grantSendOnBehalfTo: delegates.map((d) => d.user),
  }
}

const applicationPermissions = [
  'AddDelegate',
  'ConvertId',
  'CopyFolder',
  'CopyItem',
  'CreateAttachment',
  'CreateFolder',
  'CreateItem',
  'DeleteAttachment',
  'DeleteFolder',
  'DeleteItem',
  'EmptyFolder',
  'ExpandDL',
  'FindFolder',
  'FindItem',
  'GetAttachment',
  'GetDelegate',
  'GetEvents',
  'GetFolder',
  'GetItem',
  'GetServerTimeZones',
  'GetUserAvailability',
  'GetUserConfiguration',
  'GetUserOofSettings',
  'MoveFolder',
  'MoveItem',
  'RemoveDelegate',
  'ResolveNames',
  'SendItem',
  'SetUserOofSettings',
  'SyncFolderHierarchy',
  'SyncFolderItems',
  'UpdateDelegate',
  'UpdateFolder',
  'UpdateItem',
]

const archivePermissions = [
  'ArchiveItem',
  'CreateFolder',
  'CreateItem',
  'FindFolder',
  'FindItem',
  'GetFolder',
  'GetItem',
  'MoveItem',
  'UpdateItem',
]

/** Microsoft's own keys on its first-party service principals: one valid, one expired. */
function microsoftKeys(sp: string, today: Date, count: 1 | 2): StoredKeyCredential[] {
  const valid = makeTestCertificate({
    subject: 'CN=accounts.accesscontrol.windows.net',
    notBefore: addDays(today, -300),
    notAfter: addDays(today, 430),
  })
  const expired = makeTestCertificate({
    subject: 'CN=accounts.accesscontrol.windows.net',
    notBefore: addDays(today, -1100),
    notAfter: addDays(today, -35),
  })
  const key = (certificate: TestCertificate): StoredKeyCredential => ({
    keyId: deterministicGuid('microsoftKey', sp, certificate.thumbprint),
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
    key: Buffer.from(certificate.der).toString('base64'),
    displayName: certificate.subject,
    customKeyIdentifier: certificate.thumbprint,
    startDateTime: graphDate(certificate.notBefore),
    endDateTime: graphDate(certificate.notAfter),
  })
  return count === 2 ? [key(valid), key(expired)] : [key(valid)]
}

export function servicePrincipal(
  appId: string,
  displayName: string,
  today: Date,
  keys: 1 | 2,
): ServicePrincipalState {
  const id = deterministicGuid('servicePrincipal', appId)
  return { id, appId, displayName, keyCredentials: microsoftKeys(id, today, keys) }
}

export function builtInRole(
  domain: string,
  name: 'UserApplication' | 'ArchiveApplication',
  description: string,
): ManagementRoleState {
  const permissions = name === 'UserApplication' ? applicationPermissions : archivePermissions
  return {
    name,
    parent: null,
    roleType: name,
    builtIn: true,
    description,
    entries: permissions.map((entry) => ({ name: entry, type: 'WebService', parameters: [] })),
    guid: deterministicGuid('role', domain, name.toLowerCase()),
  }
}

/** A mail user as an administrator or a procedure made it; the address defaults to <alias>@<domain>. */
export function mailUser(
  domain: string,
  name: string,
  options: { alias?: string; address?: string; hidden?: boolean; applicationAccount?: boolean } = {},
): MailUserState {
  const alias = options.alias ?? name
  return {
    name,
    alias,
    displayName: name,
    externalEmailAddress: `SMTP:${options.address ?? `${alias}@${domain}`}`,
    hiddenFromAddressListsEnabled: options.hidden ?? false,
    applicationAccount: options.applicationAccount ?? false,
    guid: deterministicGuid('mailUser', domain, name.toLowerCase()),
  }
}

/** The role assigned to a user or a role group, named as Exchange names it: "<Role>-<Assignee>". */
export function roleAssignment(
  domain: string,
  role: string,
  assignee: string,
  roleAssigneeType: 'User' | 'RoleGroup' = 'User',
): RoleAssignmentState {
  const name = `${role}-${assignee}`
  return {
    name,
    role,
    roleAssignee: assignee,
    roleAssigneeType,
    enabled: true,
    guid: deterministicGuid('roleAssignment', domain, name.toLowerCase()),
  }
}

/** A partner application that uses the auth server (evoSTS), acting as `linkedAccount`. */
export function partnerApplication(
  domain: string,
  name: string,
  applicationIdentifier: string,
  linkedAccount: string | null,
): PartnerApplicationState {
  return {
    name,
    applicationIdentifier,
    enabled: true,
    linkedAccount,
    realm: '',
    useAuthServer: true,
    authMetadataUrl: null,
    accountType: 'OrganizationalAccount',
    guid: deterministicGuid('partnerApplication', domain, name.toLowerCase()),
  }
}
