import {
  type CmdletContext,
  createdGuid,
  existing,
  type Handler,
  hasWildcard,
  notFound,
  removeHandler,
  required,
  sameText,
  setHandler,
} from './exchange-cmdlet-context'
import { objectAlreadyExists } from './exchange-errors'
import {
  configurationDn,
  findRecipient,
  findRole,
  findRoleAssignment,
  findRoleGroup,
  roleGroupsOf,
  wildcardMatch,
} from './exchange-model'
import { roleAssignmentObject } from './exchange-objects'
import type { ExchangeState, ManagementRoleState, RoleAssignmentState } from './state'

/** Management role assignments, to a user or to a role group (whose members then hold the role). */

const assignmentDn = (state: ExchangeState, name: string) =>
  `CN=${name},CN=Role Assignments,CN=RBAC,${configurationDn(state)}`

/** Who an assignment is to: a recipient ("User") or a role group ("RoleGroup"), by name. */
export interface RoleAssignee {
  name: string
  type: 'User' | 'RoleGroup'
}

/**
 * A new assignment of the role to the assignee, named as Exchange names it ("<Role>-<Assignee>", cut at
 * 64 characters) unless -Name says otherwise; refused when that name is taken.
 */
export function newAssignment(
  ctx: CmdletContext,
  role: ManagementRoleState,
  assignee: RoleAssignee,
  name = `${role.name}-${assignee.name}`.slice(0, 64),
): RoleAssignmentState {
  const { state } = ctx
  if (findRoleAssignment(state, name)) {
    throw objectAlreadyExists(ctx.cmdlet, assignmentDn(state, name), ctx.domainController)
  }
  return {
    name,
    role: role.name,
    roleAssignee: assignee.name,
    roleAssigneeType: assignee.type,
    enabled: true,
    guid: createdGuid(state, 'roleAssignment', name),
  }
}

/** -User names a recipient; -SecurityGroup a role group (a role group is a universal security group). */
function assigneeOf(ctx: CmdletContext): RoleAssignee {
  const { state, params } = ctx
  const parameter = ['User', 'SecurityGroup', 'Policy', 'Computer', 'App'].find((p) => params.has(p))!
  const id = required(ctx, parameter)
  if (parameter === 'User') {
    const recipient = findRecipient(state, id)
    if (recipient) return { name: recipient.value.name, type: 'User' }
  }
  if (parameter === 'SecurityGroup') {
    const group = findRoleGroup(state, id)
    if (group) return { name: group.name, type: 'RoleGroup' }
  }
  throw notFound(ctx, id)
}

const newManagementRoleAssignment: Handler = (ctx) => {
  const { state, params } = ctx
  const role = existing(ctx, findRole, 'Role')
  const assignee = assigneeOf(ctx)
  const assignment = newAssignment(ctx, role, assignee, params.string('Name')?.slice(0, 64))
  if (!ctx.write(assignment.name, () => state.roleAssignments.push(assignment))) return []
  return [roleAssignmentObject(state, assignment)]
}

/**
 * -RoleAssignee as Exchange reads it: a user's own assignments and those it holds through the role
 * groups it is a member of; a role group's own assignments.
 */
function holders(ctx: CmdletContext, id: string): RoleAssignee[] {
  const { state } = ctx
  const recipient = findRecipient(state, id)
  if (recipient) {
    const groups = roleGroupsOf(state, recipient.value.guid)
    return [
      { name: recipient.value.name, type: 'User' },
      ...groups.map((group) => ({ name: group.name, type: 'RoleGroup' as const })),
    ]
  }
  const group = findRoleGroup(state, id)
  if (group) return [{ name: group.name, type: 'RoleGroup' }]
  throw notFound(ctx, id)
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
    const holding = holders(ctx, assigneeId)
    assignments = assignments.filter((a) =>
      holding.some((h) => h.type === a.roleAssigneeType && sameText(a.roleAssignee, h.name)),
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
const setManagementRoleAssignment = setHandler(findRoleAssignment, { Enabled: 'boolean' })

export const roleAssignmentCmdlets: Record<string, Handler> = {
  'New-ManagementRoleAssignment': newManagementRoleAssignment,
  'Get-ManagementRoleAssignment': getManagementRoleAssignment,
  'Set-ManagementRoleAssignment': setManagementRoleAssignment,
  'Remove-ManagementRoleAssignment': removeHandler((state) => state.roleAssignments, findRoleAssignment),
}
