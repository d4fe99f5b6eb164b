import type {
  AuthServerState,
  ExchangeServerState,
  ExchangeState,
  MailboxState,
  MailUserState,
  ManagementRoleState,
  PartnerApplicationState,
  RoleAssignmentState,
  RoleGroupState,
} from './state'

/** Lookups over the Exchange organisation: the names, DNs and identities Exchange resolves. */

const same = (a: string | null | undefined, b: string | null | undefined) =>
  a != null && b != null && a.toLowerCase() === b.toLowerCase()

/** Exchange's wildcard match: `*` anywhere, case-insensitive. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`, 'i')
  return regex.test(value)
}
const escapeRegex = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&')

const dnOf = new Map<string, string>()
export const organizationDn = (state: ExchangeState) => {
  const { domain } = state.organization
  let dn = dnOf.get(domain)
  if (dn === undefined) {
    dn = domain
      .split('.')
      .map((part) => `DC=${part}`)
      .join(',')
    dnOf.set(domain, dn)
  }
  return dn
}

export const configurationDn = (state: ExchangeState) =>
  `CN=${state.organization.name},CN=Microsoft Exchange,CN=Services,CN=Configuration,${organizationDn(state)}`

export const recipientIdentity = (state: ExchangeState, name: string) =>
  `${state.organization.domain}/Users/${name}`
export const recipientDn = (state: ExchangeState, name: string) =>
  `CN=${name},CN=Users,${organizationDn(state)}`

export type Recipient = { kind: 'mailUser'; value: MailUserState } | { kind: 'mailbox'; value: MailboxState }

const recipientMatches = (state: ExchangeState, id: string, recipient: Recipient): boolean => {
  const matches = (name: string, alias: string, guid: string, addresses: string[]) =>
    same(id, name) ||
    same(id, alias) ||
    same(id, guid) ||
    same(id, recipientIdentity(state, name)) ||
    same(id, recipientDn(state, name)) ||
    addresses.some((address) => same(id, address) || same(`SMTP:${id}`, address))
  if (recipient.kind === 'mailUser') {
    const user = recipient.value
    const addresses = [user.externalEmailAddress, `${user.alias}@${state.organization.domain}`]
    return matches(user.name, user.alias, user.guid, addresses)
  }
  const mailbox = recipient.value
  const addresses = [mailbox.primarySmtpAddress, mailbox.userPrincipalName]
  return matches(mailbox.name, mailbox.alias, mailbox.guid, addresses) || same(id, mailbox.displayName)
}

/** The forms an identity is looked up by; identity and DN forms are reduced to the name before lookup. */
const recipientKeys = (state: ExchangeState, recipient: Recipient): string[] => {
  const { name, alias, guid } = recipient.value
  const addresses =
    recipient.kind === 'mailUser'
      ? [
          recipient.value.externalEmailAddress,
          recipient.value.externalEmailAddress.replace(/^smtp:/i, ''),
          `${alias}@${state.organization.domain}`,
        ]
      : [recipient.value.primarySmtpAddress, recipient.value.userPrincipalName, recipient.value.displayName]
  return [name, alias, guid, ...addresses].map((key) => key.toLowerCase())
}

interface RecipientIndex {
  mailUsers: number
  mailboxes: number
  byKey: Map<string, { recipient: Recipient; position: number }>
}
const indexes = new WeakMap<ExchangeState, RecipientIndex>()

/** A lookup table by every identity form, rebuilt when recipients are added or removed. */
function recipientIndex(state: ExchangeState): RecipientIndex {
  const known = indexes.get(state)
  if (known && known.mailUsers === state.mailUsers.length && known.mailboxes === state.mailboxes.length)
    return known
  const byKey: RecipientIndex['byKey'] = new Map()
  const add = (recipient: Recipient, position: number) => {
    const entry = { recipient, position }
    // the first in Exchange's scan order wins, as the linear search below would find it
    for (const key of recipientKeys(state, recipient)) if (!byKey.has(key)) byKey.set(key, entry)
  }
  for (const [i, value] of state.mailUsers.entries()) add({ kind: 'mailUser', value }, i)
  for (const [i, value] of state.mailboxes.entries()) add({ kind: 'mailbox', value }, i)
  const index = { mailUsers: state.mailUsers.length, mailboxes: state.mailboxes.length, byKey }
  indexes.set(state, index)
  return index
}

/**
 * Resolves a recipient as Exchange's identity parameters do: name, alias, identity, DN, GUID or address.
 * The index answers in constant time at 100,000 mailboxes; a renamed recipient is still found by the scan.
 */
export function findRecipient(state: ExchangeState, identity: string): Recipient | null {
  const id = identity.trim()
  const hint = recipientIndex(state).byKey.get(lookupKey(state, id))
  if (hint && recipientMatches(state, id, hint.recipient)) {
    const { recipient, position } = hint
    const inPlace =
      recipient.kind === 'mailUser'
        ? state.mailUsers[position] === recipient.value
        : state.mailboxes[position] === recipient.value
    // a mail user first in the scan (renamed since the index was built) still wins, as Exchange's order says
    if (inPlace && (recipient.kind === 'mailUser' || !state.mailUsers.some((u) => matchesUser(state, id, u))))
      return recipient
  }
  for (const user of state.mailUsers)
    if (recipientMatches(state, id, { kind: 'mailUser', value: user }))
      return { kind: 'mailUser', value: user }
  for (const mailbox of state.mailboxes)
    if (recipientMatches(state, id, { kind: 'mailbox', value: mailbox }))
      return { kind: 'mailbox', value: mailbox }
  return null
}

/** The index key of an identity: its name when it is an identity (domain/Users/name) or a DN (CN=name,…). */
function lookupKey(state: ExchangeState, id: string): string {
  const lower = id.toLowerCase()
  const prefix = `${state.organization.domain}/users/`.toLowerCase()
  if (lower.startsWith(prefix)) return lower.slice(prefix.length)
  const dn = /^cn=(.+?),cn=users,/i.exec(id)
  return dn ? dn[1]!.toLowerCase() : lower
}

const matchesUser = (state: ExchangeState, id: string, user: MailUserState) =>
  recipientMatches(state, id, { kind: 'mailUser', value: user })

export function findMailUser(state: ExchangeState, identity: string): MailUserState | null {
  const found = findRecipient(state, identity)
  return found?.kind === 'mailUser' ? found.value : null
}

export function findMailbox(state: ExchangeState, identity: string): MailboxState | null {
  const found = findRecipient(state, identity)
  return found?.kind === 'mailbox' ? found.value : null
}

export function findRole(state: ExchangeState, identity: string): ManagementRoleState | null {
  return state.roles.find((role) => same(role.name, identity) || same(role.guid, identity)) ?? null
}

export function findServer(state: ExchangeState, identity: string): ExchangeServerState | null {
  return state.servers.find((server) => same(server.name, identity) || same(server.fqdn, identity)) ?? null
}

export function findPartnerApplication(
  state: ExchangeState,
  identity: string,
): PartnerApplicationState | null {
  return state.partnerApplications.find((app) => same(app.name, identity) || same(app.guid, identity)) ?? null
}

export function findAuthServer(state: ExchangeState, identity: string): AuthServerState | null {
  return state.authServers.find((server) => same(server.name, identity)) ?? null
}

export function findRoleAssignment(state: ExchangeState, identity: string): RoleAssignmentState | null {
  return (
    state.roleAssignments.find(
      (assignment) => same(assignment.name, identity) || same(assignment.guid, identity),
    ) ?? null
  )
}

export const recipientName = (recipient: Recipient) => recipient.value.name

/** Role groups live in Active Directory's "Microsoft Exchange Security Groups" OU. */
const roleGroupOu = 'Microsoft Exchange Security Groups'
export const roleGroupIdentity = (state: ExchangeState, name: string) =>
  `${state.organization.domain}/${roleGroupOu}/${name}`
export const roleGroupDn = (state: ExchangeState, name: string) =>
  `CN=${name},OU=${roleGroupOu},${organizationDn(state)}`

export function findRoleGroup(state: ExchangeState, identity: string): RoleGroupState | null {
  const id = identity.trim()
  return (
    state.roleGroups.find(
      (group) =>
        same(group.name, id) ||
        same(group.guid, id) ||
        same(roleGroupIdentity(state, group.name), id) ||
        same(roleGroupDn(state, group.name), id),
    ) ?? null
  )
}

/** The role groups a recipient (by Guid) is a member of. */
export const roleGroupsOf = (state: ExchangeState, recipientGuid: string): RoleGroupState[] =>
  state.roleGroups.filter((group) => group.members.some((member) => same(member, recipientGuid)))
