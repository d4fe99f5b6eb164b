import { roleAssignmentObject } from '@teams-oauth/core/adapter'
import { describe, expect, it } from 'vitest'
import { cmdletFailure } from '../test/cmdlet-failure'
import { scenarios } from './seed'
import { createFakeTenant, type FakeTenant } from './tenant'

const run = (tenant: FakeTenant, cmdlet: string, params: Record<string, string | string[] | boolean> = {}) =>
  tenant.invokeCmdlet({ cmdlet, params })

describe('role groups', () => {
  it('New-RoleGroup assigns each of -Roles to the group and prints it as Get-RoleGroup does', async () => {
    const tenant = createFakeTenant()
    const [created] = await run(tenant, 'New-RoleGroup', {
      Name: 'App Accounts',
      Roles: ['UserApplication'],
      Members: ['bob'],
      Description: 'for the partner applications',
    })
    const [read] = await run(tenant, 'Get-RoleGroup', { Identity: 'App Accounts' })
    expect(read).toEqual(created)
    expect(read).toMatchObject({
      Name: 'App Accounts',
      Identity: 'contoso.com/Microsoft Exchange Security Groups/App Accounts',
      DistinguishedName: 'CN=App Accounts,OU=Microsoft Exchange Security Groups,DC=contoso,DC=com',
      Description: 'for the partner applications',
      RoleGroupType: 'Standard',
      Roles: ['UserApplication'],
      RoleAssignments: ['UserApplication-App Accounts'],
      Members: ['contoso.com/Users/Bob Miller'],
    })
    const [assignment] = await run(tenant, 'Get-ManagementRoleAssignment', {
      Identity: 'UserApplication-App Accounts',
    })
    expect(roleAssignmentObject.parse(assignment)).toMatchObject({
      RoleAssigneeName: 'App Accounts',
      RoleAssigneeType: 'RoleGroup',
      Enabled: true,
    })
    expect(assignment?.RoleAssignee).toBe('contoso.com/Microsoft Exchange Security Groups/App Accounts')
  })

  it('refuses a second group of the same name, an unknown role and an unknown member, changing nothing', async () => {
    const tenant = createFakeTenant()
    await run(tenant, 'New-RoleGroup', { Name: 'App Accounts' })
    const before = tenant.state()
    expect(await cmdletFailure(run(tenant, 'New-RoleGroup', { Name: 'app accounts' }))).toMatchObject({
      reason: 'ADObjectAlreadyExistsException',
      fullyQualifiedErrorId: expect.stringMatching(
        /,Microsoft\.Exchange\.Management\.RbacTasks\.NewRoleGroup$/,
      ),
    })
    expect(
      await cmdletFailure(run(tenant, 'New-RoleGroup', { Name: 'Other', Roles: ['NoSuchRole'] })),
    ).toMatchObject({
      reason: 'ManagementObjectNotFoundException',
    })
    expect(
      await cmdletFailure(run(tenant, 'New-RoleGroup', { Name: 'Other', Members: ['ghost'] })),
    ).toMatchObject({
      reason: 'ManagementObjectNotFoundException',
      message:
        'Couldn\'t find object "ghost". Please make sure that it was spelled correctly or specify a different object.',
    })
    expect(tenant.state()).toEqual(before)
  })

  it('Add-RoleGroupMember adds a recipient once; a second time is refused', async () => {
    const tenant = createFakeTenant()
    await run(tenant, 'New-RoleGroup', { Name: 'App Accounts' })
    await run(tenant, 'Add-RoleGroupMember', { Identity: 'App Accounts', Member: 'alice@contoso.com' })
    const [group] = await run(tenant, 'Get-RoleGroup', { Identity: 'App Accounts' })
    expect(group?.Members).toEqual(['contoso.com/Users/Alice Wood'])
    expect(
      await cmdletFailure(run(tenant, 'Add-RoleGroupMember', { Identity: 'App Accounts', Member: 'alice' })),
    ).toMatchObject({
      reason: 'MemberAlreadyExistsException',
      category: 'NotSpecified',
      message:
        'The recipient "contoso.com/Users/Alice Wood" is already a member of the group "contoso.com/Microsoft Exchange Security Groups/App Accounts".',
      fullyQualifiedErrorId: expect.stringMatching(
        /,Microsoft\.Exchange\.Management\.RbacTasks\.AddRoleGroupMember$/,
      ),
    })
  })

  it('New-ManagementRoleAssignment -SecurityGroup assigns a role to a role group', async () => {
    const tenant = createFakeTenant()
    await run(tenant, 'New-RoleGroup', { Name: 'App Accounts' })
    const [assignment] = await run(tenant, 'New-ManagementRoleAssignment', {
      Role: 'ArchiveApplication',
      SecurityGroup: 'App Accounts',
    })
    expect(assignment).toMatchObject({
      Name: 'ArchiveApplication-App Accounts',
      RoleAssigneeType: 'RoleGroup',
      RoleAssigneeName: 'App Accounts',
    })
    const [group] = await run(tenant, 'Get-RoleGroup', { Identity: 'App Accounts' })
    expect(group?.Roles).toEqual(['ArchiveApplication'])
  })
})

describe('Get-ManagementRoleAssignment -RoleAssignee', () => {
  const names = (objects: Record<string, unknown>[]) => objects.map((o) => o.Name)

  it("gives a member's own assignments and those it holds through its role groups", async () => {
    const tenant = createFakeTenant(scenarios.legacyAccountInRoleGroup({ ownDisabled: true }))
    const account = 'SfBOnline-ApplicationAccount'
    expect(
      names(
        await run(tenant, 'Get-ManagementRoleAssignment', { Role: 'UserApplication', RoleAssignee: account }),
      ),
    ).toEqual(['UserApplication-Partner Application Accounts', `UserApplication-${account}`])
    // bob is a member too; the hybrid account is not
    expect(
      names(
        await run(tenant, 'Get-ManagementRoleAssignment', { Role: 'UserApplication', RoleAssignee: 'bob' }),
      ),
    ).toEqual(['UserApplication-Partner Application Accounts'])
    expect(
      names(
        await run(tenant, 'Get-ManagementRoleAssignment', {
          Role: 'UserApplication',
          RoleAssignee: 'Exchange Online-ApplicationAccount',
        }),
      ),
    ).toEqual(['UserApplication-Exchange Online-ApplicationAccount'])
    // the group itself: only its own
    expect(
      names(
        await run(tenant, 'Get-ManagementRoleAssignment', { RoleAssignee: 'Partner Application Accounts' }),
      ),
    ).toEqual([
      'UserApplication-Partner Application Accounts',
      'ArchiveApplication-Partner Application Accounts',
    ])
    expect(
      names(
        await run(tenant, 'Get-ManagementRoleAssignment', {
          RoleAssignee: account,
          RoleAssigneeType: 'User',
        }),
      ),
    ).toEqual([`UserApplication-${account}`, `ArchiveApplication-${account}`])
  })

  it('no longer reaches a removed member through the group', async () => {
    const tenant = createFakeTenant(scenarios.legacyAccountInRoleGroup())
    await run(tenant, 'Remove-MailUser', { Identity: 'SfBOnline-ApplicationAccount', Confirm: false })
    const [group] = await run(tenant, 'Get-RoleGroup', { Identity: 'Partner Application Accounts' })
    expect(group?.Members).toEqual(['contoso.com/Users/Bob Miller'])
    expect(tenant.state().exchange.roleGroups[0]?.members).toHaveLength(1)
  })
})
