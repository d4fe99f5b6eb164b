import { appIds } from '@teams-oauth/core/adapter'
import { addDays, makeTestCertificate, startOfDayUtc } from './certificates'
import { deterministicGuid } from './ids'
import {
  authCertificate,
  builtInRole,
  mailbox,
  mailUser,
  noEwsPolicy,
  partnerApplication,
  roleAssignment,
  servicePrincipal,
  storedCertificate,
} from './seed-objects'
import type { EntraState, ExchangeState, FakeState } from './state'

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
      mailUser(domain, hybridAccount, { alias: 'ExchangeOnline-ApplicationAccount', hidden: true }),
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
      builtInRole(
        domain,
        'UserApplication',
        'This role enables server-to-server applications to access user mailboxes on behalf of users.',
      ),
      builtInRole(
        domain,
        'ArchiveApplication',
        'This role enables partner applications to archive items in user mailboxes.',
      ),
    ],
    roleAssignments: ['UserApplication', 'ArchiveApplication'].map((role) =>
      roleAssignment(domain, role, hybridAccount),
    ),
    roleGroups: [],
    partnerApplications: [
      partnerApplication(domain, 'Exchange Online', appIds.exchangeOnline, hybridAccount),
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
export { authCertificate } from './seed-objects'
export { scenarios } from './seed-scenarios'
