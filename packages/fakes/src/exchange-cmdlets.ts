import type { CmdletObject } from '@teams-oauth/core'
import type { BoundParameters } from './binding'
import { exchangeError, objectAlreadyExists, objectNotFound, parameterBindingError } from './exchange-errors'
import {
  authConfigObject,
  authServerObject,
  casMailboxObject,
  configurationDn,
  exchangeCertificateObject,
  exchangeServerObject,
  findAuthServer,
  findMailbox,
  findMailUser,
  findPartnerApplication,
  findRecipient,
  findRole,
  findRoleAssignment,
  findServer,
  mailboxObject,
  mailUserObject,
  organizationConfigObject,
  partnerApplicationObject,
  recipientDn,
  roleAssignmentObject,
  roleEntryObject,
  roleObject,
  wildcardMatch,
} from './exchange-model'
import { deterministicGuid } from './ids'
import {
  canonicalAccessRight,
  folderPermissionObject,
  folderStatisticsObject,
  isCalendarPath,
  mailboxFolders,
  permissionUserDisplay,
  resolveFolderIdentity,
} from './mailbox-folders'
import type { ExchangeState, FolderPermissionState, MailboxState, ManagementRoleState } from './state'

/** What a cmdlet handler sees: the organisation, its bound parameters, and the one way to write. */
export interface CmdletContext {
  state: ExchangeState
  cmdlet: string
  params: BoundParameters
  /** The -DomainController asked for, or the organisation's first. */
  domainController: string
  /**
   * Applies one change unless -WhatIf: counts it for failWrite (which may throw before anything
   * changes) and records it in the change log. Returns false when -WhatIf skipped it.
   */
  write(target: string, mutate: () => void): boolean
}

type Handler = (ctx: CmdletContext) => CmdletObject[]

const required = (ctx: CmdletContext, name: string): string => ctx.params.string(name) ?? ''
/** An identity given as a Guid, as Exchange's identity parameters accept one. */
const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.toLowerCase()
const hasWildcard = (value: string) => value.includes('*')

function invalidOperation(ctx: CmdletContext, message: string, target: string): Error {
  return exchangeError(ctx.cmdlet, 'InvalidOperationException', message, {
    category: 'InvalidOperation',
    target,
  })
}

function notFound(ctx: CmdletContext, identity: string): Error {
  return objectNotFound(ctx.cmdlet, identity, ctx.domainController)
}

/** A new object's Guid: fixed per organisation and name (for determinism), unlike any other organisation's. */
const createdGuid = (state: ExchangeState, kind: string, name: string) =>
  deterministicGuid(kind, state.organization.guid, name.toLowerCase())

// ---- mail users ----

const aliasFrom = (name: string) => name.replace(/[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]/g, '')

function proxyAddress(ctx: CmdletContext, value: string): string {
  const match = /^(?:(smtp):)?([^\s@:]+@[^\s@]+\.[^\s@]+)$/i.exec(value.trim())
  if (!match) {
    throw parameterBindingError(
      ctx.cmdlet,
      'CannotConvertArgumentNoMessage,Microsoft.Exchange.Management.RecipientTasks',
      `Cannot bind parameter 'ExternalEmailAddress'. Cannot convert value "${value}" to type "Microsoft.Exchange.Data.ProxyAddress".`,
      'ExternalEmailAddress',
    )
  }
  return `SMTP:${match[2]}`
}

function assertNameFree(ctx: CmdletContext, name: string) {
  const { state } = ctx
  const taken =
    state.mailUsers.some((u) => u.name.toLowerCase() === name.toLowerCase()) ||
    state.mailboxes.some((m) => m.name.toLowerCase() === name.toLowerCase())
  if (taken) throw objectAlreadyExists(ctx.cmdlet, recipientDn(state, name), ctx.domainController)
}

function assertAddressFree(ctx: CmdletContext, address: string) {
  const lower = address.toLowerCase()
  const owner =
    ctx.state.mailUsers.find((u) => u.externalEmailAddress.toLowerCase() === lower)?.name ??
    ctx.state.mailboxes.find((m) => `smtp:${m.primarySmtpAddress}`.toLowerCase() === lower)?.name
  if (owner) {
    throw exchangeError(
      ctx.cmdlet,
      'ProxyAddressExistsException',
      `The proxy address "${address}" is already being used by the proxy addresses or LegacyExchangeDN of "${ctx.state.organization.domain}/Users/${owner}". Please choose another proxy address.`,
      { target: address },
    )
  }
}

function uniqueAlias(state: ExchangeState, wanted: string): string {
  const taken = new Set([...state.mailUsers, ...state.mailboxes].map((r) => r.alias.toLowerCase()))
  if (!taken.has(wanted.toLowerCase())) return wanted
  for (let i = 2; ; i++) if (!taken.has(`${wanted}${i}`.toLowerCase())) return `${wanted}${i}`
}

const newMailUser: Handler = (ctx) => {
  const { state, params } = ctx
  const name = required(ctx, 'Name')
  assertNameFree(ctx, name)
  const external = params.string('ExternalEmailAddress')
  const address = external
    ? proxyAddress(ctx, external)
    : `SMTP:${aliasFrom(name)}@${state.organization.domain}`
  assertAddressFree(ctx, address)
  const user = {
    name,
    alias: uniqueAlias(state, params.string('Alias') ?? aliasFrom(name)),
    displayName: params.string('DisplayName') ?? name,
    externalEmailAddress: address,
    hiddenFromAddressListsEnabled: false,
    applicationAccount: params.switch('ApplicationAccount'),
    guid: createdGuid(state, 'mailUser', name),
  }
  if (!ctx.write(name, () => state.mailUsers.push(user))) return []
  return [mailUserObject(state, user)]
}

const getMailUser: Handler = (ctx) => {
  const identity = ctx.params.string('Identity')
  if (identity === undefined) return ctx.state.mailUsers.map((u) => mailUserObject(ctx.state, u))
  const user = findMailUser(ctx.state, identity)
  if (!user) throw notFound(ctx, identity)
  return [mailUserObject(ctx.state, user)]
}

const setMailUser: Handler = (ctx) => {
  const { state, params } = ctx
  const identity = required(ctx, 'Identity')
  const user = findMailUser(state, identity)
  if (!user) throw notFound(ctx, identity)
  const rename = params.string('Name')
  if (rename !== undefined && rename.toLowerCase() !== user.name.toLowerCase()) assertNameFree(ctx, rename)
  const external = params.string('ExternalEmailAddress')
  const address = external === undefined ? undefined : proxyAddress(ctx, external)
  ctx.write(user.name, () => {
    const hidden = params.boolean('HiddenFromAddressListsEnabled')
    if (hidden !== undefined) user.hiddenFromAddressListsEnabled = hidden
    const displayName = params.string('DisplayName')
    if (displayName !== undefined) user.displayName = displayName
    const alias = params.string('Alias')
    if (alias !== undefined) user.alias = alias
    if (address !== undefined) user.externalEmailAddress = address
    if (rename !== undefined) user.name = rename
  })
  return []
}

const removeMailUser: Handler = (ctx) => {
  const identity = required(ctx, 'Identity')
  const user = findMailUser(ctx.state, identity)
  if (!user) throw notFound(ctx, identity)
  ctx.write(user.name, () => {
    ctx.state.mailUsers.splice(ctx.state.mailUsers.indexOf(user), 1)
  })
  return []
}

// ---- management roles ----

const roleDn = (state: ExchangeState, name: string) => `CN=${name},CN=Roles,CN=RBAC,${configurationDn(state)}`
const assignmentDn = (state: ExchangeState, name: string) =>
  `CN=${name},CN=Role Assignments,CN=RBAC,${configurationDn(state)}`

function descendants(state: ExchangeState, role: ManagementRoleState): ManagementRoleState[] {
  const children = state.roles.filter((r) => r.parent?.toLowerCase() === role.name.toLowerCase())
  return children.flatMap((child) => [child, ...descendants(state, child)])
}

const newManagementRole: Handler = (ctx) => {
  const { state, params } = ctx
  const name = required(ctx, 'Name')
  if (findRole(state, name)) throw objectAlreadyExists(ctx.cmdlet, roleDn(state, name), ctx.domainController)
  let role: ManagementRoleState
  if (params.set === 'UnScopedTopLevelRole') {
    role = {
      name,
      parent: null,
      roleType: 'UnScoped',
      builtIn: false,
      description: '',
      entries: [],
      guid: createdGuid(state, 'role', name),
    }
  } else {
    const parentId = required(ctx, 'Parent')
    const parent = findRole(state, parentId)
    if (!parent) throw notFound(ctx, parentId)
    const enabled = params.strings('EnabledCmdlets')?.map((c) => c.toLowerCase())
    const entries = parent.entries
      .filter((entry) => !enabled || enabled.includes(entry.name.toLowerCase()))
      .map((entry) => ({ ...entry, parameters: [...entry.parameters] }))
    role = {
      name,
      parent: parent.name,
      roleType: parent.roleType,
      builtIn: false,
      description: params.string('Description') ?? parent.description,
      entries,
      guid: createdGuid(state, 'role', name),
    }
  }
  if (!ctx.write(name, () => state.roles.push(role))) return []
  return [roleObject(role)]
}

const getManagementRole: Handler = (ctx) => {
  const { state, params } = ctx
  const identity = params.string('Identity')
  const roleType = params.string('RoleType')
  let roles = state.roles
  if (identity !== undefined) {
    const matched = state.roles.filter(
      (role) => wildcardMatch(identity, role.name) || sameText(identity, role.guid),
    )
    if (matched.length === 0 && !hasWildcard(identity)) throw notFound(ctx, identity)
    if (params.switch('GetChildren')) {
      roles = state.roles.filter((r) => matched.some((m) => r.parent?.toLowerCase() === m.name.toLowerCase()))
    } else if (params.switch('Recurse')) {
      roles = matched.flatMap((m) => [m, ...descendants(state, m)])
    } else {
      roles = matched
    }
  }
  if (roleType !== undefined)
    roles = roles.filter((role) => role.roleType.toLowerCase() === roleType.toLowerCase())
  return roles.map(roleObject)
}

const removeManagementRole: Handler = (ctx) => {
  const { state, params } = ctx
  const identity = required(ctx, 'Identity')
  const role = findRole(state, identity)
  if (!role) throw notFound(ctx, identity)
  if (role.builtIn) {
    throw invalidOperation(ctx, `The built-in management role "${role.name}" can't be removed.`, role.name)
  }
  const children = descendants(state, role)
  if (children.length > 0 && !params.switch('Recurse')) {
    throw invalidOperation(
      ctx,
      `The management role "${role.name}" has child roles and can't be removed. Remove the child roles first, or use the Recurse parameter.`,
      role.name,
    )
  }
  const removing = [role, ...(params.switch('Recurse') ? children : [])]
  for (const r of removing) {
    if (state.roleAssignments.some((a) => a.role.toLowerCase() === r.name.toLowerCase())) {
      throw invalidOperation(
        ctx,
        `Management role "${roleDn(state, r.name)}" can't be deleted because it has management role assignments. Remove the role assignments first, and then try again.`,
        r.name,
      )
    }
  }
  ctx.write(role.name, () => {
    state.roles = state.roles.filter((r) => !removing.includes(r))
  })
  return []
}

/** "Role\Entry" → its two parts. */
function splitEntryIdentity(ctx: CmdletContext, identity: string): { role: string; entry: string } {
  const at = identity.indexOf('\\')
  if (at < 1) {
    throw exchangeError(
      ctx.cmdlet,
      'ArgumentException',
      `The value "${identity}" isn't a valid role entry identity. Use the format <management role>\\<role entry name>.`,
      { category: 'InvalidArgument', target: identity },
    )
  }
  return { role: identity.slice(0, at), entry: identity.slice(at + 1) }
}

const getManagementRoleEntry: Handler = (ctx) => {
  const { state, params } = ctx
  const identity = required(ctx, 'Identity')
  const { role: rolePattern, entry: entryPattern } = splitEntryIdentity(ctx, identity)
  const roles = state.roles.filter((role) => wildcardMatch(rolePattern, role.name))
  if (roles.length === 0 && !hasWildcard(rolePattern)) throw notFound(ctx, rolePattern)
  const wantParameters = params.strings('Parameters')?.map((p) => p.toLowerCase())
  const wantTypes = params.strings('Type')?.map((t) => t.toLowerCase())
  const results = roles.flatMap((role) =>
    role.entries
      .filter((entry) => wildcardMatch(entryPattern, entry.name))
      .filter((entry) => !wantTypes || wantTypes.includes(entry.type.toLowerCase()))
      .filter(
        (entry) =>
          !wantParameters ||
          wantParameters.every((p) => entry.parameters.some((have) => have.toLowerCase() === p)),
      )
      .map((entry) => roleEntryObject(role, entry)),
  )
  if (results.length === 0 && !hasWildcard(identity)) throw notFound(ctx, identity)
  return results
}

const removeManagementRoleEntry: Handler = (ctx) => {
  const { state } = ctx
  const identity = required(ctx, 'Identity')
  const { role: roleName, entry: entryName } = splitEntryIdentity(ctx, identity)
  const role = findRole(state, roleName)
  const entry = role?.entries.find((e) => e.name.toLowerCase() === entryName.toLowerCase())
  if (!role || !entry) throw notFound(ctx, identity)
  if (role.builtIn) {
    throw invalidOperation(
      ctx,
      `Role entries can't be removed from the built-in management role "${role.name}".`,
      identity,
    )
  }
  if (role.entries.length === 1) {
    throw invalidOperation(
      ctx,
      `The role entry "${identity}" is the last entry of the management role "${role.name}" and can't be removed.`,
      identity,
    )
  }
  ctx.write(`${role.name}\\${entry.name}`, () => {
    role.entries.splice(role.entries.indexOf(entry), 1)
  })
  return []
}

const addManagementRoleEntry: Handler = (ctx) => {
  const { state, params } = ctx
  let roleName: string
  let entryName: string
  if (params.set === 'ParentRoleEntry') {
    entryName = splitEntryIdentity(ctx, required(ctx, 'ParentRoleEntry')).entry
    roleName = required(ctx, 'Role')
  } else {
    ;({ role: roleName, entry: entryName } = splitEntryIdentity(ctx, required(ctx, 'Identity')))
  }
  const role = findRole(state, roleName)
  if (!role) throw notFound(ctx, roleName)
  const identity = `${role.name}\\${entryName}`
  if (role.builtIn) {
    throw invalidOperation(
      ctx,
      `Role entries can't be added to the built-in management role "${role.name}".`,
      identity,
    )
  }
  const parent = role.parent ? findRole(state, role.parent) : null
  const source = parent?.entries.find((e) => e.name.toLowerCase() === entryName.toLowerCase())
  if (!source) {
    throw invalidOperation(
      ctx,
      `The role entry "${entryName}" can't be added because it doesn't exist on the parent role "${role.parent ?? ''}".`,
      identity,
    )
  }
  const existing = role.entries.find((e) => e.name.toLowerCase() === entryName.toLowerCase())
  if (existing && !params.switch('Overwrite')) {
    throw invalidOperation(ctx, `The role entry "${identity}" already exists.`, identity)
  }
  const wanted = params.strings('Parameters')?.map((p) => p.toLowerCase())
  const entry = {
    name: source.name,
    type: params.string('Type') ?? source.type,
    parameters: source.parameters.filter((p) => !wanted || wanted.includes(p.toLowerCase())),
  }
  ctx.write(identity, () => {
    if (existing) role.entries.splice(role.entries.indexOf(existing), 1, entry)
    else {
      // a child's entries keep their parent's order, so an entry put back lands where it was
      const order = (name: string) =>
        parent!.entries.findIndex((e) => e.name.toLowerCase() === name.toLowerCase())
      const at = role.entries.findIndex((e) => order(e.name) > order(entry.name))
      role.entries.splice(at < 0 ? role.entries.length : at, 0, entry)
    }
  })
  return []
}

// ---- role assignments ----

const newManagementRoleAssignment: Handler = (ctx) => {
  const { state, params } = ctx
  const roleId = required(ctx, 'Role')
  const role = findRole(state, roleId)
  if (!role) throw notFound(ctx, roleId)
  const assigneeParameter = ['User', 'SecurityGroup', 'Policy', 'Computer', 'App'].find((p) => params.has(p))!
  const assigneeId = required(ctx, assigneeParameter)
  const recipient = assigneeParameter === 'User' ? findRecipient(state, assigneeId) : null
  if (!recipient) throw notFound(ctx, assigneeId)
  // Exchange names the assignment "<Role>-<User>" and cuts names at 64 characters.
  const name = (params.string('Name') ?? `${role.name}-${recipient.value.name}`).slice(0, 64)
  if (findRoleAssignment(state, name)) {
    throw objectAlreadyExists(ctx.cmdlet, assignmentDn(state, name), ctx.domainController)
  }
  const assignment = {
    name,
    role: role.name,
    roleAssignee: recipient.value.name,
    roleAssigneeType: 'User',
    enabled: true,
    guid: createdGuid(state, 'roleAssignment', name),
  }
  if (!ctx.write(name, () => state.roleAssignments.push(assignment))) return []
  return [roleAssignmentObject(state, assignment)]
}

const getManagementRoleAssignment: Handler = (ctx) => {
  const { state, params } = ctx
  let assignments = state.roleAssignments
  const identity = params.string('Identity')
  if (identity !== undefined) {
    assignments = assignments.filter((a) => wildcardMatch(identity, a.name) || sameText(identity, a.guid))
    if (assignments.length === 0 && !hasWildcard(identity)) throw notFound(ctx, identity)
  }
  const roleId = params.string('Role')
  if (roleId !== undefined) {
    const roles = state.roles.filter((r) => wildcardMatch(roleId, r.name))
    if (roles.length === 0 && !hasWildcard(roleId)) throw notFound(ctx, roleId)
    assignments = assignments.filter((a) => roles.some((r) => r.name.toLowerCase() === a.role.toLowerCase()))
  }
  const assigneeId = params.string('RoleAssignee')
  if (assigneeId !== undefined) {
    const recipient = findRecipient(state, assigneeId)
    if (!recipient) throw notFound(ctx, assigneeId)
    assignments = assignments.filter(
      (a) => a.roleAssignee.toLowerCase() === recipient.value.name.toLowerCase(),
    )
  }
  const enabled = params.boolean('Enabled')
  if (enabled !== undefined) assignments = assignments.filter((a) => a.enabled === enabled)
  const assigneeType = params.string('RoleAssigneeType')
  if (assigneeType !== undefined) {
    assignments = assignments.filter((a) => a.roleAssigneeType.toLowerCase() === assigneeType.toLowerCase())
  }
  return assignments.map((a) => roleAssignmentObject(state, a))
}

/**
 * Enabled is modelled; the scope parameters bind (so calls that use them fail or pass as Exchange's
 * binding would) but the model keeps no write scopes, so they change nothing it reports.
 */
const setManagementRoleAssignment: Handler = (ctx) => {
  const { state, params } = ctx
  const identity = required(ctx, 'Identity')
  const assignment = findRoleAssignment(state, identity)
  if (!assignment) throw notFound(ctx, identity)
  ctx.write(assignment.name, () => {
    const enabled = params.boolean('Enabled')
    if (enabled !== undefined) assignment.enabled = enabled
  })
  return []
}

const removeManagementRoleAssignment: Handler = (ctx) => {
  const identity = required(ctx, 'Identity')
  const assignment = findRoleAssignment(ctx.state, identity)
  if (!assignment) throw notFound(ctx, identity)
  ctx.write(assignment.name, () => {
    ctx.state.roleAssignments.splice(ctx.state.roleAssignments.indexOf(assignment), 1)
  })
  return []
}

// ---- partner applications ----

const partnerApplicationDn = (state: ExchangeState, name: string) =>
  `CN=${name},CN=Partner Applications,CN=Auth Configuration,${configurationDn(state)}`

function linkedAccountName(ctx: CmdletContext): string | null | undefined {
  if (!ctx.params.has('LinkedAccount')) return undefined
  const id = ctx.params.string('LinkedAccount')
  if (id === undefined || id === '') return null
  const recipient = findRecipient(ctx.state, id)
  if (!recipient) throw notFound(ctx, id)
  return recipient.value.name
}

const newPartnerApplication: Handler = (ctx) => {
  const { state, params } = ctx
  const name = required(ctx, 'Name')
  if (findPartnerApplication(state, name)) {
    throw objectAlreadyExists(ctx.cmdlet, partnerApplicationDn(state, name), ctx.domainController)
  }
  const byMetadata = params.set === 'AuthMetadataUrl'
  const app = {
    name,
    applicationIdentifier: byMetadata ? '' : required(ctx, 'ApplicationIdentifier'),
    enabled: params.boolean('Enabled') ?? true,
    linkedAccount: linkedAccountName(ctx) ?? null,
    realm: params.string('Realm') ?? '',
    useAuthServer: !byMetadata,
    authMetadataUrl: params.string('AuthMetadataUrl') ?? null,
    accountType: params.string('AccountType') ?? 'OrganizationalAccount',
    guid: createdGuid(state, 'partnerApplication', name),
  }
  if (!ctx.write(name, () => state.partnerApplications.push(app))) return []
  return [partnerApplicationObject(state, app)]
}

const getPartnerApplication: Handler = (ctx) => {
  const identity = ctx.params.string('Identity')
  if (identity === undefined)
    return ctx.state.partnerApplications.map((a) => partnerApplicationObject(ctx.state, a))
  const app = findPartnerApplication(ctx.state, identity)
  if (!app) throw notFound(ctx, identity)
  return [partnerApplicationObject(ctx.state, app)]
}

const setPartnerApplication: Handler = (ctx) => {
  const { state, params } = ctx
  const identity = required(ctx, 'Identity')
  const app = findPartnerApplication(state, identity)
  if (!app) throw notFound(ctx, identity)
  const rename = params.string('Name')
  if (
    rename !== undefined &&
    rename.toLowerCase() !== app.name.toLowerCase() &&
    findPartnerApplication(state, rename)
  ) {
    throw objectAlreadyExists(ctx.cmdlet, partnerApplicationDn(state, rename), ctx.domainController)
  }
  const linked = linkedAccountName(ctx)
  ctx.write(app.name, () => {
    const enabled = params.boolean('Enabled')
    if (enabled !== undefined) app.enabled = enabled
    if (linked !== undefined) app.linkedAccount = linked
    const applicationIdentifier = params.string('ApplicationIdentifier')
    if (applicationIdentifier !== undefined) app.applicationIdentifier = applicationIdentifier
    const realm = params.string('Realm')
    if (realm !== undefined) app.realm = realm
    const url = params.string('AuthMetadataUrl')
    if (url !== undefined) app.authMetadataUrl = url
    const accountType = params.string('AccountType')
    if (accountType !== undefined) app.accountType = accountType
    if (rename !== undefined) app.name = rename
  })
  return []
}

const removePartnerApplication: Handler = (ctx) => {
  const identity = required(ctx, 'Identity')
  const app = findPartnerApplication(ctx.state, identity)
  if (!app) throw notFound(ctx, identity)
  ctx.write(app.name, () => {
    ctx.state.partnerApplications.splice(ctx.state.partnerApplications.indexOf(app), 1)
  })
  return []
}

// ---- auth, servers, certificates ----

const getAuthConfig: Handler = (ctx) => [authConfigObject(ctx.state)]

const getAuthServer: Handler = (ctx) => {
  const identity = ctx.params.string('Identity')
  if (identity === undefined) return ctx.state.authServers.map(authServerObject)
  const server = findAuthServer(ctx.state, identity)
  if (!server) throw notFound(ctx, identity)
  return [authServerObject(server)]
}

const getExchangeServer: Handler = (ctx) => {
  const { state, params } = ctx
  const identity = params.string('Identity')
  if (identity !== undefined) {
    const servers = state.servers.filter(
      (s) => wildcardMatch(identity, s.name) || wildcardMatch(identity, s.fqdn),
    )
    if (servers.length === 0 && !hasWildcard(identity)) throw notFound(ctx, identity)
    return servers.map(exchangeServerObject)
  }
  const domain = params.string('Domain')
  const servers = domain
    ? state.servers.filter((s) => s.fqdn.toLowerCase().endsWith(`.${domain.toLowerCase()}`))
    : state.servers
  return servers.map(exchangeServerObject)
}

const getExchangeCertificate: Handler = (ctx) => {
  const { state, params } = ctx
  const identity = params.string('Identity')
  let serverId = params.string('Server')
  let thumbprint = params.string('Thumbprint')
  if (identity !== undefined) {
    const at = identity.lastIndexOf('\\')
    if (at >= 0) serverId = identity.slice(0, at)
    thumbprint = identity.slice(at + 1)
  }
  const server = serverId === undefined ? state.servers[0] : findServer(state, serverId)
  if (!server) throw notFound(ctx, serverId ?? '')
  if (thumbprint === undefined) return server.certificates.map((c) => exchangeCertificateObject(server, c))
  const stored = server.certificates.find(
    (c) => c.thumbprint.toLowerCase() === thumbprint!.trim().toLowerCase(),
  )
  if (!stored) throw notFound(ctx, `${server.fqdn}\\${thumbprint}`)
  return [exchangeCertificateObject(server, stored)]
}

// ---- mailboxes, folders, EWS policy ----

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
    throw parameterBindingError(
      ctx.cmdlet,
      'CannotConvertArgumentNoMessage',
      `Cannot bind parameter 'ResultSize'. Cannot convert value "${value}" to type "Microsoft.Exchange.Data.Unlimited\`1[System.UInt32]".`,
      'ResultSize',
    )
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
  const identity = required(ctx, 'Identity')
  const mailbox = findMailbox(ctx.state, identity)
  if (!mailbox) throw notFound(ctx, identity)
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
  const { state, params } = ctx
  const identity = required(ctx, 'Identity')
  const mailbox = findMailbox(state, identity)
  if (!mailbox) throw notFound(ctx, identity)
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

function resolveCalendar(ctx: CmdletContext) {
  const identity = required(ctx, 'Identity')
  const resolved = resolveFolderIdentity(ctx.state, identity)
  if (!resolved) throw notFound(ctx, identity.split(':')[0] ?? identity)
  return { identity, ...resolved }
}

function folderNotFound(ctx: CmdletContext, identity: string): Error {
  return exchangeError(
    ctx.cmdlet,
    'ManagementObjectNotFoundException',
    `The operation couldn't be performed because '${identity}' couldn't be found.`,
    { target: identity },
  )
}

/** The permission entry's key for -User: "Default", "Anonymous" or the mailbox's alias. */
function permissionUser(ctx: CmdletContext): string {
  const user = required(ctx, 'User')
  if (user.toLowerCase() === 'default') return 'Default'
  if (user.toLowerCase() === 'anonymous') return 'Anonymous'
  const mailbox = findMailbox(ctx.state, user)
  if (!mailbox) {
    throw exchangeError(
      ctx.cmdlet,
      'InvalidExternalUserIdException',
      `The user "${user}" is either not valid SMTP address, or there is no matching information.`,
      { target: user },
    )
  }
  return mailbox.alias
}

function accessRights(ctx: CmdletContext): string[] {
  const values = ctx.params.strings('AccessRights') ?? []
  return values.map((value) => {
    const canonical = canonicalAccessRight(value)
    if (!canonical) {
      throw parameterBindingError(
        ctx.cmdlet,
        'ParameterArgumentTransformationError',
        `Cannot process argument transformation on parameter 'AccessRights'. Cannot convert value "${value}" to type "Microsoft.Exchange.Management.StoreTasks.MailboxFolderAccessRight[]".`,
        'AccessRights',
      )
    }
    return canonical
  })
}

function sharingFlags(ctx: CmdletContext): string | null {
  const flags = ctx.params.strings('SharingPermissionFlags')
  if (!flags) return null
  const known = ['None', 'Delegate', 'CanViewPrivateItems']
  const canonical = flags.map((flag) => {
    const found = known.find((k) => k.toLowerCase() === flag.toLowerCase())
    if (!found) {
      throw parameterBindingError(
        ctx.cmdlet,
        'CannotConvertArgumentNoMessage',
        `Cannot bind parameter 'SharingPermissionFlags'. Cannot convert value "${flag}" to type "Microsoft.Exchange.Data.Storage.Management.MailboxFolderPermissionFlags".`,
        'SharingPermissionFlags',
      )
    }
    return found
  })
  const set = canonical.filter((f) => f !== 'None')
  return set.length === 0 ? null : set.join(', ')
}

const getMailboxFolderPermission: Handler = (ctx) => {
  const { state, params } = ctx
  const { identity, mailbox, folderPath } = resolveCalendar(ctx)
  const defaults = [
    { user: 'Default', accessRights: ['None'], sharingPermissionFlags: null },
    { user: 'Anonymous', accessRights: ['None'], sharingPermissionFlags: null },
  ]
  let permissions: FolderPermissionState[]
  if (folderPath === '') permissions = defaults
  else if (isCalendarPath(mailbox, folderPath)) permissions = mailbox.calendar.permissions
  else throw folderNotFound(ctx, identity)
  if (params.has('User')) {
    const user = permissionUser(ctx)
    permissions = permissions.filter((p) => p.user.toLowerCase() === user.toLowerCase())
    if (permissions.length === 0) throw noPermissionEntry(ctx, permissionUserDisplay(state, user))
  }
  return permissions.map((p) => ({
    ...folderPermissionObject(state, mailbox, p),
    ...(folderPath === '' ? { Identity: `${mailbox.alias}:\\`, FolderName: 'Top of Information Store' } : {}),
  }))
}

function noPermissionEntry(ctx: CmdletContext, display: string): Error {
  return exchangeError(
    ctx.cmdlet,
    'UserNotFoundInPermissionEntryException',
    `There is no existing permission entry found for user: ${display}.`,
    { target: display },
  )
}

const addMailboxFolderPermission: Handler = (ctx) => {
  const { state } = ctx
  const { identity, mailbox, folderPath } = resolveCalendar(ctx)
  if (!isCalendarPath(mailbox, folderPath)) throw folderNotFound(ctx, identity)
  const user = permissionUser(ctx)
  const rights = accessRights(ctx)
  const flags = sharingFlags(ctx)
  if (mailbox.calendar.permissions.some((p) => p.user.toLowerCase() === user.toLowerCase())) {
    const display = permissionUserDisplay(state, user)
    throw exchangeError(
      ctx.cmdlet,
      'UserAlreadyExistsInPermissionEntryException',
      `An existing permission entry was found for user: ${display}.`,
      { target: display },
    )
  }
  const permission = { user, accessRights: rights, sharingPermissionFlags: flags }
  if (
    !ctx.write(`${mailbox.alias}:\\${mailbox.calendar.name}`, () =>
      mailbox.calendar.permissions.push(permission),
    )
  ) {
    return []
  }
  return [folderPermissionObject(state, mailbox, permission)]
}

const setMailboxFolderPermission: Handler = (ctx) => {
  const { state } = ctx
  const { identity, mailbox, folderPath } = resolveCalendar(ctx)
  if (!isCalendarPath(mailbox, folderPath)) throw folderNotFound(ctx, identity)
  const user = permissionUser(ctx)
  const rights = accessRights(ctx)
  const flags = sharingFlags(ctx)
  const permission = mailbox.calendar.permissions.find((p) => p.user.toLowerCase() === user.toLowerCase())
  if (!permission) throw noPermissionEntry(ctx, permissionUserDisplay(state, user))
  ctx.write(`${mailbox.alias}:\\${mailbox.calendar.name}`, () => {
    permission.accessRights = rights
    if (ctx.params.has('SharingPermissionFlags')) permission.sharingPermissionFlags = flags
  })
  return []
}

const removeMailboxFolderPermission: Handler = (ctx) => {
  const { state } = ctx
  const { identity, mailbox, folderPath } = resolveCalendar(ctx)
  if (!isCalendarPath(mailbox, folderPath)) throw folderNotFound(ctx, identity)
  const user = permissionUser(ctx)
  const at = mailbox.calendar.permissions.findIndex((p) => p.user.toLowerCase() === user.toLowerCase())
  if (at < 0) throw noPermissionEntry(ctx, permissionUserDisplay(state, user))
  ctx.write(`${mailbox.alias}:\\${mailbox.calendar.name}`, () => {
    mailbox.calendar.permissions.splice(at, 1)
  })
  return []
}

const getOrganizationConfig: Handler = (ctx) => [organizationConfigObject(ctx.state)]

const getCasMailbox: Handler = (ctx) => {
  const identity = ctx.params.string('Identity')
  if (identity === undefined) return ctx.state.mailboxes.map((m) => casMailboxObject(ctx.state, m))
  const mailbox = findMailbox(ctx.state, identity)
  if (!mailbox) throw notFound(ctx, identity)
  return [casMailboxObject(ctx.state, mailbox)]
}

const setCasMailbox: Handler = (ctx) => {
  const identity = required(ctx, 'Identity')
  const mailbox = findMailbox(ctx.state, identity)
  if (!mailbox) throw notFound(ctx, identity)
  const enabled = ctx.params.boolean('EwsEnabled')
  if (ctx.params.has('EwsEnabled'))
    ctx.write(mailbox.alias, () => {
      mailbox.cas.ewsEnabled = enabled ?? null
    })
  return []
}

/** Every Exchange cmdlet the model interprets, by its canonical name. */
export const exchangeCmdlets: Record<string, Handler> = {
  'New-MailUser': newMailUser,
  'Set-MailUser': setMailUser,
  'Get-MailUser': getMailUser,
  'Remove-MailUser': removeMailUser,
  'New-ManagementRoleAssignment': newManagementRoleAssignment,
  'Get-ManagementRoleAssignment': getManagementRoleAssignment,
  'Set-ManagementRoleAssignment': setManagementRoleAssignment,
  'Remove-ManagementRoleAssignment': removeManagementRoleAssignment,
  'New-ManagementRole': newManagementRole,
  'Get-ManagementRole': getManagementRole,
  'Remove-ManagementRole': removeManagementRole,
  'Get-ManagementRoleEntry': getManagementRoleEntry,
  'Remove-ManagementRoleEntry': removeManagementRoleEntry,
  'Add-ManagementRoleEntry': addManagementRoleEntry,
  'New-PartnerApplication': newPartnerApplication,
  'Get-PartnerApplication': getPartnerApplication,
  'Set-PartnerApplication': setPartnerApplication,
  'Remove-PartnerApplication': removePartnerApplication,
  'Get-AuthConfig': getAuthConfig,
  'Get-AuthServer': getAuthServer,
  'Get-ExchangeCertificate': getExchangeCertificate,
  'Get-ExchangeServer': getExchangeServer,
  'Get-Mailbox': getMailbox,
  'Get-MailboxFolderStatistics': getMailboxFolderStatistics,
  'Get-MailboxFolderPermission': getMailboxFolderPermission,
  'Add-MailboxFolderPermission': addMailboxFolderPermission,
  'Set-MailboxFolderPermission': setMailboxFolderPermission,
  'Remove-MailboxFolderPermission': removeMailboxFolderPermission,
  'Get-OrganizationConfig': getOrganizationConfig,
  'Get-CASMailbox': getCasMailbox,
  'Set-CASMailbox': setCasMailbox,
  'Set-Mailbox': setMailbox,
}
