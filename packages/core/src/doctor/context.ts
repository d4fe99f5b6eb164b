import { appIds } from '../app-ids'
import type { ProfileName } from '../input'
import { type CmdletCall, readFound, type Targets } from '../ports'

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

export const wantedApps = (options: DiagnoseOptions): PartnerAppWanted[] => {
  const teams = options.accounts?.teams ?? 'TeamsScheduler'
  const sfb = options.accounts?.sfbonline ?? 'SfBOnline-ApplicationAccount'
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
