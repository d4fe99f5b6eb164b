import { TeamsOAuthError } from '../errors'
import { type MailboxDelegationObject, mailboxDelegationObject } from '../exchange-objects'
import type { CmdletCall, CmdletObject, ExchangePort, ReadOptions, Targets } from '../ports'
import { identityName } from '../steps/step'
import { canWriteCalendar, delegatorEws, evaluateDelegatePair } from './evaluate'
import type { DelegateFinding } from './finding'
import { readCalendar, readCalendarPermissions, readCasMailbox } from './read'

export const auditScopes = ['delegators', 'all'] as const
export type AuditScope = (typeof auditScopes)[number]

/** Exchange's default throttling policy allows 18 PowerShell connections per admin (PowerShellMaxConcurrency); 16 leaves room for the admin's own shells. */
export const maxAuditConcurrency = 16
export const defaultAuditConcurrency = 4

export interface AuditProgress {
  /** Mailboxes listed so far, and whether the list is complete (then it is the total). */
  listed: number
  listingDone: boolean
  /** Mailboxes audited (those skipped from a checkpoint included). */
  audited: number
  relationships: number
}

export interface AuditOptions {
  /** 'delegators' (default): mailboxes with someone in GrantSendOnBehalfTo; 'all': every user mailbox's calendar. */
  scope?: AuditScope
  /** Mailboxes audited at once, each read on its own session when the port is a pool (default 4, at most 16). */
  concurrency?: number
  /** Mailboxes (by alias) a checkpoint says are done: not read again. */
  skip?: (alias: string) => boolean
  /** Called when a mailbox is done, before its findings are yielded: the moment to record it in a checkpoint. */
  onMailbox?: (done: { alias: string; findings: DelegateFinding[] }) => void | Promise<void>
  onProgress?: (progress: AuditProgress) => void
  /** Stops starting new mailboxes; those under way finish (and reach onMailbox) first. */
  signal?: AbortSignal
}

/** The one Get-Mailbox of the audit: streamed, only the properties the audit needs. */
export function mailboxListCall(scope: AuditScope): { call: CmdletCall; options: ReadOptions } {
  return {
    call: {
      cmdlet: 'Get-Mailbox',
      params:
        scope === 'all'
          ? { ResultSize: 'Unlimited', RecipientTypeDetails: ['UserMailbox'] }
          : { ResultSize: 'Unlimited', Filter: 'GrantSendOnBehalfTo -ne $null' },
    },
    options: { select: ['Name', 'Alias', 'DisplayName', 'GrantSendOnBehalfTo'] },
  }
}

async function* listMailboxes(exchange: ExchangePort, scope: AuditScope): AsyncIterable<CmdletObject> {
  const { call, options } = mailboxListCall(scope)
  if (exchange.stream) yield* exchange.stream(call, options)
  else yield* await exchange.invoke(call, options)
}

const isSpecialUser = (user: string) => /^(default|anonymous)$/i.test(user)

/** One mailbox's delegate relationships, judged: two reads (calendar, its permissions), a third only when it has any. */
export async function auditMailbox(
  exchange: ExchangePort,
  mailbox: MailboxDelegationObject,
  scope: AuditScope,
): Promise<DelegateFinding[]> {
  const delegator = mailbox.Alias
  const calendar = await readCalendar(exchange, delegator)
  const permissions = calendar ? await readCalendarPermissions(exchange, delegator, calendar) : []
  const byName = new Map(permissions.map((p) => [p.User.toLowerCase(), p]))
  // Folder permissions name people by display name, GrantSendOnBehalfTo by identity (…/Users/<name>)
  const sendOnBehalf = new Set(mailbox.GrantSendOnBehalfTo.map((id) => identityName(id).toLowerCase()))
  const delegates = new Map<string, string>()
  for (const id of mailbox.GrantSendOnBehalfTo)
    delegates.set(identityName(id).toLowerCase(), identityName(id))
  if (scope === 'all')
    for (const p of permissions) {
      const self = [mailbox.Name, mailbox.DisplayName ?? ''].some(
        (n) => n.toLowerCase() === p.User.toLowerCase(),
      )
      if (!isSpecialUser(p.User) && !self && canWriteCalendar(p.AccessRights))
        delegates.set(p.User.toLowerCase(), p.User)
    }
  if (delegates.size === 0) return []
  const ews = delegatorEws(await readCasMailbox(exchange, delegator))
  return [...delegates].map(([key, delegate]) => {
    const entry = byName.get(key)
    return evaluateDelegatePair({
      delegator,
      delegatorName: mailbox.DisplayName ?? mailbox.Name,
      delegate,
      calendar,
      rights: entry?.AccessRights ?? [],
      hasEntry: Boolean(entry),
      sendOnBehalf: sendOnBehalf.has(key),
      ews,
    })
  })
}

export function auditConcurrency(value: number | undefined): number {
  const n = value ?? defaultAuditConcurrency
  if (!Number.isInteger(n) || n < 1 || n > maxAuditConcurrency)
    throw new TeamsOAuthError(
      'INPUT_INVALID',
      `concurrency: ${n} is not a whole number from 1 to ${maxAuditConcurrency}; Exchange's default throttling policy allows a handful of PowerShell connections per admin (--concurrency 4)`,
      {
        issues: [
          {
            field: 'concurrency',
            problem: `${n} is not a whole number from 1 to ${maxAuditConcurrency}`,
            fix: '--concurrency 4',
          },
        ],
      },
    )
  return n
}

interface Done {
  key: number
  alias: string
  findings: DelegateFinding[]
}

/**
 * Every delegate relationship in the organisation, judged, one finding at a time. Pure over the
 * ports: one streamed Get-Mailbox, then per mailbox the calendar and its permissions (and the
 * delegator's EWS state when it has delegates), `concurrency` mailboxes at once. Nothing holds every
 * mailbox: findings are yielded as each mailbox is done.
 */
export async function* auditDelegates(
  targets: Pick<Targets, 'exchange'>,
  options: AuditOptions = {},
): AsyncGenerator<DelegateFinding> {
  const scope = options.scope ?? 'delegators'
  const concurrency = auditConcurrency(options.concurrency)
  const source = listMailboxes(targets.exchange, scope)[Symbol.asyncIterator]()
  const inFlight = new Map<number, Promise<Done>>()
  const progress: AuditProgress = { listed: 0, listingDone: false, audited: 0, relationships: 0 }
  let key = 0
  try {
    for (;;) {
      while (!progress.listingDone && inFlight.size < concurrency && !options.signal?.aborted) {
        const next = await source.next()
        if (next.done) {
          progress.listingDone = true
          break
        }
        progress.listed++
        const mailbox = mailboxDelegationObject.parse(next.value)
        if (options.skip?.(mailbox.Alias)) {
          progress.audited++
          continue
        }
        if (scope === 'delegators' && mailbox.GrantSendOnBehalfTo.length === 0) {
          progress.audited++
          continue
        }
        const k = key++
        const task = auditMailbox(targets.exchange, mailbox, scope).then((findings) => ({
          key: k,
          alias: mailbox.Alias,
          findings,
        }))
        // a failure is seen through race below; the others must not be unhandled meanwhile
        task.catch(() => {})
        inFlight.set(k, task)
      }
      if (inFlight.size === 0) break
      const done = await Promise.race(inFlight.values())
      inFlight.delete(done.key)
      await options.onMailbox?.({ alias: done.alias, findings: done.findings })
      progress.audited++
      progress.relationships += done.findings.length
      options.onProgress?.({ ...progress })
      yield* done.findings
    }
  } finally {
    await source.return?.()
  }
  options.onProgress?.({ ...progress })
}
