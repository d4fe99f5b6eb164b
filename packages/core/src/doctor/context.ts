import type { ProfileName } from '../input'
import { type CmdletCall, readFound, type Targets } from '../ports'

export interface DiagnoseOptions {
  profile: ProfileName
  /** The verified domain: the application accounts' addresses end in it, and the fix commands name it. */
  domain: string
  accounts?: { teams?: string; sfbonline?: string }
  /** Check the delegate's rights on the delegator's calendar (and verify the delegatePermission step). */
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
  `teams-oauth apply --profile ${profile} --domain ${options.domain}${options.targets ? ` ${options.targets}` : ''}`
