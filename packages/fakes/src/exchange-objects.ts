import type { CmdletObject } from '@teams-oauth/core'
import { describeCertificate } from './certificates'
import {
  findMailbox,
  findRecipient,
  recipientDn,
  recipientIdentity,
  roleGroupDn,
  roleGroupIdentity,
} from './exchange-model'
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
  RoleGroupState,
  StoredCertificateState,
} from './state'

/** The objects the Exchange Get-* cmdlets print, named as Exchange names the properties. */

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
    RoleAssignee:
      assignment.roleAssigneeType === 'RoleGroup'
        ? roleGroupIdentity(state, assignment.roleAssignee)
        : recipientIdentity(state, assignment.roleAssignee),
    RoleAssigneeType: assignment.roleAssigneeType,
    AssignmentMethod: 'Direct',
    RoleAssignmentDelegationType: 'Regular',
    RecipientWriteScope: 'Organization',
    ConfigWriteScope: 'OrganizationConfig',
    Enabled: assignment.enabled,
    Guid: assignment.guid,
  }
}

export function roleGroupObject(state: ExchangeState, group: RoleGroupState): CmdletObject {
  const assignments = state.roleAssignments.filter(
    (a) => a.roleAssigneeType === 'RoleGroup' && a.roleAssignee.toLowerCase() === group.name.toLowerCase(),
  )
  return {
    Name: group.name,
    Identity: roleGroupIdentity(state, group.name),
    DistinguishedName: roleGroupDn(state, group.name),
    DisplayName: group.name,
    Description: group.description,
    RoleGroupType: 'Standard',
    Roles: [...new Set(assignments.map((a) => a.role))],
    RoleAssignments: assignments.map((a) => a.name),
    // the member recipients' canonical names, as Exchange prints the ADObjectIds
    Members: group.members.flatMap((guid) => {
      const member = findRecipient(state, guid)
      return member ? [recipientIdentity(state, member.value.name)] : []
    }),
    ManagedBy: [],
    Guid: group.guid,
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
