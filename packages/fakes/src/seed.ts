import { appIds } from '@teams-oauth/core/adapter'
import {
  addDays,
  describeCertificate,
  makeTestCertificate,
  startOfDayUtc,
  type TestCertificate,
} from './certificates'
import { graphDate } from './entra-model'
import { deterministicGuid } from './ids'
import { largeOrganisation } from './large-organisation'
import { driftScenarios } from './seed-drift'
import type {
  EntraState,
  ExchangeState,
  FakeState,
  MailboxState,
  ServicePrincipalState,
  StoredCertificateState,
  StoredKeyCredential,
} from './state'

/**
 * What a test changes about the default organisation. Each section given replaces the default's
 * section of the same name; `customize` then edits the whole state in place.
 */
export interface FakeSeed {
  /** The day the organisation lives in (default: today); certificate dates are relative to it. */
  now?: Date
  exchange?: Partial<ExchangeState>
  entra?: Partial<EntraState>
  customize?: (state: FakeState, context: SeedContext) => void
  /** The organisation's identity (default: fixed ones derived from the domain, for determinism). */
  ids?: OrganisationIds
}

/** Get-OrganizationConfig's Guid and the Entra tenant id: what tells one organisation from another. */
export interface OrganisationIds {
  organizationGuid: string
  tenantId: string
}

export interface SeedContext {
  /** Midnight UTC of the seed's day. */
  today: Date
}

export { appIds }

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

const noEwsPolicy = {
  ewsApplicationAccessPolicy: null,
  ewsAllowList: null,
  ewsBlockList: null,
  ewsEnabled: null,
}

function mailbox(
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

function servicePrincipal(
  appId: string,
  displayName: string,
  today: Date,
  keys: 1 | 2,
): ServicePrincipalState {
  const id = deterministicGuid('servicePrincipal', appId)
  return { id, appId, displayName, keyCredentials: microsoftKeys(id, today, keys) }
}

/** The default organisation: Contoso's hybrid Exchange 2019 and its Entra tenant. */
export function defaultState(now: Date = new Date(), ids?: OrganisationIds): FakeState {
  const today = startOfDayUtc(now)
  const domain = 'contoso.com'
  const tenantId = ids?.tenantId ?? deterministicGuid('tenant', domain)
  const organizationGuid = ids?.organizationGuid ?? deterministicGuid('organization', domain)
  const auth = authCertificate(addDays(today, -400))
  const web = makeTestCertificate({
    subject: 'CN=mail.contoso.com, O=Contoso, C=US',
    notBefore: addDays(today, -200),
    notAfter: addDays(today, 165),
  })
  const hybridAccount = 'Exchange Online-ApplicationAccount'
  const exchange: ExchangeState = {
    organization: { name: 'Contoso', guid: organizationGuid, domain, ews: { ...noEwsPolicy } },
    domainControllers: ['dc01.contoso.com', 'dc02.contoso.com'],
    supportsApplicationAccount: true,
    servers: [
      {
        name: 'EX01',
        fqdn: 'ex01.contoso.com',
        adminDisplayVersion: 'Version 15.2 (Build 1544.4)',
        serverRole: 'Mailbox',
        certificates: [
          storedCertificate(auth, 'Microsoft Exchange Server Auth Certificate', 'SMTP'),
          storedCertificate(web, 'mail.contoso.com', 'IMAP, POP, IIS, SMTP'),
        ],
      },
    ],
    mailUsers: [
      {
        name: hybridAccount,
        alias: 'ExchangeOnline-ApplicationAccount',
        displayName: hybridAccount,
        externalEmailAddress: `SMTP:ExchangeOnline-ApplicationAccount@${domain}`,
        hiddenFromAddressListsEnabled: true,
        applicationAccount: false,
        guid: deterministicGuid('mailUser', domain, hybridAccount.toLowerCase()),
      },
    ],
    mailboxes: [
      mailbox(domain, 'alice', 'Alice Wood', 'en-US', 'Calendar', [
        { user: 'bob', accessRights: ['Editor'] },
      ]),
      mailbox(domain, 'bob', 'Bob Miller', 'en-US', 'Calendar', []),
      mailbox(domain, 'klaus', 'Klaus Müller', 'de-DE', 'Kalender', [
        { user: 'bob', accessRights: ['Editor'] },
      ]),
    ],
    roles: [
      {
        name: 'UserApplication',
        parent: null,
        roleType: 'UserApplication',
        builtIn: true,
        description:
          'This role enables server-to-server applications to access user mailboxes on behalf of users.',
        entries: applicationPermissions.map((name) => ({ name, type: 'WebService', parameters: [] })),
        guid: deterministicGuid('role', domain, 'userapplication'),
      },
      {
        name: 'ArchiveApplication',
        parent: null,
        roleType: 'ArchiveApplication',
        builtIn: true,
        description: 'This role enables partner applications to archive items in user mailboxes.',
        entries: archivePermissions.map((name) => ({ name, type: 'WebService', parameters: [] })),
        guid: deterministicGuid('role', domain, 'archiveapplication'),
      },
    ],
    roleAssignments: ['UserApplication', 'ArchiveApplication'].map((role) => ({
      name: `${role}-${hybridAccount}`,
      role,
      roleAssignee: hybridAccount,
      roleAssigneeType: 'User',
      enabled: true,
      guid: deterministicGuid('roleAssignment', domain, `${role}-${hybridAccount}`.toLowerCase()),
    })),
    partnerApplications: [
      {
        name: 'Exchange Online',
        applicationIdentifier: appIds.exchangeOnline,
        enabled: true,
        linkedAccount: hybridAccount,
        realm: '',
        useAuthServer: true,
        authMetadataUrl: null,
        accountType: 'OrganizationalAccount',
        guid: deterministicGuid('partnerApplication', domain, 'exchange online'),
      },
    ],
    authConfig: {
      currentCertificateThumbprint: auth.thumbprint,
      previousCertificateThumbprint: null,
      nextCertificateThumbprint: null,
      nextCertificateEffectiveDate: null,
      serviceName: appIds.exchangeOnline,
      realm: '',
    },
    authServers: [
      {
        name: `EvoSts - ${tenantId}`,
        type: 'AzureAD',
        enabled: true,
        issuerIdentifier: `https://sts.windows.net/${tenantId}/`,
        authMetadataUrl:
          'https://login.windows.net/contoso.onmicrosoft.com/federationmetadata/2007-06/federationmetadata.xml',
        realm: tenantId,
      },
    ],
  }
  const entra: EntraState = {
    tenantId,
    servicePrincipals: [
      servicePrincipal(appIds.skypeForBusinessOnline, 'Skype for Business Online', today, 2),
      servicePrincipal(appIds.teamsScheduler, 'Teams Calendar Scheduler', today, 1),
      servicePrincipal(appIds.cloudVoicemail, 'Cloud Voicemail', today, 2),
      servicePrincipal(appIds.exchangeOnline, 'Office 365 Exchange Online', today, 2),
    ],
  }
  return { version: 1, exchange, entra }
}

/** The state a seed describes. */
export function stateFromSeed(seed: FakeSeed = {}): FakeState {
  const now = seed.now ?? new Date()
  const state = defaultState(now, seed.ids)
  Object.assign(state.exchange, JSON.parse(JSON.stringify(seed.exchange ?? {})))
  Object.assign(state.entra, JSON.parse(JSON.stringify(seed.entra ?? {})))
  seed.customize?.(state, { today: startOfDayUtc(now) })
  return state
}

// ---- scenarios: the broken (and fixed) organisations a doctor checks ----

const customize = (edit: NonNullable<FakeSeed['customize']>): FakeSeed => ({ customize: edit })

/** Replaces the auth certificate (in the store of every server and in AuthConfig). */
function replaceAuthCertificate(state: FakeState, certificate: TestCertificate) {
  const old = state.exchange.authConfig.currentCertificateThumbprint
  for (const server of state.exchange.servers) {
    server.certificates = server.certificates.filter((c) => c.thumbprint !== old)
    server.certificates.unshift(
      storedCertificate(certificate, 'Microsoft Exchange Server Auth Certificate', 'SMTP'),
    )
  }
  state.exchange.authConfig.currentCertificateThumbprint = certificate.thumbprint
}

/** The state as the seed's 2019 procedure (profile sfbonline) leaves it: only the legacy partner app. */
function applyLegacy(state: FakeState) {
  const { exchange } = state
  const name = 'SfBOnline-ApplicationAccount'
  exchange.mailUsers.push({
    name,
    alias: name,
    displayName: name,
    externalEmailAddress: `SMTP:${name}@${exchange.organization.domain}`,
    hiddenFromAddressListsEnabled: true,
    applicationAccount: false,
    guid: deterministicGuid('mailUser', exchange.organization.domain, name.toLowerCase()),
  })
  for (const role of ['UserApplication', 'ArchiveApplication']) {
    exchange.roleAssignments.push({
      name: `${role}-${name}`,
      role,
      roleAssignee: name,
      roleAssigneeType: 'User',
      enabled: true,
      guid: deterministicGuid(
        'roleAssignment',
        exchange.organization.domain,
        `${role}-${name}`.toLowerCase(),
      ),
    })
  }
  exchange.partnerApplications.push({
    name: 'SfBOnline',
    applicationIdentifier: appIds.skypeForBusinessOnline,
    enabled: true,
    linkedAccount: name,
    realm: '',
    useAuthServer: true,
    authMetadataUrl: null,
    accountType: 'OrganizationalAccount',
    guid: deterministicGuid('partnerApplication', exchange.organization.domain, 'sfbonline'),
  })
  uploadCurrentAuthCertificate(state, [appIds.skypeForBusinessOnline])
}

/** Adds the current auth certificate as a Verify key to the service principals of these apps. */
function uploadCurrentAuthCertificate(state: FakeState, apps: string[]) {
  const thumbprint = state.exchange.authConfig.currentCertificateThumbprint
  const stored = state.exchange.servers
    .flatMap((s) => s.certificates)
    .find((c) => c.thumbprint === thumbprint)
  if (!stored) return
  const certificate = makeCertificateView(stored)
  for (const sp of state.entra.servicePrincipals.filter((p) => apps.includes(p.appId))) {
    sp.keyCredentials.push({
      keyId: deterministicGuid(
        'keyCredential',
        sp.id,
        certificate.thumbprint,
        'AsymmetricX509Cert',
        'Verify',
      ),
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      key: stored.der,
      displayName: certificate.subject,
      customKeyIdentifier: certificate.thumbprint,
      startDateTime: graphDate(certificate.notBefore),
      endDateTime: graphDate(certificate.notAfter),
    })
  }
}

function makeCertificateView(stored: StoredCertificateState): TestCertificate {
  return describeCertificate(new Uint8Array(Buffer.from(stored.der, 'base64')))
}

function findMailboxState(state: FakeState, alias: string): MailboxState {
  const found = state.exchange.mailboxes.find((m) => m.alias === alias)
  if (!found) throw new Error(`the seed has no mailbox ${alias}`)
  return found
}

export const scenarios = {
  /** The default organisation, nothing configured for Teams yet. */
  fresh: (): FakeSeed => ({}),

  /** No partner application at all, not even Exchange Online's (hybrid OAuth missing). */
  noPartnerApp: (): FakeSeed =>
    customize((state) => {
      state.exchange.partnerApplications = []
    }),

  /** Only the legacy 00000004 partner app (Health Checker: Red), its key uploaded. */
  legacyOnly: (): FakeSeed => customize((state) => applyLegacy(state)),

  /** The delegate (bob) holds Owner, not Editor, on alice's calendar: the seed's failure case. */
  delegateOwnerOnly: (): FakeSeed =>
    customize((state) => {
      const permission = findMailboxState(state, 'alice').calendar.permissions.find((p) => p.user === 'bob')
      if (permission) {
        permission.accessRights = ['Owner']
        permission.sharingPermissionFlags = null
      }
    }),

  /** alice's mailbox speaks German: her calendar folder is "Kalender". */
  germanCalendar: (): FakeSeed =>
    customize((state) => {
      const alice = findMailboxState(state, 'alice')
      alice.language = 'de-DE'
      alice.calendar.name = 'Kalender'
    }),

  /** The auth certificate expires in `days` days (default 30). */
  authCertificateExpiringIn: (days = 30): FakeSeed =>
    customize((state, { today }) => {
      replaceAuthCertificate(state, authCertificate(addDays(today, days - 5 * 365), addDays(today, days)))
    }),

  /** The auth certificate expired ten days ago. */
  expiredAuthCertificate: (): FakeSeed =>
    customize((state, { today }) => {
      replaceAuthCertificate(state, authCertificate(addDays(today, -10 - 5 * 365), addDays(today, -10)))
    }),

  /** A next auth certificate is set (effective in `effectiveInDays`) and in the store, but not uploaded. */
  nextCertificateNotUploaded: (effectiveInDays = 20): FakeSeed =>
    customize((state, { today }) => {
      const next = authCertificate(today)
      for (const server of state.exchange.servers) {
        server.certificates.push(
          storedCertificate(next, 'Microsoft Exchange Server Auth Certificate', 'SMTP'),
        )
      }
      state.exchange.authConfig.nextCertificateThumbprint = next.thumbprint
      state.exchange.authConfig.nextCertificateEffectiveDate = addDays(today, effectiveInDays).toISOString()
    }),

  /** The tenant has no service principal for `appId` (default Teams Calendar Scheduler): no one consented to it. */
  missingServicePrincipal: (appId: string = appIds.teamsScheduler): FakeSeed =>
    customize((state) => {
      state.entra.servicePrincipals = state.entra.servicePrincipals.filter((p) => p.appId !== appId)
    }),

  /** No AuthServer: evoSTS was never configured. */
  noAuthServer: (): FakeSeed =>
    customize((state) => {
      state.exchange.authServers = []
    }),

  /** The organisation enforces an EWS allow list that lacks *SchedulingService*. */
  ewsAllowListWithoutScheduling: (): FakeSeed =>
    customize((state) => {
      state.exchange.organization.ews = {
        ewsApplicationAccessPolicy: 'EnforceAllowList',
        ewsAllowList: ['OWA/*', 'MacOutlook/*', 'Microsoft Office/*'],
        ewsBlockList: null,
        ewsEnabled: true,
      }
    }),

  /** A build whose New-MailUser has no -ApplicationAccount switch. */
  noApplicationAccountSwitch: (): FakeSeed =>
    customize((state) => {
      state.exchange.supportsApplicationAccount = false
    }),

  ...driftScenarios,
  /**
   * The admin already made TeamsSchedulerRole by hand: a child of `parent` with only `entries` (by
   * default without GetDelegate, so the procedure must add it before it removes the others).
   */
  adminMadeSchedulerRole: (
    entries: string[] = ['FindItem', 'GetItem', 'GetUserAvailability'],
    parent = 'UserApplication',
  ): FakeSeed =>
    customize((state) => {
      const parentRole = state.exchange.roles.find((r) => r.name === parent)
      if (!parentRole) throw new Error(`the seed has no role ${parent}`)
      state.exchange.roles.push({
        name: 'TeamsSchedulerRole',
        parent,
        roleType: parentRole.roleType,
        builtIn: false,
        description: 'made by hand',
        entries: parentRole.entries
          .filter((e) => entries.includes(e.name))
          .map((e) => ({ ...e, parameters: [...e.parameters] })),
        guid: deterministicGuid('role', state.exchange.organization.domain, 'teamsschedulerrole'),
      })
    }),

  /** An unrelated mail user that happens to be named TeamsScheduler, with an address of its own. */
  unrelatedTeamsSchedulerMailUser: (address = 'someone@fabrikam.com'): FakeSeed =>
    customize((state) => {
      state.exchange.mailUsers.push({
        name: 'TeamsScheduler',
        alias: 'TeamsScheduler',
        displayName: 'TeamsScheduler',
        externalEmailAddress: `SMTP:${address}`,
        hiddenFromAddressListsEnabled: false,
        applicationAccount: false,
        guid: deterministicGuid('mailUser', state.exchange.organization.domain, 'teamsscheduler'),
      })
    }),

  /**
   * TeamsScheduler and CloudVoicemail already exist, both linked to TeamsIntegration-ApplicationAccount
   * (as in CSS-Exchange's own Health Checker test data): that account, not hidden and holding no role
   * yet, is the one the applications act as.
   */
  linkedToAnotherAccount: (): FakeSeed =>
    customize((state) => {
      const { exchange } = state
      const name = 'TeamsIntegration-ApplicationAccount'
      exchange.mailUsers.push({
        name,
        alias: name,
        displayName: name,
        externalEmailAddress: `SMTP:${name}@${exchange.organization.domain}`,
        hiddenFromAddressListsEnabled: false,
        applicationAccount: true,
        guid: deterministicGuid('mailUser', exchange.organization.domain, name.toLowerCase()),
      })
      for (const [appName, appId] of [
        ['TeamsScheduler', appIds.teamsScheduler],
        ['CloudVoicemail', appIds.cloudVoicemail],
      ] as const) {
        exchange.partnerApplications.push({
          name: appName,
          applicationIdentifier: appId,
          enabled: true,
          linkedAccount: name,
          realm: '',
          useAuthServer: true,
          authMetadataUrl: null,
          accountType: 'OrganizationalAccount',
          guid: deterministicGuid('partnerApplication', exchange.organization.domain, appName.toLowerCase()),
        })
      }
    }),
  /** A large, deterministic organisation of delegators and delegates, with the ground truth of each verdict. */
  largeOrganisation,

  /** Several scenarios at once, applied in order. */
  combine: (...seeds: FakeSeed[]): FakeSeed => ({
    now: seeds.find((s) => s.now)?.now,
    ids: seeds.find((s) => s.ids)?.ids,
    exchange: Object.assign({}, ...seeds.map((s) => s.exchange ?? {})),
    entra: Object.assign({}, ...seeds.map((s) => s.entra ?? {})),
    customize: (state, context) => {
      for (const seed of seeds) seed.customize?.(state, context)
    },
  }),
}
