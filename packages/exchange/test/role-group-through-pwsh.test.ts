import { apply, buildRunbook, plan, verify } from '@teams-oauth/core'
import { createFakeTenant, scenarios } from '@teams-oauth/fakes'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { standIn } from './stand-in'

const pwsh = pwshTestGate()
const account = 'SfBOnline-ApplicationAccount'
const group = 'Partner Application Accounts'

describe.runIf(pwsh.run)('role groups, through a real pwsh and the stand-in', () => {
  const stand = standIn(pwsh.executable)

  it('reads a role group and its assignments as a remote session shapes them', async () => {
    stand.use(createFakeTenant(scenarios.legacyAccountInRoleGroup()))
    const [read] = await stand.connection.invoke({ cmdlet: 'Get-RoleGroup', params: { Identity: group } })
    expect(read).toMatchObject({
      Name: group,
      Identity: `contoso.com/Microsoft Exchange Security Groups/${group}`,
      RoleGroupType: 'Standard',
      Roles: ['UserApplication', 'ArchiveApplication'],
      Members: [`contoso.com/Users/${account}`, 'contoso.com/Users/Bob Miller'],
    })
    const assignments = await stand.connection.invoke({
      cmdlet: 'Get-ManagementRoleAssignment',
      params: { Role: 'UserApplication', RoleAssignee: account },
    })
    expect(assignments).toEqual([
      expect.objectContaining({
        Name: `UserApplication-${group}`,
        RoleAssigneeName: group,
        RoleAssigneeType: 'RoleGroup',
        Enabled: true,
      }),
    ])
  })

  it.each([
    ['held through the group', { enabled: true }, []],
    ['the group disabled', { enabled: false }, ['New-ManagementRoleAssignment']],
    [
      'the group and its own disabled',
      { enabled: false, ownDisabled: true },
      ['Set-ManagementRoleAssignment'],
    ],
  ] as const)('plans and applies as the in-process door does, %s', async (_name, options, cmdlets) => {
    const current = stand.use(createFakeTenant(scenarios.legacyAccountInRoleGroup(options)))
    const targets = { exchange: stand.connection, entra: current.entra }
    const seeded = current.state()
    const runbook = buildRunbook({ profile: 'sfbonline', domain: 'contoso.com' })
    const planned = await plan(runbook, targets)
    const assigning = planned.steps
      .filter((s) => s.id.startsWith('assignment.'))
      .flatMap((s) => s.actions.map((a) => (a.action.system === 'exchange' ? a.action.cmdlet : '')))
    expect(assigning).toEqual(cmdlets.flatMap((c) => [c, c]))

    await apply(planned, targets)
    const assignments = current.state().exchange.roleAssignments
    expect(assignments.filter((a) => a.roleAssignee === group).map((a) => a.enabled)).toEqual([
      options.enabled,
      options.enabled,
    ])
    expect((await verify(runbook, targets)).ok).toBe(true)
    const reference = createFakeTenant({ state: seeded })
    await apply(await plan(runbook, reference), reference)
    expect(current.state().exchange).toEqual(reference.state().exchange)
  })
})
