import type { Journal, JournalEntry } from '@teams-oauth/core'
import { sealJournal } from '@teams-oauth/core/adapter'
import type { FakeState } from '../src/index'

/** Thirty-odd ways to tamper with a journal of profile all on the default organisation. */

export const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T
const cmdletOf = (e: JournalEntry) => (e.action.system === 'exchange' ? e.action.cmdlet : e.action.op)

/** The n-th entry (0-based) whose action is `cmdlet` (or Entra op). */
function find(journal: Journal, cmdlet: string, n = 0): JournalEntry {
  const found = journal.entries.filter((e) => cmdletOf(e) === cmdlet)[n]
  if (!found) throw new Error(`no entry ${n} of ${cmdlet}`)
  return found
}

const renumber = (journal: Journal) => {
  journal.entries.forEach((e, i) => {
    e.seq = i + 1
  })
}

/** Points a create's recorded result and its undo at another object's Guid. */
function pointAt(entry: JournalEntry, guid: string, name?: string) {
  const result = entry.result as Record<string, unknown>[]
  result[0]!.Guid = guid
  if (name) result[0]!.Name = name
  for (const undo of entry.undo) if (undo.system === 'exchange') undo.params.Identity = guid
}

type Tamper = [string, (journal: Journal, state: FakeState) => void]

const hybridAccount = (s: FakeState) =>
  s.exchange.mailUsers.find((u) => u.name === 'Exchange Online-ApplicationAccount')!
const hybridApp = (s: FakeState) => s.exchange.partnerApplications.find((a) => a.name === 'Exchange Online')!
const microsoftKey = (s: FakeState) =>
  s.entra.servicePrincipals.find((sp) => sp.displayName === 'Skype for Business Online')!.keyCredentials[0]!

/** Edits a mail user entry's names consistently (spec, title, action, result, undo). */
function renameMailUser(entry: JournalEntry, name: string, guid?: string) {
  const spec = entry.spec as Extract<JournalEntry['spec'], { kind: 'mailUser' }>
  const address = `${name}-ApplicationAccount@contoso.com`
  spec.name = name
  spec.id = `mailUser.${name}`
  spec.externalEmailAddress = address
  entry.step = spec.id
  entry.title = `mail user ${name}`
  if (entry.action.system === 'exchange') {
    entry.action.params.Name = name
    entry.action.params.ExternalEmailAddress = address
  }
  pointAt(entry, guid ?? (entry.result as { Guid: string }[])[0]!.Guid, name)
}

export const tampers: Tamper[] = [
  [
    'two entries swapped, their sequence numbers kept',
    (j) => {
      ;[j.entries[0], j.entries[1]] = [j.entries[1]!, j.entries[0]!]
    },
  ],
  [
    'two entries swapped and renumbered',
    (j) => {
      ;[j.entries[0], j.entries[2]] = [j.entries[2]!, j.entries[0]!]
      renumber(j)
    },
  ],
  [
    'the whole journal reversed',
    (j) => {
      j.entries.reverse()
    },
  ],
  [
    'the last entry moved first and renumbered',
    (j) => {
      j.entries.unshift(j.entries.pop()!)
      renumber(j)
    },
  ],
  [
    'an entry in the middle removed and the rest renumbered',
    (j) => {
      j.entries.splice(3, 1)
      renumber(j)
    },
  ],
  [
    'an entry duplicated',
    (j) => {
      j.entries.push({ ...copy(j.entries[0]!), seq: j.entries.length + 1 })
    },
  ],
  [
    'a gap in the sequence',
    (j) => {
      for (const e of j.entries.slice(4)) e.seq += 1
    },
  ],
  [
    "a mail user's names edited consistently to the hybrid account's",
    (j, s) => {
      renameMailUser(find(j, 'New-MailUser'), 'Exchange Online-ApplicationAccount', hybridAccount(s).guid)
    },
  ],
  [
    "a mail user's names edited consistently to a valid-looking name",
    (j) => {
      renameMailUser(find(j, 'New-MailUser', 1), 'Someone-Else')
    },
  ],
  [
    "a mail user's names edited consistently and the hash chain recomputed",
    (j, s) => {
      renameMailUser(find(j, 'New-MailUser'), 'Exchange Online-ApplicationAccount', hybridAccount(s).guid)
      sealJournal(j)
    },
  ],
  [
    "a mail user pointed at the hybrid account's Guid",
    (j, s) => {
      pointAt(find(j, 'New-MailUser'), hybridAccount(s).guid)
    },
  ],
  [
    "a mail user pointed at the hybrid account's Guid, hash chain recomputed",
    (j, s) => {
      pointAt(find(j, 'New-MailUser'), hybridAccount(s).guid)
      sealJournal(j)
    },
  ],
  [
    "a partner application pointed at Exchange Online's Guid, hash chain recomputed",
    (j, s) => {
      pointAt(find(j, 'New-PartnerApplication'), hybridApp(s).guid)
      sealJournal(j)
    },
  ],
  [
    'a partner application pointed at Exchange Online by name and guid, hash chain recomputed',
    (j, s) => {
      pointAt(find(j, 'New-PartnerApplication'), hybridApp(s).guid, 'Exchange Online')
      sealJournal(j)
    },
  ],
  [
    'a partner application entry made the hybrid one throughout (step, action, result, undo), hash chain recomputed',
    (j, s) => {
      const entry = find(j, 'New-PartnerApplication')
      const spec = entry.spec as Extract<JournalEntry['spec'], { kind: 'partnerApplication' }>
      const hybrid = hybridApp(s)
      spec.name = hybrid.name
      spec.applicationIdentifier = hybrid.applicationIdentifier
      spec.linkedAccount = hybrid.linkedAccount
      if (entry.action.system === 'exchange')
        entry.action.params = {
          ...entry.action.params,
          Name: hybrid.name,
          ApplicationIdentifier: hybrid.applicationIdentifier,
          LinkedAccount: hybrid.linkedAccount,
        }
      const result = entry.result as Record<string, unknown>[]
      result[0]!.ApplicationIdentifier = hybrid.applicationIdentifier
      pointAt(entry, hybrid.guid, hybrid.name)
      sealJournal(j)
    },
  ],
  [
    "a partner application's undo swapped for a removal of Exchange Online by name",
    (j) => {
      const undo = find(j, 'New-PartnerApplication').undo[0]!
      if (undo.system === 'exchange') undo.params.Identity = 'Exchange Online'
    },
  ],
  [
    'a partner application step edited into the hybrid one, hash chain recomputed',
    (j) => {
      const entry = find(j, 'New-PartnerApplication')
      const spec = entry.spec as Extract<JournalEntry['spec'], { kind: 'partnerApplication' }>
      spec.name = 'Exchange Online'
      spec.applicationIdentifier = '00000002-0000-0ff1-ce00-000000000000'
      sealJournal(j)
    },
  ],
  [
    "a role assignment pointed at the hybrid account's assignment, hash chain recomputed",
    (j, s) => {
      const hybrid = s.exchange.roleAssignments.find(
        (a) => a.roleAssignee === 'Exchange Online-ApplicationAccount',
      )!
      pointAt(find(j, 'New-ManagementRoleAssignment'), hybrid.guid)
      sealJournal(j)
    },
  ],
  [
    "a role assignment's user edited to the hybrid account, hash chain recomputed",
    (j) => {
      const entry = find(j, 'New-ManagementRoleAssignment')
      const spec = entry.spec as Extract<JournalEntry['spec'], { kind: 'roleAssignment' }>
      spec.user = 'Exchange Online-ApplicationAccount'
      spec.id = `assignment.${spec.role}.${spec.user}`
      entry.step = spec.id
      sealJournal(j)
    },
  ],
  [
    "the created role pointed at UserApplication's Guid, hash chain recomputed",
    (j, s) => {
      pointAt(find(j, 'New-ManagementRole'), s.exchange.roles.find((r) => r.name === 'UserApplication')!.guid)
      sealJournal(j)
    },
  ],
  [
    "a key upload pointed at Microsoft's own key, hash chain recomputed",
    (j, s) => {
      const entry = find(j, 'addKey')
      const key = microsoftKey(s)
      if (entry.action.system === 'entra' && entry.action.op === 'addKey') {
        entry.action.certificate.der = key.key
        entry.action.certificate.thumbprint = key.customKeyIdentifier!
        entry.action.appId = '00000004-0000-0ff1-ce00-000000000000'
      }
      const undo = entry.undo[0]!
      if (undo.system === 'entra' && undo.op === 'removeKey') undo.thumbprint = key.customKeyIdentifier!
      sealJournal(j)
    },
  ],
  [
    "a key's undo swapped to remove Microsoft's key",
    (j, s) => {
      const undo = find(j, 'addKey').undo[0]!
      if (undo.system === 'entra' && undo.op === 'removeKey')
        undo.thumbprint = microsoftKey(s).customKeyIdentifier!
    },
  ],
  [
    "a key's undo given a key to restore that was never removed",
    (j, s) => {
      const undo = find(j, 'addKey').undo[0]!
      if (undo.system === 'entra' && undo.op === 'removeKey') undo.restore.push(microsoftKey(s))
    },
  ],
  [
    'the undo of two mail users swapped',
    (j) => {
      const [a, b] = [find(j, 'New-MailUser'), find(j, 'New-MailUser', 1)]
      ;[a.undo, b.undo] = [b.undo, a.undo]
    },
  ],
  [
    'the undo of two partner applications swapped',
    (j) => {
      const [a, b] = [find(j, 'New-PartnerApplication'), find(j, 'New-PartnerApplication', 1)]
      ;[a.undo, b.undo] = [b.undo, a.undo]
    },
  ],
  [
    "hiding's undo replaced by the removal of the user",
    (j) => {
      const hidden = find(j, 'Set-MailUser')
      hidden.undo = copy(find(j, 'New-MailUser').undo)
    },
  ],
  [
    'an undo turned into another command',
    (j) => {
      const undo = find(j, 'New-MailUser').undo[0]!
      if (undo.system === 'exchange') undo.cmdlet = 'Remove-Mailbox'
    },
  ],
  [
    "an entry moved to another step's id",
    (j) => {
      find(j, 'New-MailUser').step = find(j, 'New-PartnerApplication').step
    },
  ],
  [
    "hiding's record pointed at the hybrid account, hash chain recomputed",
    (j, s) => {
      const hidden = find(j, 'Set-MailUser')
      const before = hidden.before as { Guid: string; Name: string }
      before.Guid = hybridAccount(s).guid
      for (const undo of hidden.undo) if (undo.system === 'exchange') undo.params.Identity = before.Guid
      sealJournal(j)
    },
  ],
  [
    "a create's action edited to another name",
    (j) => {
      const entry = find(j, 'New-MailUser')
      if (entry.action.system === 'exchange') entry.action.params.Name = 'Exchange Online-ApplicationAccount'
    },
  ],
  [
    'a change marked as never applied',
    (j) => {
      find(j, 'New-MailUser').notApplied = true
    },
  ],
  [
    'the header removed',
    (j) => {
      j.organisation = null
    },
  ],
]
