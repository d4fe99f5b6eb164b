import { describe, expect, it } from 'vitest'
import type { RoleAssignmentObject } from '../exchange-objects'
import type { ValidInput } from '../input'
import type { Targets } from '../ports'
import { roleAssignment } from './role-assignment'
import type { StepContext } from './step'

const step = {
  kind: 'roleAssignment' as const,
  id: 'assignment.TeamsSchedulerRole.TeamsScheduler-ApplicationAccount',
  role: 'TeamsSchedulerRole',
  user: 'TeamsScheduler-ApplicationAccount',
}

const context = (
  fields: { domainController?: string; accounts?: Record<string, string> } = {},
): StepContext => ({
  input: { domainController: fields.domainController } as ValidInput,
  targets: {} as Targets,
  now: new Date('2027-01-01T00:00:00Z'),
  certificates: [],
  accounts: fields.accounts ?? {},
})

const assignment = (
  Name: string,
  RoleAssigneeType: string,
  Enabled: boolean,
  RoleAssigneeName = step.user,
): RoleAssignmentObject => ({ Name, Role: step.role, RoleAssigneeName, RoleAssigneeType, Enabled })

describe('the role assignment step', () => {
  it('changes nothing when an assignment reaching the user is enabled, through a role group too', () => {
    for (const type of ['User', 'RoleGroup']) {
      const decision = roleAssignment.decide(step, [assignment('a', type, true)], context())
      expect(decision.actions).toEqual([])
      expect(decision.actual).toBe('assigned (a)')
    }
  })

  it('enables again only the user’s own disabled assignment, never one reached through a role group', () => {
    const decision = roleAssignment.decide(
      step,
      [assignment('through-group', 'RoleGroup', false, 'Schedulers'), assignment('own', 'User', false)],
      context({ domainController: 'dc1.contoso.com' }),
    )
    expect(decision.actions.map((a) => a.action)).toEqual([
      {
        system: 'exchange',
        cmdlet: 'Set-ManagementRoleAssignment',
        params: { Identity: 'own', Enabled: true, DomainController: 'dc1.contoso.com' },
      },
    ])
    expect(decision.actual).toBe('assigned but disabled (through-group, own)')
    expect(decision.actions.map((a) => a.reason)).toEqual([
      `the assignment own exists but is disabled; ${step.user} needs ${step.role}`,
    ])
  })

  it('creates the user’s own assignment when the only disabled one is a role group’s', () => {
    const decision = roleAssignment.decide(
      step,
      [assignment('through-group', 'RoleGroup', false, 'Schedulers')],
      context(),
    )
    expect(decision.actions.map((a) => a.action)).toEqual([
      {
        system: 'exchange',
        cmdlet: 'New-ManagementRoleAssignment',
        params: { Role: step.role, User: step.user },
      },
    ])
    expect(decision.actual).toBe('not assigned')
    expect(decision.actions.map((a) => a.reason)).toEqual([
      `${step.user} acts for the partner application and needs ${step.role}`,
    ])
  })

  it('assigns the role to the account the partner application already acts as', () => {
    const decision = roleAssignment.decide(
      step,
      [],
      context({ accounts: { [step.user.toLowerCase()]: 'Other' } }),
    )
    expect(decision.actions.map((a) => a.action.system === 'exchange' && a.action.params)).toEqual([
      { Role: step.role, User: 'Other' },
    ])
    expect(decision.desired).toBe(`Other holds ${step.role}`)
  })
})
