import { deterministicGuid } from './ids'
import { calendarNames } from './mailbox-folders'
import type { FakeSeed } from './seed'
import type { FolderPermissionState, MailboxState } from './state'

export interface LargeOrganisationOptions {
  /** How many user mailboxes (the default three are replaced). */
  mailboxes: number
  /** The share of mailboxes that are delegators (0 to 1); default 0.1. */
  delegatorsShare?: number
  /** The same seed gives the same organisation; default 1. */
  seed?: number
}

export type VerdictCounts = { ok: number; warn: number; fail: number }

/** What the generator put there, counted by hand, for a test to hold an audit against. */
export interface LargeOrganisationTruth {
  /** Relationships the default scope finds (delegates in GrantSendOnBehalfTo), by verdict. */
  delegators: VerdictCounts
  /** Relationships the `all` scope finds (also Editors, Authors and Owners without send-on-behalf). */
  all: VerdictCounts
  /** Mailboxes by language, and how many delegators. */
  languages: Record<string, number>
  delegatorMailboxes: number
  ewsDisabledDelegators: number
}

/** What kind of relationship a delegate has; the mix a real organisation shows. */
const kinds = [
  { kind: 'editor', weight: 55, rights: ['Editor'], sendOnBehalf: true, verdict: 'ok' },
  { kind: 'author', weight: 10, rights: ['Author'], sendOnBehalf: true, verdict: 'warn' },
  { kind: 'ownerOnly', weight: 10, rights: ['Owner'], sendOnBehalf: true, verdict: 'fail' },
  { kind: 'noSendOnBehalf', weight: 15, rights: ['Editor'], sendOnBehalf: false, verdict: 'fail' },
  { kind: 'noCalendarEntry', weight: 10, rights: [], sendOnBehalf: true, verdict: 'fail' },
] as const

const languages = [
  { language: 'en-US', weight: 70 },
  { language: 'de-DE', weight: 10 },
  { language: 'fr-FR', weight: 10 },
  { language: 'ja-JP', weight: 10 },
] as const

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pick<T extends { weight: number }>(items: readonly T[], r: number): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0)
  let at = r * total
  for (const item of items) {
    at -= item.weight
    if (at < 0) return item
  }
  return items[items.length - 1]!
}

/** Names as people have them, some hostile to a CSV or a shell: commas, quotes, apostrophes, a leading '='. */
const surnames = [
  'Wood',
  'Miller',
  "O'Brien",
  'Müller, Jr.',
  'Dupont "Jo"',
  '=1+1',
  '山田',
  'Nguyen',
  'Smith',
]

const emptyEws = {
  ewsApplicationAccessPolicy: null,
  ewsAllowList: null,
  ewsBlockList: null,
  ewsEnabled: null,
}

/**
 * A deterministic organisation of `mailboxes` user mailboxes: delegators with one to three delegates of
 * every kind (Editor, Author, Owner only, no send-on-behalf, no calendar entry), some with EWS disabled,
 * calendars in English, German, French and Japanese, colleagues who only read (not delegates); and the
 * ground truth of what an audit must find.
 */
export function largeOrganisation(options: LargeOrganisationOptions): FakeSeed & {
  truth: LargeOrganisationTruth
} {
  const count = options.mailboxes
  if (!Number.isInteger(count) || count < 2)
    throw new RangeError('largeOrganisation: mailboxes must be 2 or more')
  const share = options.delegatorsShare ?? 0.1
  if (!(share >= 0 && share <= 1)) throw new RangeError('largeOrganisation: delegatorsShare is from 0 to 1')
  const next = random(options.seed ?? 1)
  const domain = 'contoso.com'
  const truth: LargeOrganisationTruth = {
    delegators: { ok: 0, warn: 0, fail: 0 },
    all: { ok: 0, warn: 0, fail: 0 },
    languages: {},
    delegatorMailboxes: 0,
    ewsDisabledDelegators: 0,
  }
  const mailboxes: MailboxState[] = []
  for (let i = 0; i < count; i++) {
    const alias = `u${String(i).padStart(6, '0')}`
    const name = `${surnames[i % surnames.length]} ${alias}`
    const { language } = pick(languages, next())
    truth.languages[language] = (truth.languages[language] ?? 0) + 1
    mailboxes.push({
      name,
      alias,
      displayName: name,
      primarySmtpAddress: `${alias}@${domain}`,
      userPrincipalName: `${alias}@${domain}`,
      serverName: i % 2 ? 'EX02' : 'EX01',
      guid: deterministicGuid('mailbox', domain, alias),
      language,
      calendar: {
        name: calendarNames[language.slice(0, 2)] ?? 'Calendar',
        permissions: [
          { user: 'Default', accessRights: ['AvailabilityOnly'], sharingPermissionFlags: null },
          { user: 'Anonymous', accessRights: ['None'], sharingPermissionFlags: null },
        ],
      },
      cas: { ...emptyEws },
      grantSendOnBehalfTo: [],
    })
  }
  for (const mailbox of mailboxes) {
    // a colleague who may read the calendar is no delegate, in either scope
    if (next() < 0.2) {
      const reader = mailboxes[Math.floor(next() * count)]!
      if (reader !== mailbox)
        mailbox.calendar.permissions.push({
          user: reader.alias,
          accessRights: ['Reviewer'],
          sharingPermissionFlags: null,
        })
    }
    if (next() >= share) continue
    const ewsDisabled = next() < 0.05
    const wanted = 1 + Math.floor(next() * 3)
    const chosen = new Set<MailboxState>()
    while (chosen.size < Math.min(wanted, count - 1)) {
      const delegate = mailboxes[Math.floor(next() * count)]!
      if (delegate !== mailbox) chosen.add(delegate)
    }
    let inDefaultScope = false
    const relationships: (typeof kinds)[number][] = []
    for (const delegate of chosen) {
      const kind = pick(kinds, next())
      relationships.push(kind)
      // a reader who is also a delegate has one entry: the delegate's
      mailbox.calendar.permissions = mailbox.calendar.permissions.filter((p) => p.user !== delegate.alias)
      if (kind.rights.length > 0) {
        const entry: FolderPermissionState = {
          user: delegate.alias,
          accessRights: [...kind.rights],
          sharingPermissionFlags: kind.kind === 'editor' ? 'Delegate' : null,
        }
        mailbox.calendar.permissions.push(entry)
      }
      if (kind.sendOnBehalf) {
        mailbox.grantSendOnBehalfTo.push(delegate.alias)
        inDefaultScope = true
      }
    }
    if (ewsDisabled) {
      mailbox.cas.ewsEnabled = false
      truth.ewsDisabledDelegators++
    }
    truth.delegatorMailboxes++
    for (const kind of relationships) {
      const verdict = ewsDisabled ? 'fail' : kind.verdict
      truth.all[verdict]++
      if (inDefaultScope && kind.sendOnBehalf) truth.delegators[verdict]++
    }
  }
  return {
    truth,
    customize: (state) => {
      state.exchange.mailboxes = mailboxes
      state.exchange.servers.push({
        ...state.exchange.servers[0]!,
        name: 'EX02',
        fqdn: 'ex02.contoso.com',
        certificates: [],
      })
    },
  }
}
