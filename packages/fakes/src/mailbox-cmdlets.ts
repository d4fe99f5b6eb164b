import {
  type CmdletContext,
  cannotConvert,
  existing,
  getHandler,
  type Handler,
  notFound,
} from './exchange-cmdlet-context'
import { exchangeError, parameterBindingError } from './exchange-errors'
import { findMailbox } from './exchange-model'
import { casMailboxObject, mailboxObject } from './exchange-objects'
import { folderStatisticsObject, mailboxFolders } from './mailbox-folders'
import type { MailboxState } from './state'

/** Mailboxes, their folders and their EWS policy: Get-/Set-Mailbox, Get-/Set-CASMailbox, Get-MailboxFolderStatistics. */

/** The one OPATH filter the model understands: mailboxes with anyone in GrantSendOnBehalfTo. */
const sendOnBehalfFilter = /^\s*\(?\s*GrantSendOnBehalfTo\s+-ne\s+\$null\s*\)?\s*$/i

/** The mailboxes a Get-Mailbox without -Identity lists, lazily: 100,000 of them are never copied at once. */
export function* listedMailboxes(
  ctx: Pick<CmdletContext, 'state' | 'params' | 'cmdlet'>,
): Generator<MailboxState> {
  const { state, params } = ctx
  const types = params.strings('RecipientTypeDetails')
  if (types && !types.some((t) => t.toLowerCase() === 'usermailbox')) return
  const filter = params.string('Filter')
  if (filter !== undefined && !sendOnBehalfFilter.test(filter))
    throw exchangeError(
      ctx.cmdlet,
      'ParserException',
      `Cannot bind parameter 'Filter' to the target. Exception setting "Filter": the fake organisation understands only "GrantSendOnBehalfTo -ne $null", not "${filter}".`,
      { category: 'InvalidArgument', target: filter },
    )
  // without -ResultSize Unlimited, Exchange stops at 1000 and warns; the model does the same
  const limit = resultSize(ctx)
  let count = 0
  for (const mailbox of state.mailboxes) {
    if (filter !== undefined && mailbox.grantSendOnBehalfTo.length === 0) continue
    if (count++ >= limit) return
    yield mailbox
  }
}

function resultSize(ctx: Pick<CmdletContext, 'params' | 'cmdlet'>): number {
  const value = ctx.params.string('ResultSize')
  if (value === undefined) return 1000
  if (value.toLowerCase() === 'unlimited') return Number.POSITIVE_INFINITY
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1)
    throw cannotConvert(ctx, 'ResultSize', value, 'Microsoft.Exchange.Data.Unlimited`1[System.UInt32]')
  return n
}

const getMailbox: Handler = (ctx) => {
  const { state, params } = ctx
  const identity = params.string('Identity')
  if (identity === undefined) return [...listedMailboxes(ctx)].map((m) => mailboxObject(state, m))
  const mailbox = findMailbox(state, identity)
  if (!mailbox) throw notFound(ctx, identity)
  return [mailboxObject(state, mailbox)]
}

/** A multi-valued parameter: a list replaces the values, @{Add=…; Remove=…} edits them. */
function multiValued(
  ctx: CmdletContext,
  name: string,
  current: string[],
  resolve: (value: string) => string,
): string[] {
  const raw = ctx.params.values.get(name)
  const list = (value: unknown): string[] =>
    value == null ? [] : (Array.isArray(value) ? value : [value]).map((v) => resolve(String(v)))
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && !('$bytes' in raw)) {
    const edits = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]))
    const removed = list(edits.remove).map((v) => v.toLowerCase())
    const kept = current.filter((v) => !removed.includes(v.toLowerCase()))
    for (const added of list(edits.add))
      if (!kept.some((v) => v.toLowerCase() === added.toLowerCase())) kept.push(added)
    return kept
  }
  return list(raw)
}

const setMailbox: Handler = (ctx) => {
  const mailbox = existing(ctx, findMailbox)
  if (!ctx.params.has('GrantSendOnBehalfTo')) return []
  const next = multiValued(ctx, 'GrantSendOnBehalfTo', mailbox.grantSendOnBehalfTo, (value) => {
    const recipient = findMailbox(ctx.state, value)
    if (!recipient) throw notFound(ctx, value)
    return recipient.alias
  })
  ctx.write(mailbox.alias, () => {
    mailbox.grantSendOnBehalfTo = next
  })
  return []
}

const folderScopes = [
  'All',
  'Calendar',
  'Contacts',
  'ConversationHistory',
  'DeletedItems',
  'Drafts',
  'Inbox',
  'JunkEmail',
  'Journal',
  'LegacyArchiveJournals',
  'ManagedCustomFolder',
  'NonIpmRoot',
  'Notes',
  'Outbox',
  'Personal',
  'RecoverableItems',
  'RssSubscriptions',
  'SentItems',
  'SyncIssues',
  'Tasks',
]

const getMailboxFolderStatistics: Handler = (ctx) => {
  const { params } = ctx
  const mailbox = existing(ctx, findMailbox)
  const scopeValue = params.string('FolderScope') ?? 'All'
  const scope = folderScopes.find((s) => s.toLowerCase() === scopeValue.toLowerCase())
  if (!scope) {
    throw parameterBindingError(
      ctx.cmdlet,
      'CannotConvertArgumentNoMessage',
      `Cannot bind parameter 'FolderScope'. Cannot convert value "${scopeValue}" to type "Microsoft.Exchange.Data.Directory.SystemConfiguration.ElcFolderType". Error: "Unable to match the identifier name ${scopeValue} to a valid enumerator name. Specify one of the following enumerator names and try again:\n${folderScopes.join(', ')}"`,
      'FolderScope',
    )
  }
  return mailboxFolders(mailbox)
    .filter((folder) => scope === 'All' || folder.folderType === scope)
    .map((folder) => folderStatisticsObject(mailbox, folder))
}

const setCasMailbox: Handler = (ctx) => {
  const mailbox = existing(ctx, findMailbox)
  const enabled = ctx.params.boolean('EwsEnabled')
  if (ctx.params.has('EwsEnabled'))
    ctx.write(mailbox.alias, () => {
      mailbox.cas.ewsEnabled = enabled ?? null
    })
  return []
}

export const mailboxCmdlets: Record<string, Handler> = {
  'Get-Mailbox': getMailbox,
  'Set-Mailbox': setMailbox,
  'Get-MailboxFolderStatistics': getMailboxFolderStatistics,
  'Get-CASMailbox': getHandler((state) => state.mailboxes, findMailbox, casMailboxObject),
  'Set-CASMailbox': setCasMailbox,
}
