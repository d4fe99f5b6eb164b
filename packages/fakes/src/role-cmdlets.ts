import {
  type CmdletContext,
  createdGuid,
  existing,
  type Handler,
  hasWildcard,
  invalidOperation,
  notFound,
  required,
  sameText,
} from './exchange-cmdlet-context'
import { exchangeError, objectAlreadyExists } from './exchange-errors'
import { configurationDn, findRole, wildcardMatch } from './exchange-model'
import { roleEntryObject, roleObject } from './exchange-objects'
import type { ExchangeState, ManagementRoleState } from './state'

/** Management roles and their entries: New-, Get-, Remove-ManagementRole; Get-, Add-, Remove-ManagementRoleEntry. */

const roleDn = (state: ExchangeState, name: string) => `CN=${name},CN=Roles,CN=RBAC,${configurationDn(state)}`

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
  const role = existing(ctx, findRole)
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

export const roleCmdlets: Record<string, Handler> = {
  'New-ManagementRole': newManagementRole,
  'Get-ManagementRole': getManagementRole,
  'Remove-ManagementRole': removeManagementRole,
  'Get-ManagementRoleEntry': getManagementRoleEntry,
  'Remove-ManagementRoleEntry': removeManagementRoleEntry,
  'Add-ManagementRoleEntry': addManagementRoleEntry,
}
