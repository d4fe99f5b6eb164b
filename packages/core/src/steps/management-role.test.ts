import { describe, expect, it } from 'vitest'
import type { ValidInput } from '../input'
import type { Targets } from '../ports'
import { managementRole } from './management-role'
import type { StepContext } from './step'

const step = {
  kind: 'managementRole' as const,
  id: 'managementRole.TeamsSchedulerRole',
  name: 'TeamsSchedulerRole',
  parent: 'UserApplication',
  keepEntries: ['GetDelegate'],
}
const context = (domainController?: string): StepContext => ({
  input: { domainController } as ValidInput,
  targets: {} as Targets,
  now: new Date(),
  certificates: [],
  accounts: {},
})
const role = (Parent: string | null) =>
  ({ Name: 'TeamsSchedulerRole', Parent, Guid: '62668ea5-7181-5574-82c5-72512a937fcb' }) as never

describe('the management role step decides', () => {
  it('is titled by the role, its parent and what it keeps', () => {
    expect(managementRole.title(step)).toBe(
      'management role TeamsSchedulerRole (UserApplication, only GetDelegate)',
    )
  })

  it('to create an absent role, then strip what it copies from its parent', () => {
    const decision = managementRole.decide(
      step,
      { role: null, entries: ['GetDelegate', 'Get-Mailbox', 'Set-Foo'] },
      context('dc1'),
    )
    expect(decision.desired).toBe('TeamsSchedulerRole, child of UserApplication, with only GetDelegate')
    expect(decision.actual).toBe('absent')
    expect(decision.actions).toEqual([
      {
        reason:
          'no role TeamsSchedulerRole: the scheduling service needs a role that can only read delegates',
        action: {
          system: 'exchange',
          cmdlet: 'New-ManagementRole',
          params: { Name: 'TeamsSchedulerRole', Parent: 'UserApplication', DomainController: 'dc1' },
        },
      },
      ...['Get-Mailbox', 'Set-Foo'].map((entry) => ({
        reason: 'TeamsSchedulerRole keeps only GetDelegate',
        action: {
          system: 'exchange',
          cmdlet: 'Remove-ManagementRoleEntry',
          params: { Identity: `TeamsSchedulerRole\\${entry}`, Confirm: false, DomainController: 'dc1' },
        },
      })),
    ])
  })

  it('to add a kept entry the role lacks before removing any, matching names in any case', () => {
    const decision = managementRole.decide(
      step,
      { role: role('UserApplication'), entries: ['Set-Foo'] },
      context(),
    )
    expect(
      decision.actions.map((a) => [a.action.system === 'exchange' && a.action.cmdlet, a.reason]),
    ).toEqual([
      ['Add-ManagementRoleEntry', 'TeamsSchedulerRole needs GetDelegate'],
      ['Remove-ManagementRoleEntry', 'TeamsSchedulerRole keeps only GetDelegate'],
    ])
    expect(decision.actual).toBe('TeamsSchedulerRole, child of UserApplication, with 1 entries: Set-Foo')
    const done = managementRole.decide(
      step,
      { role: role('userapplication'), entries: ['getdelegate'] },
      context(),
    )
    expect(done.actions).toEqual([])
  })

  it('to list the entries only while there are five or fewer', () => {
    const five = ['a', 'b', 'c', 'd', 'GetDelegate']
    expect(
      managementRole.decide(step, { role: role('UserApplication'), entries: five }, context()).actual,
    ).toBe('TeamsSchedulerRole, child of UserApplication, with 5 entries: a, b, c, d, GetDelegate')
    expect(
      managementRole.decide(step, { role: role('UserApplication'), entries: [...five, 'e'] }, context())
        .actual,
    ).toBe('TeamsSchedulerRole, child of UserApplication, with 6 entries')
  })

  it('to leave alone a role of that name with another parent, or none, saying how to clear it', () => {
    for (const [parent, named] of [
      ['ArchiveApplication', 'ArchiveApplication'],
      [null, '(none)'],
      ['', '(none)'],
    ] as const) {
      const decision = managementRole.decide(
        step,
        { role: role(parent), entries: ['GetDelegate'] },
        context(),
      )
      expect(decision.actions).toEqual([])
      expect(decision.actual).toBe(`TeamsSchedulerRole, child of ${named}, with 1 entries: GetDelegate`)
      expect(decision.blocked).toBe(
        `TeamsSchedulerRole already exists as a child of ${named}, not UserApplication; teams-oauth leaves it as it is. Rename or remove it (Get-ManagementRoleAssignment -Role 'TeamsSchedulerRole' | Remove-ManagementRoleAssignment; Remove-ManagementRole -Identity 'TeamsSchedulerRole') if nothing else uses it, then run again`,
      )
    }
  })
})
