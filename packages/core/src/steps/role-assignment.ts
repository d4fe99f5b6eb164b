import { z } from 'zod'
import { parseCmdletOutput } from '../cmdlet-output'
import { roleAssignmentObject } from '../exchange-objects'
import { quote } from '../script/quote'
import { createdObject, identifiedObject, pinOf, undoTarget } from './journaled'
import { accountFor, exchangeAction, pinned, read, type StepKind, sameName, stepObject } from './step'

export const roleAssignmentStep = stepObject('roleAssignment', {
  role: z.string(),
  user: z.string(),
})
export type RoleAssignmentStep = z.infer<typeof roleAssignmentStep>

type Observed = z.infer<typeof roleAssignmentObject>[]

export const roleAssignment: StepKind<RoleAssignmentStep, Observed> = {
  kind: 'roleAssignment',
  title: (step) => `role ${step.role} assigned to ${step.user}`,
  async observe(step, context) {
    const found = await read(context, {
      cmdlet: 'Get-ManagementRoleAssignment',
      params: pinned(context, { Role: step.role, RoleAssignee: accountFor(context, step.user) }),
    })
    return found.map((assignment) =>
      parseCmdletOutput('Get-ManagementRoleAssignment', roleAssignmentObject, assignment),
    )
  },
  decide(step, assignments, context) {
    const user = accountFor(context, step.user)
    const desired = `${user} holds ${step.role}`
    const enabled = assignments.find((a) => a.Enabled)
    if (enabled) return { actions: [], desired, actual: `assigned (${enabled.Name})` }
    // only the user's own assignment is enabled again: one reached through a role group grants its members too
    const disabled = assignments.find((a) => a.RoleAssigneeType === 'User')
    if (disabled)
      return {
        desired,
        actual: `assigned but disabled (${assignments.map((a) => a.Name).join(', ')})`,
        actions: [
          {
            reason: `the assignment ${disabled.Name} exists but is disabled; ${user} needs ${step.role}`,
            action: exchangeAction(
              'Set-ManagementRoleAssignment',
              pinned(context, { Identity: disabled.Name, Enabled: true }),
            ),
          },
        ],
      }
    return {
      desired,
      actual: 'not assigned',
      actions: [
        {
          reason: `${user} acts for the partner application and needs ${step.role}`,
          action: exchangeAction(
            'New-ManagementRoleAssignment',
            pinned(context, { Role: step.role, User: user }),
          ),
        },
      ],
    }
  },
  print(step) {
    return [
      `$account = if ($null -ne $accounts -and $accounts[${quote(step.user)}]) { $accounts[${quote(step.user)}] } else { ${quote(step.user)} }`,
      `$assignments = @(Find-TeamsOAuthObject Get-ManagementRoleAssignment @{ Role = ${quote(step.role)}; RoleAssignee = $account })`,
      'if (-not ($assignments | Where-Object { $_.Enabled })) {',
      "  # only the user's own assignment is enabled again: one reached through a role group grants its members too",
      "  $own = @($assignments | Where-Object { [string]$_.RoleAssigneeType -eq 'User' })",
      '  if ($own.Count -gt 0) { Set-ManagementRoleAssignment -Identity ([string]$own[0].Name) -Enabled $true @dc }',
      `  else { New-ManagementRoleAssignment -Role ${quote(step.role)} -User $account @dc | Out-Null }`,
      '}',
    ].join('\n')
  },
  async before(_step, action, context) {
    if (action.system !== 'exchange' || action.cmdlet !== 'Set-ManagementRoleAssignment') return null
    const [found] = await read(context, {
      cmdlet: 'Get-ManagementRoleAssignment',
      params: pinned(context, { Identity: String(action.params.Identity) }),
    })
    const assignment = found ? roleAssignmentObject.safeParse(found) : null
    if (!assignment?.success || typeof found?.Guid !== 'string') return null
    const { Name, Role, RoleAssigneeName, Enabled } = assignment.data
    return { Name, Role, RoleAssigneeName, Enabled, Guid: found.Guid }
  },
  undo(step, action, before, result) {
    if (action.system !== 'exchange') return []
    const pin = pinOf(action)
    if (action.cmdlet === 'Set-ManagementRoleAssignment') {
      const old = recorded(step, before)
      return old
        ? [exchangeAction('Set-ManagementRoleAssignment', { Identity: old.Guid, Enabled: false, ...pin })]
        : []
    }
    if (action.cmdlet !== 'New-ManagementRoleAssignment') return []
    const created = ours(step, result, userOf(step, action))
    if (!created) return []
    return [
      exchangeAction('Remove-ManagementRoleAssignment', { Identity: created.Guid, Confirm: false, ...pin }),
    ]
  },
  async landed(step, action, context) {
    if (action.system !== 'exchange') return null
    // the assignment created for, or enabled on, the account the action named (the linked account, if any)
    const found = await read(context, {
      cmdlet: 'Get-ManagementRoleAssignment',
      params: pinned(
        context,
        action.cmdlet === 'Set-ManagementRoleAssignment'
          ? { Identity: String(action.params.Identity) }
          : { Role: step.role, RoleAssignee: userOf(step, action) },
      ),
    })
    const enabled = found.find((a) => a.Enabled === true)
    if (!enabled) return null
    return { result: action.cmdlet === 'New-ManagementRoleAssignment' ? [enabled] : [] }
  },
  target: (step, action, before, result) =>
    undoTarget(
      'Get-ManagementRoleAssignment',
      action.system === 'exchange' && action.cmdlet === 'New-ManagementRoleAssignment'
        ? ours(step, result, userOf(step, action))
        : recorded(step, before),
      (name) => `role assignment ${name}`,
    ),
  fits(step, action, before) {
    if (action.system !== 'exchange') return false
    if (action.cmdlet === 'New-ManagementRoleAssignment')
      return action.params.Role === step.role && typeof action.params.User === 'string'
    return (
      action.cmdlet === 'Set-ManagementRoleAssignment' &&
      action.params.Enabled === true &&
      recorded(step, before)?.Name === action.params.Identity
    )
  },
}

/** The account an action assigns the role to: the procedure's, or the one its partner application acts as. */
const userOf = (step: RoleAssignmentStep, action: { params?: Record<string, unknown> }): string =>
  typeof action.params?.User === 'string' ? action.params.User : step.user

/** The assignment a New-ManagementRoleAssignment returned, when it is this step's (its role, its user). */
function ours(step: RoleAssignmentStep, result: unknown, user: string) {
  const created = createdObject(result)
  const parsed = created ? roleAssignmentObject.safeParse(created) : null
  if (!created || !parsed?.success) return null
  const right =
    parsed.data.Role.toLowerCase() === step.role.toLowerCase() && sameName(parsed.data.RoleAssigneeName, user)
  return right ? created : null
}

/** The assignment a Set-ManagementRoleAssignment changed, as read before it, when it is this step's role's (its user may be a linked account). */
function recorded(step: RoleAssignmentStep, before: unknown) {
  const old = identifiedObject(before)
  if (!old) return null
  const right =
    typeof old.Role === 'string' &&
    old.Role.toLowerCase() === step.role.toLowerCase() &&
    typeof old.RoleAssigneeName === 'string'
  return right ? { Name: old.Name, Guid: old.Guid } : null
}
