import type { CmdletObject } from '@teams-oauth/core'
import { describeCertificate } from './certificates'
import type {
  AuthServerState,
  EwsPolicyState,
  ExchangeServerState,
  ExchangeState,
  MailboxState,
  MailUserState,
  ManagementRoleState,
  PartnerApplicationState,
  RoleAssignmentState,
  RoleEntryState,
  StoredCertificateState,
} from './state'

/** Lookups over the Exchange organisation and the objects its Get-* cmdlets print. */

const same = (a: string | null | undefined, b: string | null | undefined) =>
  a != null && b != null && a.toLowerCase() === b.toLowerCase()

/** Exchange's wildcard match: `*` anywhere, case-insensitive. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`, 'i')
  return regex.test(value)
}
const escapeRegex = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&')

const dnOf = new Map<string, string>()
export const organizationDn = (state: ExchangeState) => {
  const { domain } = state.organization
  let dn = dnOf.get(domain)
  if (dn === undefined) {
    dn = domain
      .split('.')
      .map((part) => `DC=${part}`)
      .join(',')
    dnOf.set(domain, dn)
  }
  return dn
}

export const configurationDn = (state: ExchangeState) =>
  `CN=${state.organization.name},CN=Microsoft Exchange,CN=Services,CN=Configuration,${organizationDn(state)}`

export const recipientIdentity = (state: ExchangeState, name: string) =>
  `${state.organization.domain}/Users/${name}`
export const recipientDn = (state: ExchangeState, name: string) =>
  `CN=${name},CN=Users,${organizationDn(state)}`

export type Recipient = { kind: 'mailUser'; value: MailUserState } | { kind: 'mailbox'; value: MailboxState }

const recipientMatches = (state: ExchangeState, id: string, recipient: Recipient): boolean => {
  const matches = (name: string, alias: string, guid: string, addresses: string[]) =>
    same(id, name) ||
    same(id, alias) ||
    same(id, guid) ||
    same(id, recipientIdentity(state, name)) ||
    same(id, recipientDn(state, name)) ||
    addresses.some((address) => same(id, address) || same(`SMTP:${id}`, address))
  if (recipient.kind === 'mailUser') {
    const user = recipient.value
    const addresses = [user.externalEmailAddress, `${user.alias}@${state.organization.domain}`]
    return matches(user.name, user.alias, user.guid, addresses)
  }
  const mailbox = recipient.value
  const addresses = [mailbox.primarySmtpAddress, mailbox.userPrincipalName]
  return matches(mailbox.name, mailbox.alias, mailbox.guid, addresses) || same(id, mailbox.displayName)
}

/** The forms an identity is looked up by; identity and DN forms are reduced to the name before lookup. */
const recipientKeys = (state: ExchangeState, recipient: Recipient): string[] => {
  const { name, alias, guid } = recipient.value
  const addresses =
    recipient.kind === 'mailUser'
      ? [
          recipient.value.externalEmailAddress,
          recipient.value.externalEmailAddress.replace(/^smtp:/i, ''),
          `${alias}@${state.organization.domain}`,
        ]
      : [recipient.value.primarySmtpAddress, recipient.value.userPrincipalName, recipient.value.displayName]
  return [name, alias, guid, ...addresses].map((key) => key.toLowerCase())
}

interface RecipientIndex {
  mailUsers: number
  mailboxes: number
  byKey: Map<string, { recipient: Recipient; position: number }>
}
const indexes = new WeakMap<ExchangeState, RecipientIndex>()

/** A lookup table by every identity form, rebuilt when recipients are added or removed. */
function recipientIndex(state: ExchangeState): RecipientIndex {
  const known = indexes.get(state)
  if (known && known.mailUsers === state.mailUsers.length && known.mailboxes === state.mailboxes.length)
    return known
  const byKey: RecipientIndex['byKey'] = new Map()
  const add = (recipient: Recipient, position: number) => {
    const entry = { recipient, position }
    // the first in Exchange's scan order wins, as the linear search below would find it
    for (const key of recipientKeys(state, recipient)) if (!byKey.has(key)) byKey.set(key, entry)
  }
  for (const [i, value] of state.mailUsers.entries()) add({ kind: 'mailUser', value }, i)
  for (const [i, value] of state.mailboxes.entries()) add({ kind: 'mailbox', value }, i)
  const index = { mailUsers: state.mailUsers.length, mailboxes: state.mailboxes.length, byKey }
  indexes.set(state, index)
  return index
}

/**
 * Resolves a recipient as Exchange's identity parameters do: name, alias, identity, DN, GUID or address.
 * The index answers in constant time at 100,000 mailboxes; a renamed recipient is still found by the scan.
 */
export function findRecipient(state: ExchangeState, identity: string): Recipient | null {
  const id = identity.trim()
  const hint = recipientIndex(state).byKey.get(lookupKey(state, id))
  if (hint && recipientMatches(state, id, hint.recipient)) {
    const { recipient, position } = hint
    const inPlace =
      recipient.kind === 'mailUser'
        ? state.mailUsers[position] === recipient.value
        : state.mailboxes[position] === recipient.value
    // a mail user first in the scan (renamed since the index was built) still wins, as Exchange's order says
    if (inPlace && (recipient.kind === 'mailUser' || !state.mailUsers.some((u) => matchesUser(state, id, u))))
      return recipient
  }
  for (const user of state.mailUsers)
    if (recipientMatches(state, id, { kind: 'mailUser', value: user }))
      return { kind: 'mailUser', value: user }
  for (const mailbox of state.mailboxes)
    if (recipientMatches(state, id, { kind: 'mailbox', value: mailbox }))
      return { kind: 'mailbox', value: mailbox }
  return null
}

/** The index key of an identity: its name when it is an identity (domain/Users/name) or a DN (CN=name,…). */
function lookupKey(state: ExchangeState, id: string): string {
  const lower = id.toLowerCase()
  const prefix = `${state.organization.domain}/users/`.toLowerCase()
  if (lower.startsWith(prefix)) return lower.slice(prefix.length)
  const dn = /^cn=(.+?),cn=users,/i.exec(id)
  return dn ? dn[1]!.toLowerCase() : lower
}

const matchesUser = (state: ExchangeState, id: string, user: MailUserState) =>
  recipientMatches(state, id, { kind: 'mailUser', value: user })

export function findMailUser(state: ExchangeState, identity: string): MailUserState | null {
  const found = findRecipient(state, identity)
  return found?.kind === 'mailUser' ? found.value : null
}

export function findMailbox(state: ExchangeState, identity: string): MailboxState | null {
  const found = findRecipient(state, identity)
  return found?.kind === 'mailbox' ? found.value : null
}

export function findRole(state: ExchangeState, identity: string): ManagementRoleState | null {
  return state.roles.find((role) => same(role.name, identity) || same(role.guid, identity)) ?? null
}

export function findServer(state: ExchangeState, identity: string): ExchangeServerState | null {
  return state.servers.find((server) => same(server.name, identity) || same(server.fqdn, identity)) ?? null
}

export function findPartnerApplication(
  state: ExchangeState,
  identity: string,
): PartnerApplicationState | null {
  return state.partnerApplications.find((app) => same(app.name, identity) || same(app.guid, identity)) ?? null
}

export function findAuthServer(state: ExchangeState, identity: string): AuthServerState | null {
  return state.authServers.find((server) => same(server.name, identity)) ?? null
}

export function findRoleAssignment(state: ExchangeState, identity: string): RoleAssignmentState | null {
  return (
    state.roleAssignments.find(
      (assignment) => same(assignment.name, identity) || same(assignment.guid, identity),
    ) ?? null
  )
}

export const recipientName = (recipient: Recipient) => recipient.value.name

// ---- output objects, named as Exchange names the properties ----

export function mailUserObject(state: ExchangeState, user: MailUserState): CmdletObject {
  return {
    Name: user.name,
    Identity: recipientIdentity(state, user.name),
    DistinguishedName: recipientDn(state, user.name),
    Alias: user.alias,
    DisplayName: user.displayName,
    ExternalEmailAddress: user.externalEmailAddress,
    PrimarySmtpAddress: `${user.alias}@${state.organization.domain}`,
    EmailAddresses: [`SMTP:${user.alias}@${state.organization.domain}`, user.externalEmailAddress],
    HiddenFromAddressListsEnabled: user.hiddenFromAddressListsEnabled,
    RecipientType: 'MailUser',
    RecipientTypeDetails: 'MailUser',
    Guid: user.guid,
    OrganizationalUnit: `${state.organization.domain}/Users`,
  }
}

export function mailboxObject(state: ExchangeState, mailbox: MailboxState): CmdletObject {
  return {
    Name: mailbox.name,
    Alias: mailbox.alias,
    DisplayName: mailbox.displayName,
    Identity: recipientIdentity(state, mailbox.name),
    DistinguishedName: recipientDn(state, mailbox.name),
    PrimarySmtpAddress: mailbox.primarySmtpAddress,
    UserPrincipalName: mailbox.userPrincipalName,
    ServerName: mailbox.serverName.toLowerCase(),
    RecipientTypeDetails: 'UserMailbox',
    Languages: [mailbox.language],
    Guid: mailbox.guid,
    // ADObjectIds, as Exchange prints them: the canonical name of each recipient
    GrantSendOnBehalfTo: mailbox.grantSendOnBehalfTo.map((alias) =>
      recipientIdentity(state, findMailbox(state, alias)?.name ?? alias),
    ),
  }
}

export function roleObject(role: ManagementRoleState): CmdletObject {
  return {
    Name: role.name,
    Identity: role.name,
    Parent: role.parent ?? '',
    RoleType: role.roleType,
    IsRootRole: role.parent === null,
    IsEndUserRole: false,
    ImplicitRecipientReadScope: 'Organization',
    ImplicitRecipientWriteScope: 'Organization',
    Description: role.description,
    RoleEntries: role.entries.map((entry) => `(${role.name}) ${entry.name}`),
    Guid: role.guid,
  }
}

export function roleEntryObject(role: ManagementRoleState, entry: RoleEntryState): CmdletObject {
  return {
    Name: entry.name,
    Role: role.name,
    Identity: `${role.name}\\${entry.name}`,
    Parameters: [...entry.parameters],
    Type: entry.type,
  }
}

export function roleAssignmentObject(state: ExchangeState, assignment: RoleAssignmentState): CmdletObject {
  return {
    Name: assignment.name,
    Identity: assignment.name,
    Role: assignment.role,
    RoleAssigneeName: assignment.roleAssignee,
    RoleAssignee: recipientIdentity(state, assignment.roleAssignee),
    RoleAssigneeType: assignment.roleAssigneeType,
    AssignmentMethod: 'Direct',
    RoleAssignmentDelegationType: 'Regular',
    RecipientWriteScope: 'Organization',
    ConfigWriteScope: 'OrganizationConfig',
    Enabled: assignment.enabled,
    Guid: assignment.guid,
  }
}

export function partnerApplicationObject(state: ExchangeState, app: PartnerApplicationState): CmdletObject {
  return {
    Name: app.name,
    Identity: app.name,
    ApplicationIdentifier: app.applicationIdentifier,
    Enabled: app.enabled,
    LinkedAccount: app.linkedAccount === null ? null : recipientIdentity(state, app.linkedAccount),
    Realm: app.realm,
    UseAuthServer: app.useAuthServer,
    AuthMetadataUrl: app.authMetadataUrl,
    AccountType: app.accountType,
    ActAsPermissions: [],
    AppOnlyPermissions: [],
    IssuerIdentifier: '',
    Guid: app.guid,
  }
}

export function authConfigObject(state: ExchangeState): CmdletObject {
  const config = state.authConfig
  return {
    Name: 'Auth Configuration',
    Identity: 'Auth Configuration',
    CurrentCertificateThumbprint: config.currentCertificateThumbprint,
    PreviousCertificateThumbprint: config.previousCertificateThumbprint,
    NextCertificateThumbprint: config.nextCertificateThumbprint,
    NextCertificateEffectiveDate: config.nextCertificateEffectiveDate,
    ServiceName: config.serviceName,
    Realm: config.realm,
  }
}

export function authServerObject(server: AuthServerState): CmdletObject {
  return {
    Name: server.name,
    Identity: server.name,
    Type: server.type,
    Enabled: server.enabled,
    IssuerIdentifier: server.issuerIdentifier,
    AuthMetadataUrl: server.authMetadataUrl,
    Realm: server.realm,
  }
}

export function exchangeServerObject(server: ExchangeServerState): CmdletObject {
  return {
    Name: server.name,
    Identity: server.name,
    Fqdn: server.fqdn,
    AdminDisplayVersion: server.adminDisplayVersion,
    ServerRole: server.serverRole,
    Edition: 'StandardEvaluation',
    IsExchangeTrialEdition: false,
  }
}

export function exchangeCertificateObject(
  server: ExchangeServerState,
  stored: StoredCertificateState,
): CmdletObject {
  const der = new Uint8Array(Buffer.from(stored.der, 'base64'))
  const info = describeCertificate(der)
  return {
    Identity: `${server.fqdn}\\${stored.thumbprint}`,
    Thumbprint: stored.thumbprint,
    Subject: info.subject,
    Issuer: info.subject,
    NotBefore: info.notBefore.toISOString(),
    NotAfter: info.notAfter.toISOString(),
    FriendlyName: stored.friendlyName,
    Services: stored.services,
    HasPrivateKey: true,
    IsSelfSigned: true,
    Status: info.notAfter.getTime() < Date.now() ? 'DateInvalid' : 'Valid',
    RawData: stored.der,
  }
}

export function ewsObject(policy: EwsPolicyState): CmdletObject {
  return {
    EwsApplicationAccessPolicy: policy.ewsApplicationAccessPolicy,
    EwsAllowList: policy.ewsAllowList === null ? null : [...policy.ewsAllowList],
    EwsBlockList: policy.ewsBlockList === null ? null : [...policy.ewsBlockList],
    EwsEnabled: policy.ewsEnabled,
  }
}

export function organizationConfigObject(state: ExchangeState): CmdletObject {
  return {
    Name: state.organization.name,
    Identity: state.organization.name,
    Guid: state.organization.guid,
    ...ewsObject(state.organization.ews),
  }
}

export function casMailboxObject(state: ExchangeState, mailbox: MailboxState): CmdletObject {
  return {
    Identity: recipientIdentity(state, mailbox.name),
    Name: mailbox.name,
    PrimarySmtpAddress: mailbox.primarySmtpAddress,
    ...ewsObject(mailbox.cas),
  }
}
