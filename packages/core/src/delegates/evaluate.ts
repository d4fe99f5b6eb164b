import { ewsVerdict } from '../doctor/ews-checks'
import type { CasMailboxObject } from '../exchange-objects'
import { quote } from '../script/quote'
import type { DelegateFinding, DelegateVerdict, DelegatorEws } from './finding'

/** The rights an entry gives, in the terms that matter for a delegate adding a Teams meeting. */
export type RightsLevel = 'editor' | 'author' | 'ownerOnly' | 'insufficient' | 'none'

const has = (rights: string[], ...wanted: string[]) =>
  wanted.every((w) => rights.some((r) => r.toLowerCase() === w.toLowerCase()))

export function rightsLevel(rights: string[]): RightsLevel {
  if (rights.length === 0 || (rights.length === 1 && has(rights, 'None'))) return 'none'
  // Editor, or a role or custom set that holds what Editor gives (PublishingEditor, …)
  if (
    has(rights, 'Editor') ||
    has(rights, 'PublishingEditor') ||
    has(rights, 'CreateItems', 'ReadItems', 'EditAllItems', 'DeleteAllItems')
  )
    return 'editor'
  if (has(rights, 'Author') || has(rights, 'PublishingAuthor')) return 'author'
  if (has(rights, 'Owner')) return 'ownerOnly'
  return 'insufficient'
}

/** Whether an entry on a calendar looks like a delegate's: it can create items there (Author and up, Owner). */
export const canWriteCalendar = (rights: string[]) => {
  const level = rightsLevel(rights)
  return level === 'editor' || level === 'author' || level === 'ownerOnly' || has(rights, 'CreateItems')
}

/** The EWS part of Get-CASMailbox, as the audit and the doctor judge it. */
export function delegatorEws(cas: CasMailboxObject | null): DelegatorEws {
  if (!cas) return { ewsEnabled: null, ewsApplicationAccessPolicy: null, schedulingAllowed: true }
  const policy = ewsVerdict(cas.EwsApplicationAccessPolicy, cas.EwsAllowList, cas.EwsBlockList)
  return {
    ewsEnabled: cas.EwsEnabled,
    ewsApplicationAccessPolicy: cas.EwsApplicationAccessPolicy,
    schedulingAllowed: policy.status === 'pass',
  }
}

/** What was read about one pair. */
export interface DelegatePairFacts {
  delegator: string
  delegatorName: string
  /** The delegate as the fix commands name them (-User). */
  delegate: string
  calendar: string | null
  rights: string[]
  /** Whether the delegate already has an entry on the calendar (Set-, else Add-MailboxFolderPermission). */
  hasEntry: boolean
  sendOnBehalf: boolean
  ews: DelegatorEws
}

const worst = (a: DelegateVerdict, b: DelegateVerdict): DelegateVerdict =>
  a === 'fail' || b === 'fail' ? 'fail' : a === 'warn' || b === 'warn' ? 'warn' : 'ok'

/** Outlook's Delegate Access steps, the only way to make someone a delegate on Exchange Server. */
export const delegateAccessSteps = (delegator: string, delegate: string) =>
  `On Exchange Server the delegate flag and send-on-behalf are set in Outlook's Delegate Access (no Exchange Server cmdlet sets the delegate flag): in Outlook for Windows signed in as ${delegator}, File > Account Settings > Delegate Access > Add, choose ${delegate}, set Calendar to Editor, OK.`

/**
 * The rule for one delegate relationship, the one home of it (the audit and the doctor both call it):
 * Editor on the calendar, send-on-behalf, and EWS open to the scheduling service.
 */
export function evaluateDelegatePair(facts: DelegatePairFacts): DelegateFinding {
  let verdict: DelegateVerdict = 'ok'
  const reasons: string[] = []
  const fix: string[] = []
  const fail = (reason: string) => {
    verdict = 'fail'
    reasons.push(reason)
  }
  const { delegator, delegate, calendar } = facts
  let relationship = false
  if (calendar === null) fail(`no calendar folder found in ${delegator}'s mailbox`)
  else {
    const folder = `${delegator}:\\${calendar}`
    const grantEditor = `${facts.hasEntry ? 'Set' : 'Add'}-MailboxFolderPermission -Identity ${quote(folder)} -User ${quote(delegate)} -AccessRights Editor`
    const level = rightsLevel(facts.rights)
    if (level === 'author') {
      verdict = worst(verdict, 'warn')
      reasons.push(
        "Author on the calendar: it works per the project's notes, but Microsoft's troubleshooting article and Outlook's Delegate Access give Editor",
      )
      fix.push(grantEditor)
    } else if (level === 'ownerOnly') {
      fail(
        'Owner without Editor: a delegate holding only Owner cannot add a Teams meeting (the original write-up)',
      )
      fix.push(grantEditor)
    } else if (level !== 'editor') {
      fail(`no Editor on the calendar (${facts.rights.length ? facts.rights.join(', ') : 'no permission'})`)
      fix.push(grantEditor)
    }
    relationship = level !== 'editor'
  }
  if (!facts.sendOnBehalf) {
    fail(`${delegate} is not in ${delegator}'s GrantSendOnBehalfTo`)
    fix.push(`Set-Mailbox -Identity ${quote(delegator)} -GrantSendOnBehalfTo @{Add=${quote(delegate)}}`)
    relationship = true
  }
  if (facts.ews.ewsEnabled === false) {
    fail(
      `EWS is disabled on ${delegator}'s mailbox (EwsEnabled $false): the scheduling service cannot reach it`,
    )
    fix.push(`Set-CASMailbox -Identity ${quote(delegator)} -EwsEnabled $true`)
  }
  if (!facts.ews.schedulingAllowed) {
    fail(`${delegator}'s EWS application access policy turns the scheduling service away`)
    fix.push(
      facts.ews.ewsApplicationAccessPolicy === 'EnforceBlockList'
        ? `Set-CASMailbox -Identity ${quote(delegator)} -EwsBlockList @{Remove='*SchedulingService*'}`
        : `Set-CASMailbox -Identity ${quote(delegator)} -EwsAllowList @{Add='*SchedulingService*'}`,
    )
  }
  return {
    delegator,
    delegatorName: facts.delegatorName,
    delegate,
    calendar,
    rights: facts.rights,
    sendOnBehalf: facts.sendOnBehalf,
    ews: facts.ews,
    verdict,
    reasons,
    fix,
    note: relationship && calendar !== null ? delegateAccessSteps(delegator, delegate) : null,
  }
}
