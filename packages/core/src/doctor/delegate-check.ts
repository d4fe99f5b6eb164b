import { delegatorEws, evaluateDelegatePair } from '../delegates/evaluate'
import { readCalendar, readCalendarPermissions, readCasMailbox } from '../delegates/read'
import { mailboxDelegationObject } from '../exchange-objects'
import type { Targets } from '../ports'
import { quote } from '../script/quote'
import { sameName } from '../steps/step'
import { type Check, type CheckStatus, check } from './checks'
import { read } from './context'

const statusOf = { ok: 'pass', warn: 'warn', fail: 'fail' } as const satisfies Record<string, CheckStatus>

/** One pair, judged by the audit's own rule (evaluateDelegatePair); an unknown mailbox is a failed check. */
export async function delegateCheck(targets: Targets, delegate: string, delegator: string): Promise<Check> {
  const title = `${delegate} as ${delegator}'s delegate (calendar rights, send-on-behalf, EWS)`
  const mailbox = async (identity: string) => {
    const [found] = await read(targets, { cmdlet: 'Get-Mailbox', params: { Identity: identity } })
    return found ? mailboxDelegationObject.parse(found) : null
  }
  const owner = await mailbox(delegator)
  const person = await mailbox(delegate)
  const unknown = [!owner && delegator, !person && delegate].filter(Boolean)
  if (!owner || !person)
    return check(
      'delegate.rights',
      title,
      'fail',
      unknown.map((name) => `${name}: no such mailbox in this organisation`),
      `Get-Mailbox -Identity ${quote(String(unknown[0]))}`,
      'Name the delegate and the delegator by alias, address or name of mailboxes on this Exchange organisation.',
    )
  const calendar = await readCalendar(targets.exchange, delegator)
  const [entry] = calendar
    ? await readCalendarPermissions(targets.exchange, delegator, calendar, delegate)
    : []
  const rights = entry?.AccessRights ?? []
  const sendOnBehalf = owner.GrantSendOnBehalfTo.some((id) => sameName(id, person.Name))
  const ews = delegatorEws(await readCasMailbox(targets.exchange, delegator))
  const finding = evaluateDelegatePair({
    delegator,
    delegatorName: owner.DisplayName ?? owner.Name,
    delegate,
    calendar,
    rights,
    hasEntry: Boolean(entry),
    sendOnBehalf,
    ews,
  })
  const evidence = [
    calendar ? `calendar folder: ${calendar}` : `no calendar folder found for ${delegator}`,
    `${delegate}: ${rights.length ? rights.join(', ') : 'no permission'}`,
    `send on behalf of ${delegator}: ${sendOnBehalf ? 'yes' : 'no'}`,
    `EWS on ${delegator}'s mailbox: ${ews.ewsEnabled === false ? 'disabled' : 'enabled'}${ews.schedulingAllowed ? '' : ', scheduling service not allowed'}`,
  ]
  const explanation = [...finding.reasons, ...(finding.note ? [finding.note] : [])].join(' ')
  return check(
    'delegate.rights',
    title,
    statusOf[finding.verdict],
    evidence,
    finding.fix.length ? finding.fix.join('; ') : null,
    explanation || null,
  )
}
