import { appIds } from '../app-ids'
import type { PartnerApplicationObject } from '../exchange-objects'
import type { ProfileName } from '../input'
import { type CmdletCall, readFound, type Targets } from '../ports'
import { identityName } from '../steps/step'

export interface DiagnoseOptions {
  profile: ProfileName
  /** The verified domain, for the fix commands. */
  domain?: string
  accounts?: { teams?: string; sfbonline?: string }
  /** Check the delegate's rights on the delegator's calendar. */
  delegate?: string
  delegator?: string
  /** Graph's base URL, so a national cloud is named with Microsoft's support there. */
  graphUrl?: string
  /** The options naming the targets of this run (`--exchange … --entra …`), repeated in the fix commands. */
  targets?: string
  now?: Date
}

export const expiryWarningDays = 60 // as Exchange's Health Checker
export const expiryFailDays = 30

export const read = (targets: Targets, call: CmdletCall) => readFound(targets.exchange, call)

export const applyFix = (options: DiagnoseOptions, profile: ProfileName = options.profile) =>
  `teams-oauth apply --profile ${profile} --domain ${options.domain ?? '<verified domain>'}${options.targets ? ` ${options.targets}` : ''}`

export interface PartnerAppWanted {
  name: string
  appId: string
  account: string | null
  roles: string[]
}

/** The account a partner application already acts as (its name), or null when it acts as none or is absent. */
export const linkedAccountName = (
  partnerApps: readonly Pick<PartnerApplicationObject, 'ApplicationIdentifier' | 'LinkedAccount'>[],
  appId: string,
): string | null => {
  const app = partnerApps.find((a) => a.ApplicationIdentifier.toLowerCase() === appId.toLowerCase())
  return app?.LinkedAccount ? identityName(app.LinkedAccount) : null
}

/**
 * The partner applications a profile needs and the account each acts as: the one it is already
 * linked to when it is (Exchange evaluates RBAC for the linked account), else the procedure's.
 */
export const wantedApps = (
  options: DiagnoseOptions,
  partnerApps: readonly Pick<PartnerApplicationObject, 'ApplicationIdentifier' | 'LinkedAccount'>[] = [],
): PartnerAppWanted[] => {
  const teams =
    linkedAccountName(partnerApps, appIds.teamsScheduler) ?? options.accounts?.teams ?? 'TeamsScheduler'
  const sfb =
    linkedAccountName(partnerApps, appIds.skypeForBusinessOnline) ??
    options.accounts?.sfbonline ??
    'SfBOnline-ApplicationAccount'
  const teamsApps = [
    { name: 'TeamsScheduler', appId: appIds.teamsScheduler, account: teams, roles: ['TeamsSchedulerRole'] },
    { name: 'CloudVoicemail', appId: appIds.cloudVoicemail, account: null, roles: [] },
  ]
  const sfbApps = [
    {
      name: 'SfBOnline',
      appId: appIds.skypeForBusinessOnline,
      account: sfb,
      roles: ['UserApplication', 'ArchiveApplication'],
    },
  ]
  return options.profile === 'teams'
    ? teamsApps
    : options.profile === 'sfbonline'
      ? sfbApps
      : [...sfbApps, ...teamsApps]
}

export const servicePrincipalsFor = (profile: ProfileName): string[] =>
  profile === 'sfbonline'
    ? [appIds.skypeForBusinessOnline]
    : [appIds.cloudVoicemail, appIds.teamsScheduler, appIds.skypeForBusinessOnline]
