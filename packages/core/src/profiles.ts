import { appIds, appNames } from './app-ids'
import type { ProfileName, ValidInput } from './input'
import type { Step } from './steps'

/** The address the procedure gives an application account. */
export const applicationAccountAddress = (name: string, domain: string) =>
  `${name.endsWith('-ApplicationAccount') ? name : `${name}-ApplicationAccount`}@${domain}`

const servicePrincipalKey = (appId: string): Step => ({
  kind: 'servicePrincipalKey',
  id: `entra.key.${appId}`,
  appId,
  displayName: appNames[appId] ?? appId,
})

/**
 * The account a partner application acts as: a mail user at the verified domain (made with
 * -ApplicationAccount where the procedure says so), hidden from the address lists.
 */
const hiddenAccount = (
  user: string,
  domain: string,
  forApplication: string,
  applicationAccount: boolean,
): Step[] => [
  {
    kind: 'mailUser',
    id: `mailUser.${user}`,
    name: user,
    externalEmailAddress: applicationAccountAddress(user, domain),
    applicationAccount,
    forApplication,
  },
  { kind: 'hiddenFromAddressLists', id: `hidden.${user}`, user },
]

const authCertificate: Step = { kind: 'authCertificate', id: 'exchange.authCertificate' }

/** Microsoft's 2019 procedure, the seed's: Skype for Business Online's partner application. */
export function sfbonline(input: ValidInput): Step[] {
  const user = input.accounts.sfbonline
  return [
    ...hiddenAccount(user, input.domain, appIds.skypeForBusinessOnline, false),
    { kind: 'roleAssignment', id: `assignment.UserApplication.${user}`, role: 'UserApplication', user },
    { kind: 'roleAssignment', id: `assignment.ArchiveApplication.${user}`, role: 'ArchiveApplication', user },
    {
      kind: 'partnerApplication',
      id: 'partnerApplication.SfBOnline',
      name: 'SfBOnline',
      applicationIdentifier: appIds.skypeForBusinessOnline,
      linkedAccount: user,
    },
    authCertificate,
    servicePrincipalKey(appIds.skypeForBusinessOnline),
  ]
}

/** Microsoft's June 2025 procedure: Teams Calendar Scheduler and Cloud Voicemail; the legacy app stays. */
export function teams(input: ValidInput): Step[] {
  const user = input.accounts.teams
  return [
    ...hiddenAccount(user, input.domain, appIds.teamsScheduler, true),
    {
      kind: 'managementRole',
      id: 'managementRole.TeamsSchedulerRole',
      name: 'TeamsSchedulerRole',
      parent: 'UserApplication',
      keepEntries: ['GetDelegate'],
    },
    { kind: 'roleAssignment', id: `assignment.TeamsSchedulerRole.${user}`, role: 'TeamsSchedulerRole', user },
    {
      kind: 'partnerApplication',
      id: 'partnerApplication.TeamsScheduler',
      name: 'TeamsScheduler',
      applicationIdentifier: appIds.teamsScheduler,
      linkedAccount: user,
    },
    {
      kind: 'partnerApplication',
      id: 'partnerApplication.CloudVoicemail',
      name: 'CloudVoicemail',
      applicationIdentifier: appIds.cloudVoicemail,
      linkedAccount: null,
    },
    authCertificate,
    servicePrincipalKey(appIds.cloudVoicemail),
    servicePrincipalKey(appIds.teamsScheduler),
    servicePrincipalKey(appIds.skypeForBusinessOnline),
  ]
}

/** Both, Exchange steps first and the certificate uploads last, each step once. */
export function all(input: ValidInput): Step[] {
  const steps: Step[] = []
  for (const step of [...sfbonline(input), ...teams(input)])
    if (!steps.some((s) => s.id === step.id)) steps.push(step)
  const entra = steps.filter((s) => s.kind === 'servicePrincipalKey')
  const certificate = steps.filter((s) => s.kind === 'authCertificate')
  return [
    ...steps.filter((s) => s.kind !== 'servicePrincipalKey' && s.kind !== 'authCertificate'),
    ...certificate,
    ...entra,
  ]
}

export const profiles: Record<ProfileName, (input: ValidInput) => Step[]> = { sfbonline, teams, all }
