import {
  type CmdletContext,
  createdGuid,
  existing,
  getHandler,
  type Handler,
  notFound,
  required,
} from './exchange-cmdlet-context'
import { exchangeError, objectAlreadyExists } from './exchange-errors'
import {
  findRecipient,
  findRole,
  findRoleGroup,
  type Recipient,
  recipientIdentity,
  roleGroupDn,
  roleGroupIdentity,
} from './exchange-model'
import { roleGroupObject } from './exchange-objects'
import { newAssignment } from './role-assignment-cmdlets'
import type { ExchangeState, RoleGroupState } from './state'

/** Management role groups: New-RoleGroup, Get-RoleGroup, Add-RoleGroupMember. */

/** A member as -Members and -Member name it: any recipient, by any of its identities. */
function member(ctx: CmdletContext, id: string): Recipient {
  const recipient = findRecipient(ctx.state, id)
  if (!recipient) {
    throw exchangeError(
      ctx.cmdlet,
      'ManagementObjectNotFoundException',
      `Couldn't find object "${id}". Please make sure that it was spelled correctly or specify a different object.`,
      { target: id },
    )
  }
  return recipient
}

function alreadyMember(ctx: CmdletContext, recipient: Recipient, group: RoleGroupState): Error {
  const { state } = ctx
  return exchangeError(
    ctx.cmdlet,
    'MemberAlreadyExistsException',
    `The recipient "${recipientIdentity(state, recipient.value.name)}" is already a member of the group "${roleGroupIdentity(state, group.name)}".`,
    { target: recipient.value.name },
  )
}

/** The group, its -Members and an assignment of each of its -Roles ("<Role>-<Group>"), in one write. */
const newRoleGroup: Handler = (ctx) => {
  const { state, params } = ctx
  const name = required(ctx, 'Name')
  if (findRoleGroup(state, name)) {
    throw objectAlreadyExists(ctx.cmdlet, roleGroupDn(state, name), ctx.domainController)
  }
  const group: RoleGroupState = {
    name,
    description: params.string('Description') ?? '',
    members: [],
    guid: createdGuid(state, 'roleGroup', name),
  }
  for (const id of params.strings('Members') ?? []) {
    const recipient = member(ctx, id)
    if (group.members.includes(recipient.value.guid)) throw alreadyMember(ctx, recipient, group)
    group.members.push(recipient.value.guid)
  }
  const assignments = (params.strings('Roles') ?? []).map((id) => {
    const role = findRole(state, id)
    if (!role) throw notFound(ctx, id)
    return newAssignment(ctx, role, { name, type: 'RoleGroup' })
  })
  const written = ctx.write(name, () => {
    state.roleGroups.push(group)
    state.roleAssignments.push(...assignments)
  })
  return written ? [roleGroupObject(state, group)] : []
}

const addRoleGroupMember: Handler = (ctx) => {
  const group = existing(ctx, findRoleGroup)
  const recipient = member(ctx, required(ctx, 'Member'))
  if (group.members.includes(recipient.value.guid)) throw alreadyMember(ctx, recipient, group)
  ctx.write(group.name, () => group.members.push(recipient.value.guid))
  return []
}

/** A removed recipient leaves every role group it was a member of, as Active Directory's back links do. */
export function forgetMember(state: ExchangeState, removed: { guid: string }): void {
  for (const group of state.roleGroups) group.members = group.members.filter((m) => m !== removed.guid)
}

export const roleGroupCmdlets: Record<string, Handler> = {
  'New-RoleGroup': newRoleGroup,
  'Get-RoleGroup': getHandler((state) => state.roleGroups, findRoleGroup, roleGroupObject),
  'Add-RoleGroupMember': addRoleGroupMember,
}
