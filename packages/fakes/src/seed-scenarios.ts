import { appIds } from '@teams-oauth/core/adapter'
import { addDays, describeCertificate, type TestCertificate } from './certificates'
import { graphDate } from './entra-model'
import { deterministicGuid } from './ids'
import { largeOrganisation } from './large-organisation'
import type { FakeSeed } from './seed'
import { driftScenarios } from './seed-drift'
import {
  authCertificate,
  mailUser,
  partnerApplication,
  roleAssignment,
  storedCertificate,
} from './seed-objects'
import type { FakeState, MailboxState, StoredCertificateState } from './state'

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
  const { domain } = exchange.organization
  const name = 'SfBOnline-ApplicationAccount'
  exchange.mailUsers.push(mailUser(domain, name, { hidden: true }))
  for (const role of ['UserApplication', 'ArchiveApplication'])
    exchange.roleAssignments.push(roleAssignment(domain, role, name))
  exchange.partnerApplications.push(
    partnerApplication(domain, 'SfBOnline', appIds.skypeForBusinessOnline, name),
  )
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
      state.exchange.mailUsers.push(
        mailUser(state.exchange.organization.domain, 'TeamsScheduler', { address }),
      )
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
      const { domain } = exchange.organization
      exchange.mailUsers.push(mailUser(domain, name, { applicationAccount: true }))
      for (const [appName, appId] of [
        ['TeamsScheduler', appIds.teamsScheduler],
        ['CloudVoicemail', appIds.cloudVoicemail],
      ] as const) {
        exchange.partnerApplications.push(partnerApplication(domain, appName, appId, name))
      }
    }),
  /**
   * SfBOnline-ApplicationAccount exists, hidden, and holds no role of its own: it is a member (with
   * bob) of the role group "Partner Application Accounts", whose assignments of UserApplication and
   * ArchiveApplication are `enabled` or not. With `ownDisabled` the account also has its own
   * assignments of both roles, disabled, listed after the group's.
   */
  legacyAccountInRoleGroup: ({ enabled = true, ownDisabled = false } = {}): FakeSeed =>
    customize((state) => {
      const { exchange } = state
      const { domain } = exchange.organization
      const account = mailUser(domain, 'SfBOnline-ApplicationAccount', { hidden: true })
      const bob = findMailboxState(state, 'bob')
      const group = 'Partner Application Accounts'
      exchange.mailUsers.push(account)
      exchange.roleGroups.push({
        name: group,
        description: 'Accounts that partner applications act as.',
        members: [account.guid, bob.guid],
        guid: deterministicGuid('roleGroup', domain, group.toLowerCase()),
      })
      for (const role of ['UserApplication', 'ArchiveApplication']) {
        exchange.roleAssignments.push({ ...roleAssignment(domain, role, group, 'RoleGroup'), enabled })
      }
      if (ownDisabled)
        for (const role of ['UserApplication', 'ArchiveApplication'])
          exchange.roleAssignments.push({ ...roleAssignment(domain, role, account.name), enabled: false })
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
