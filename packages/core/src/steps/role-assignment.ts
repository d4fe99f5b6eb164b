import { z } from 'zod'
import { parseCmdletOutput } from '../cmdlet-output'
import { roleAssignmentObject } from '../exchange-objects'
import { quote } from '../script/quote'
import { accountFor, exchangeAction, pinned, pinOf, read, type StepKind } from './step'

export const roleAssignmentStep = z.object({
  kind: z.literal('roleAssignment'),
  id: z.string(),
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
      `$assignment = @(Get-ManagementRoleAssignment -Role ${quote(step.role)} -RoleAssignee $account @dc -ErrorAction SilentlyContinue)`,
      'if ($assignment.Count -eq 0) {',
      `  New-ManagementRoleAssignment -Role ${quote(step.role)} -User $account @dc | Out-Null`,
      '} elseif (-not ($assignment | Where-Object { $_.Enabled })) {',
      '  Set-ManagementRoleAssignment -Identity $assignment[0].Name -Enabled $true @dc',
      '}',
    ].join('\n')
  },
  undo(_step, action, _before, result) {
    if (action.system !== 'exchange') return []
    if (action.cmdlet === 'Set-ManagementRoleAssignment')
      return [exchangeAction('Set-ManagementRoleAssignment', { ...action.params, Enabled: false })]
    if (action.cmdlet !== 'New-ManagementRoleAssignment') return []
    const created = Array.isArray(result) ? roleAssignmentObject.safeParse(result[0]) : null
    if (!created?.success) return []
    return [
      exchangeAction('Remove-ManagementRoleAssignment', {
        Identity: created.data.Name,
        Confirm: false,
        ...pinOf(action),
      }),
    ]
  },
}
