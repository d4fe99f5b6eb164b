import { appIds } from '@teams-oauth/core/adapter'
import { deterministicGuid } from './ids'
import type { FakeSeed } from './seed'

/**
 * Organisations where an earlier, partial or hand-made setup left something half done: the cases
 * where the exported script and apply could part ways, so the script's comparison with apply covers them.
 */
export const driftScenarios = {
  /** A TeamsScheduler partner application already there, disabled and acting as no account. */
  unlinkedPartnerApp: (): FakeSeed => ({
    customize: (state) => {
      state.exchange.partnerApplications.push({
        name: 'TeamsScheduler',
        applicationIdentifier: appIds.teamsScheduler,
        enabled: false,
        linkedAccount: null,
        realm: '',
        useAuthServer: true,
        authMetadataUrl: null,
        accountType: 'OrganizationalAccount',
        guid: deterministicGuid('partnerApplication', state.exchange.organization.domain, 'drift'),
      })
    },
  }),

  /** TeamsSchedulerRole exists, but someone removed its GetDelegate entry. */
  roleWithoutGetDelegate: (): FakeSeed => ({
    customize: (state) => {
      const parent = state.exchange.roles.find((r) => r.name === 'UserApplication')
      state.exchange.roles.push({
        name: 'TeamsSchedulerRole',
        parent: 'UserApplication',
        roleType: 'UserApplication',
        builtIn: false,
        description: parent?.description ?? '',
        entries: (parent?.entries ?? []).filter((e) => ['GetItem', 'FindItem'].includes(e.name)),
        guid: deterministicGuid('role', state.exchange.organization.domain, 'teamsschedulerrole'),
      })
    },
  }),

  /** Another application holds the name TeamsScheduler: apply is blocked before any change. */
  partnerAppNameTaken: (): FakeSeed => ({
    customize: (state) => {
      state.exchange.partnerApplications.push({
        name: 'TeamsScheduler',
        applicationIdentifier: '11111111-2222-3333-4444-555555555555',
        enabled: true,
        linkedAccount: null,
        realm: '',
        useAuthServer: true,
        authMetadataUrl: null,
        accountType: 'OrganizationalAccount',
        guid: deterministicGuid('partnerApplication', state.exchange.organization.domain, 'name taken'),
      })
    },
  }),

  /** A second Exchange server holds the auth certificate; the first (where a script runs) does not. */
  authCertificateOnAnotherServer: (): FakeSeed => ({
    customize: (state) => {
      const [first] = state.exchange.servers
      if (!first) return
      const thumbprint = state.exchange.authConfig.currentCertificateThumbprint
      const auth = first.certificates.filter((c) => c.thumbprint === thumbprint)
      first.certificates = first.certificates.filter((c) => c.thumbprint !== thumbprint)
      state.exchange.servers.push({
        ...first,
        name: 'EX02',
        fqdn: 'ex02.contoso.com',
        certificates: auth,
      })
    },
  }),
} satisfies Record<string, () => FakeSeed>
