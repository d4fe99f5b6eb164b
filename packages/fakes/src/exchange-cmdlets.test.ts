import type { TeamsOAuthError } from '@teams-oauth/core'
import {
  authConfigObject,
  authServerObject,
  casMailboxObject,
  exchangeCertificateObject,
  exchangeServerObject,
  isExchangeNotFound,
  mailboxFolderObject,
  mailboxFolderPermissionObject,
  mailboxObject,
  mailUserObject,
  managementRoleEntryObject,
  managementRoleObject,
  organizationConfigObject,
  partnerApplicationObject,
  roleAssignmentObject,
} from '@teams-oauth/core/adapter'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { cmdletFailure } from '../test/cmdlet-failure'
import { knownCmdlets } from './binding'
import { makeTestCertificate } from './certificates'
import { exchangeCmdlets } from './exchange-cmdlets'
import { msolCmdlets } from './msol-cmdlets'
import { scenarios } from './seed'
import { createFakeTenant } from './tenant'

type Params = Record<string, string | boolean | string[] | null>

async function run(tenant: ReturnType<typeof createFakeTenant>, cmdlet: string, params: Params = {}) {
  return tenant.invokeCmdlet({ cmdlet, params })
}

function parsesAll(schema: z.ZodType, objects: unknown[]) {
  expect(objects.length).toBeGreaterThan(0)
  for (const object of objects) expect(schema.safeParse(object).error).toBeUndefined()
}

describe('coverage of the reference', () => {
  it('interprets every cmdlet the reference lists', () => {
    const handled = [...Object.keys(exchangeCmdlets), ...Object.keys(msolCmdlets)].sort()
    expect(handled).toEqual([...knownCmdlets()].sort())
  })
})

describe('parameter binding', () => {
  it('fails an unknown parameter with PowerShell words', async () => {
    const data = await cmdletFailure(run(createFakeTenant(), 'Get-MailUser', { Bogus: 'x' }))
    expect(data).toMatchObject({
      cmdlet: 'Get-MailUser',
      message: "A parameter cannot be found that matches parameter name 'Bogus'.",
      category: 'InvalidArgument',
      reason: 'ParameterBindingException',
      fullyQualifiedErrorId: 'NamedParameterNotFound,Get-MailUser',
    })
  })

  it('fails when a mandatory parameter is missing', async () => {
    const data = await cmdletFailure(
      run(createFakeTenant(), 'New-MailUser', { ExternalEmailAddress: 'x@contoso.com' }),
    )
    expect(data.message).toBe(
      'Cannot process command because of one or more missing mandatory parameters: Name.',
    )
    expect(data.fullyQualifiedErrorId).toBe('MissingMandatoryParameter,New-MailUser')
  })

  it('knows only the on-premises parameter sets', async () => {
    const tenant = createFakeTenant()
    expect(await tenant.exchange.hasParameter('New-MailUser', 'HVEAccount')).toBe(false)
    expect(await tenant.exchange.hasParameter('New-MailUser', 'DomainController')).toBe(true)
    const data = await cmdletFailure(
      run(tenant, 'Set-MailUser', { Identity: 'x', ExcludeFromAllHolds: true }),
    )
    expect(data.fullyQualifiedErrorId).toBe('NamedParameterNotFound,Set-MailUser')
  })

  it('binds parameter and cmdlet names case-insensitively', async () => {
    const tenant = createFakeTenant()
    const out = await run(tenant, 'get-mailbox', { identity: 'alice' })
    expect(out[0]?.['Alias']).toBe('alice')
  })

  it('accepts -Confirm and -WhatIf, and -WhatIf changes nothing', async () => {
    const tenant = createFakeTenant()
    const out = await run(tenant, 'New-MailUser', {
      Name: 'X',
      ExternalEmailAddress: 'x@contoso.com',
      WhatIf: true,
      Confirm: false,
    })
    expect(out).toEqual([])
    expect(tenant.changes).toEqual([])
    await cmdletFailure(run(tenant, 'Get-MailUser', { Identity: 'X' }))
  })

  it('fails a -DomainController that is not one of the organisation', async () => {
    const data = await cmdletFailure(
      run(createFakeTenant(), 'Get-MailUser', { DomainController: 'dc99.contoso.com' }),
    )
    expect(data.reason).toBe('SuitabilityDirectoryException')
    expect(data.message).toContain("'dc99.contoso.com'")
  })

  it('names the domain controller asked for in not-found errors', async () => {
    const data = await cmdletFailure(
      run(createFakeTenant(), 'Get-MailUser', { Identity: 'nobody', DomainController: 'DC02.contoso.com' }),
    )
    expect(data.message).toBe(
      "The operation couldn't be performed because object 'nobody' couldn't be found on 'dc02.contoso.com'.",
    )
  })

  it('answers an unknown cmdlet as PowerShell does', async () => {
    const data = await cmdletFailure(run(createFakeTenant(), 'Get-Nothing'))
    expect(data.reason).toBe('CommandNotFoundException')
  })

  it('keeps MSOnline cmdlets out of the Exchange port', async () => {
    const tenant = createFakeTenant()
    await cmdletFailure(tenant.exchange.invoke({ cmdlet: 'Connect-MsolService', params: {} }))
    await expect(tenant.invokeCmdlet({ cmdlet: 'Connect-MsolService', params: {} })).resolves.toEqual([])
  })
})

describe('mail users', () => {
  it('creates a mail user whose external address carries the SMTP prefix', async () => {
    const tenant = createFakeTenant()
    const [created] = await run(tenant, 'New-MailUser', {
      Name: 'SfBOnline-ApplicationAccount',
      ExternalEmailAddress: 'SfBOnline-ApplicationAccount@contoso.com',
    })
    expect(created).toMatchObject({
      Name: 'SfBOnline-ApplicationAccount',
      ExternalEmailAddress: 'SMTP:SfBOnline-ApplicationAccount@contoso.com',
      HiddenFromAddressListsEnabled: false,
      RecipientTypeDetails: 'MailUser',
    })
    parsesAll(mailUserObject, await run(tenant, 'Get-MailUser', { Identity: 'SfBOnline-ApplicationAccount' }))
  })

  it('fails a duplicate name as Active Directory does', async () => {
    const tenant = createFakeTenant()
    const params = { Name: 'TeamsScheduler', ExternalEmailAddress: 'ts@contoso.com' }
    await run(tenant, 'New-MailUser', params)
    const data = await cmdletFailure(
      run(tenant, 'New-MailUser', { ...params, ExternalEmailAddress: 'other@contoso.com' }),
    )
    expect(data.reason).toBe('ADObjectAlreadyExistsException')
    expect(data.message).toBe(
      "Active Directory operation failed on dc01.contoso.com. The object 'CN=TeamsScheduler,CN=Users,DC=contoso,DC=com' already exists.",
    )
  })

  it('accepts -ApplicationAccount only on a build that has it', async () => {
    const params = {
      Name: 'TeamsScheduler',
      ApplicationAccount: true,
      ExternalEmailAddress: 'ts@contoso.com',
    }
    await expect(run(createFakeTenant(), 'New-MailUser', params)).resolves.toHaveLength(1)
    const old = createFakeTenant(scenarios.noApplicationAccountSwitch())
    const data = await cmdletFailure(run(old, 'New-MailUser', params))
    expect(data.fullyQualifiedErrorId).toBe('NamedParameterNotFound,New-MailUser')
    expect(await old.exchange.hasParameter('New-MailUser', 'ApplicationAccount')).toBe(false)
    expect(await createFakeTenant().exchange.hasParameter('new-mailuser', 'applicationaccount')).toBe(true)
  })

  it('hides a mail user from address lists and removes it', async () => {
    const tenant = createFakeTenant()
    await run(tenant, 'New-MailUser', { Name: 'X', ExternalEmailAddress: 'x@contoso.com' })
    await run(tenant, 'Set-MailUser', { Identity: 'X', HiddenFromAddressListsEnabled: true })
    expect(
      (await run(tenant, 'Get-MailUser', { Identity: 'x@contoso.com' }))[0]?.[
        'HiddenFromAddressListsEnabled'
      ],
    ).toBe(true)
    await run(tenant, 'Remove-MailUser', { Identity: 'X', Confirm: false })
    const data = await cmdletFailure(run(tenant, 'Get-MailUser', { Identity: 'X' }))
    expect(data.reason).toBe('ManagementObjectNotFoundException')
  })

  it('reports an absent mail user with Exchange words, recognised as not found', async () => {
    const tenant = createFakeTenant()
    const error = await run(tenant, 'Get-MailUser', { Identity: 'ghost' }).catch((e: unknown) => e)
    expect(isExchangeNotFound(error)).toBe(true)
    expect((error as TeamsOAuthError).data['message']).toBe(
      "The operation couldn't be performed because object 'ghost' couldn't be found on 'dc01.contoso.com'.",
    )
  })
})

describe('management roles', () => {
  it('copies the parent entries into a new role', async () => {
    const tenant = createFakeTenant()
    const [role] = await run(tenant, 'New-ManagementRole', {
      Name: 'TeamsSchedulerRole',
      Parent: 'UserApplication',
    })
    expect(role).toMatchObject({ Name: 'TeamsSchedulerRole', Parent: 'UserApplication', IsRootRole: false })
    const entries = await run(tenant, 'Get-ManagementRoleEntry', { Identity: 'TeamsSchedulerRole\\*' })
    const parentEntries = await run(tenant, 'Get-ManagementRoleEntry', { Identity: 'UserApplication\\*' })
    expect(entries.map((e) => e['Name'])).toEqual(parentEntries.map((e) => e['Name']))
    expect(entries.map((e) => e['Name'])).toContain('GetDelegate')
    parsesAll(managementRoleEntryObject, entries)
    parsesAll(
      managementRoleObject,
      await run(tenant, 'Get-ManagementRole', { Identity: 'TeamsSchedulerRole' }),
    )
  })

  it('trims a role down to GetDelegate one entry at a time', async () => {
    const tenant = createFakeTenant()
    await run(tenant, 'New-ManagementRole', { Name: 'TeamsSchedulerRole', Parent: 'UserApplication' })
    const entries = await run(tenant, 'Get-ManagementRoleEntry', { Identity: 'TeamsSchedulerRole\\*' })
    for (const entry of entries.filter((e) => e['Name'] !== 'GetDelegate')) {
      await run(tenant, 'Remove-ManagementRoleEntry', { Identity: String(entry['Identity']), Confirm: false })
    }
    const left = await run(tenant, 'Get-ManagementRoleEntry', { Identity: 'TeamsSchedulerRole\\*' })
    expect(left.map((e) => e['Identity'])).toEqual(['TeamsSchedulerRole\\GetDelegate'])
  })

  it('adds back an entry that the parent role has', async () => {
    const tenant = createFakeTenant()
    await run(tenant, 'New-ManagementRole', { Name: 'R', Parent: 'UserApplication' })
    await run(tenant, 'Remove-ManagementRoleEntry', { Identity: 'R\\FindItem' })
    await run(tenant, 'Add-ManagementRoleEntry', { Identity: 'R\\FindItem' })
    expect(await run(tenant, 'Get-ManagementRoleEntry', { Identity: 'R\\FindItem' })).toHaveLength(1)
    const data = await cmdletFailure(run(tenant, 'Add-ManagementRoleEntry', { Identity: 'R\\Nonexistent' }))
    expect(data.reason).toBe('InvalidOperationException')
  })

  it('fails a duplicate role name and a missing parent', async () => {
    const tenant = createFakeTenant()
    await run(tenant, 'New-ManagementRole', { Name: 'R', Parent: 'UserApplication' })
    const duplicate = await cmdletFailure(
      run(tenant, 'New-ManagementRole', { Name: 'r', Parent: 'UserApplication' }),
    )
    expect(duplicate.reason).toBe('ADObjectAlreadyExistsException')
    expect(duplicate.message).toContain("The object 'CN=r,CN=Roles,CN=RBAC,CN=Contoso,CN=Microsoft Exchange")
    const orphan = await cmdletFailure(run(tenant, 'New-ManagementRole', { Name: 'S', Parent: 'NoSuchRole' }))
    expect(orphan.reason).toBe('ManagementObjectNotFoundException')
  })

  it('refuses to remove a role while assignments exist, and removes it after', async () => {
    const tenant = createFakeTenant()
    await run(tenant, 'New-MailUser', { Name: 'TeamsScheduler', ExternalEmailAddress: 'ts@contoso.com' })
    await run(tenant, 'New-ManagementRole', { Name: 'TeamsSchedulerRole', Parent: 'UserApplication' })
    const [assignment] = await run(tenant, 'New-ManagementRoleAssignment', {
      Role: 'TeamsSchedulerRole',
      User: 'TeamsScheduler',
    })
    const data = await cmdletFailure(
      run(tenant, 'Remove-ManagementRole', { Identity: 'TeamsSchedulerRole', Confirm: false }),
    )
    expect(data).toMatchObject({ reason: 'InvalidOperationException', category: 'InvalidOperation' })
    await run(tenant, 'Remove-ManagementRoleAssignment', { Identity: String(assignment?.['Name']) })
    await run(tenant, 'Remove-ManagementRole', { Identity: 'TeamsSchedulerRole' })
    await cmdletFailure(run(tenant, 'Get-ManagementRole', { Identity: 'TeamsSchedulerRole' }))
  })

  it('lists child roles and removes a parent with its children only under -Recurse', async () => {
    const tenant = createFakeTenant()
    await run(tenant, 'New-ManagementRole', { Name: 'Parent', Parent: 'UserApplication' })
    await run(tenant, 'New-ManagementRole', { Name: 'Child', Parent: 'Parent' })
    const children = await run(tenant, 'Get-ManagementRole', { Identity: 'Parent', GetChildren: true })
    expect(children.map((r) => r['Name'])).toEqual(['Child'])
    const tree = await run(tenant, 'Get-ManagementRole', { Identity: 'UserApplication', Recurse: true })
    expect(tree.map((r) => r['Name'])).toEqual(['UserApplication', 'Parent', 'Child'])
    await cmdletFailure(run(tenant, 'Remove-ManagementRole', { Identity: 'Parent' }))
    await run(tenant, 'Remove-ManagementRole', { Identity: 'Parent', Recurse: true, Confirm: false })
    expect(await run(tenant, 'Get-ManagementRole', { Identity: 'Child*' })).toEqual([])
  })

  it('refuses to remove a built-in role or its entries', async () => {
    const tenant = createFakeTenant()
    expect(
      (await cmdletFailure(run(tenant, 'Remove-ManagementRole', { Identity: 'ArchiveApplication' })))
        .category,
    ).toBe('InvalidOperation')
    expect(
      (
        await cmdletFailure(
          run(tenant, 'Remove-ManagementRoleEntry', { Identity: 'UserApplication\\GetItem' }),
        )
      ).category,
    ).toBe('InvalidOperation')
  })
})

describe('role assignments', () => {
  it('names the assignment "<Role>-<User>" and fails a duplicate', async () => {
    const tenant = createFakeTenant()
    await run(tenant, 'New-MailUser', {
      Name: 'SfBOnline-ApplicationAccount',
      ExternalEmailAddress: 's@contoso.com',
    })
    const [assignment] = await run(tenant, 'New-ManagementRoleAssignment', {
      Role: 'UserApplication',
      User: 'SfBOnline-ApplicationAccount',
    })
    expect(assignment).toMatchObject({
      Name: 'UserApplication-SfBOnline-ApplicationAccount',
      Role: 'UserApplication',
      RoleAssigneeName: 'SfBOnline-ApplicationAccount',
      RoleAssigneeType: 'User',
      Enabled: true,
    })
    const data = await cmdletFailure(
      run(tenant, 'New-ManagementRoleAssignment', {
        Role: 'UserApplication',
        User: 'SfBOnline-ApplicationAccount',
      }),
    )
    expect(data.reason).toBe('ADObjectAlreadyExistsException')
    parsesAll(
      roleAssignmentObject,
      await run(tenant, 'Get-ManagementRoleAssignment', { RoleAssignee: 'SfBOnline-ApplicationAccount' }),
    )
  })

  it('cuts generated names at 64 characters', async () => {
    const tenant = createFakeTenant()
    const name = 'A-very-long-application-account-name-for-testing-truncation'
    await run(tenant, 'New-MailUser', { Name: name, ExternalEmailAddress: 'long@contoso.com' })
    const [assignment] = await run(tenant, 'New-ManagementRoleAssignment', {
      Role: 'ArchiveApplication',
      User: name,
    })
    expect(assignment?.['Name']).toBe(`ArchiveApplication-${name}`.slice(0, 64))
  })

  it('filters by role and fails an unknown role or user', async () => {
    const tenant = createFakeTenant()
    const byRole = await run(tenant, 'Get-ManagementRoleAssignment', { Role: 'UserApplication' })
    expect(byRole.every((a) => a['Role'] === 'UserApplication')).toBe(true)
    await cmdletFailure(run(tenant, 'New-ManagementRoleAssignment', { Role: 'Nope', User: 'alice' }))
    await cmdletFailure(
      run(tenant, 'New-ManagementRoleAssignment', { Role: 'UserApplication', User: 'ghost' }),
    )
  })

  it('disables and re-enables an assignment by its name, one write each', async () => {
    const tenant = createFakeTenant()
    await run(tenant, 'New-MailUser', { Name: 'TeamsScheduler', ExternalEmailAddress: 'ts@contoso.com' })
    const [created] = await run(tenant, 'New-ManagementRoleAssignment', {
      Role: 'UserApplication',
      User: 'TeamsScheduler',
    })
    const name = String(created?.['Name'])
    const before = tenant.changes.length

    expect(
      await run(tenant, 'Set-ManagementRoleAssignment', {
        Identity: name,
        Enabled: false,
        DomainController: 'dc01.contoso.com',
        Confirm: false,
      }),
    ).toEqual([])
    expect(tenant.changes.slice(before)).toMatchObject([
      { system: 'exchange', operation: 'Set-ManagementRoleAssignment', target: name },
    ])
    const [disabled] = await run(tenant, 'Get-ManagementRoleAssignment', { Identity: name })
    expect(disabled?.['Enabled']).toBe(false)
    parsesAll(roleAssignmentObject, [disabled])
    const offOnly = await run(tenant, 'Get-ManagementRoleAssignment', { Enabled: false })
    expect(offOnly.map((a) => a['Name'])).toEqual([name])

    // the name matches case-insensitively, and the object keeps its own spelling
    await run(tenant, 'set-managementroleassignment', { identity: name.toUpperCase(), enabled: true })
    const [enabled] = await run(tenant, 'Get-ManagementRoleAssignment', { Identity: name })
    expect(enabled).toMatchObject({ Name: name, Enabled: true })
    expect(tenant.changes.length).toBe(before + 2)
  })

  it('fails an unknown assignment with Exchange words and writes nothing', async () => {
    const tenant = createFakeTenant()
    const before = tenant.changes.length
    const call = run(tenant, 'Set-ManagementRoleAssignment', {
      Identity: 'UserApplication-ghost',
      Enabled: false,
    })
    await expect(call).rejects.toSatisfy(isExchangeNotFound)
    const data = await cmdletFailure(call)
    expect(data).toMatchObject({
      reason: 'ManagementObjectNotFoundException',
      message:
        "The operation couldn't be performed because object 'UserApplication-ghost' couldn't be found on 'dc01.contoso.com'.",
      fullyQualifiedErrorId: expect.stringMatching(
        /,Microsoft\.Exchange\.Management\.RbacTasks\.SetManagementRoleAssignment$/,
      ),
      target: 'UserApplication-ghost',
    })
    expect(tenant.changes.length).toBe(before)
  })

  it('binds the reference parameter sets of Set-ManagementRoleAssignment (on-premises only)', async () => {
    const tenant = createFakeTenant()
    const [assignment] = await run(tenant, 'Get-ManagementRoleAssignment')
    const name = String(assignment?.['Name'])
    const missing = await cmdletFailure(run(tenant, 'Set-ManagementRoleAssignment', { Enabled: false }))
    expect(missing.fullyQualifiedErrorId).toBe('MissingMandatoryParameter,Set-ManagementRoleAssignment')
    // scope parameters bind (the model keeps no write scopes, so they change nothing it reports)
    await run(tenant, 'Set-ManagementRoleAssignment', {
      Identity: name,
      RecipientRelativeWriteScope: 'Organization',
    })
    await run(tenant, 'Set-ManagementRoleAssignment', {
      Identity: name,
      ExclusiveConfigWriteScope: 'Scope1',
      ExclusiveRecipientWriteScope: 'Scope2',
    })
    // one scope per call, as Exchange's parameter sets say
    const mixed = await cmdletFailure(
      run(tenant, 'Set-ManagementRoleAssignment', {
        Identity: name,
        RecipientRelativeWriteScope: 'Organization',
        CustomRecipientWriteScope: 'Scope1',
      }),
    )
    expect(mixed.fullyQualifiedErrorId).toBe('AmbiguousParameterSet,Set-ManagementRoleAssignment')
    expect(await tenant.exchange.hasParameter('Set-ManagementRoleAssignment', 'Enabled')).toBe(true)
    expect(await tenant.exchange.hasParameter('Set-ManagementRoleAssignment', 'RecipientGroupScope')).toBe(
      false,
    )
    expect(await tenant.exchange.hasParameter('Set-ManagementRoleAssignment', 'CustomResourceScope')).toBe(
      false,
    )
    // -WhatIf changes nothing
    const before = tenant.changes.length
    await run(tenant, 'Set-ManagementRoleAssignment', { Identity: name, Enabled: false, WhatIf: true })
    expect(tenant.changes.length).toBe(before)
    expect((await run(tenant, 'Get-ManagementRoleAssignment', { Identity: name }))[0]?.['Enabled']).toBe(true)
  })
})

describe('partner applications', () => {
  it('creates a partner application linked to an account and fails a duplicate name', async () => {
    const tenant = createFakeTenant()
    await run(tenant, 'New-MailUser', { Name: 'TeamsScheduler', ExternalEmailAddress: 'ts@contoso.com' })
    const params = {
      Name: 'TeamsScheduler',
      ApplicationIdentifier: '7557eb47-c689-4224-abcf-aef9bd7573df',
      Enabled: true,
      LinkedAccount: 'TeamsScheduler',
    }
    const [app] = await run(tenant, 'New-PartnerApplication', params)
    expect(app).toMatchObject({ Enabled: true, LinkedAccount: 'contoso.com/Users/TeamsScheduler' })
    const data = await cmdletFailure(run(tenant, 'New-PartnerApplication', params))
    expect(data.message).toContain('already exists')
    expect(data.reason).toBe('ADObjectAlreadyExistsException')
    parsesAll(partnerApplicationObject, await run(tenant, 'Get-PartnerApplication'))
  })

  it('creates one without a linked account, changes and removes it', async () => {
    const tenant = createFakeTenant()
    const [app] = await run(tenant, 'New-PartnerApplication', {
      Name: 'CloudVoicemail',
      ApplicationIdentifier: 'db7de2b5-2149-435e-8043-e080dd50afae',
      Enabled: true,
    })
    expect(app?.['LinkedAccount']).toBeNull()
    await run(tenant, 'Set-PartnerApplication', { Identity: 'CloudVoicemail', Enabled: false })
    expect(
      (await run(tenant, 'Get-PartnerApplication', { Identity: 'CloudVoicemail' }))[0]?.['Enabled'],
    ).toBe(false)
    await run(tenant, 'Remove-PartnerApplication', { Identity: 'CloudVoicemail', Confirm: false })
    await cmdletFailure(run(tenant, 'Get-PartnerApplication', { Identity: 'CloudVoicemail' }))
  })
})

describe('auth configuration and certificates', () => {
  it('reads the auth config whose current certificate is in the server store', async () => {
    const tenant = createFakeTenant()
    const [config] = await run(tenant, 'Get-AuthConfig')
    parsesAll(authConfigObject, [config])
    const thumbprint = String(config?.['CurrentCertificateThumbprint'])
    const [cert] = await run(tenant, 'Get-ExchangeCertificate', { Thumbprint: thumbprint, Server: 'EX01' })
    parsesAll(exchangeCertificateObject, [cert])
    expect(cert?.['Subject']).toBe('CN=Microsoft Exchange Server Auth Certificate')
    const exported = await tenant.exchange.exportCertificate(thumbprint)
    expect(Buffer.from(exported!).toString('base64')).toBe(cert?.['RawData'])
    expect(new Date(String(cert?.['NotAfter'])).getTime()).toBeGreaterThan(Date.now() + 365 * 86_400_000)
  })

  it('answers an absent certificate with not found and exportCertificate with null', async () => {
    const tenant = createFakeTenant()
    expect(await tenant.exchange.exportCertificate('00'.repeat(20))).toBeNull()
    const data = await cmdletFailure(run(tenant, 'Get-ExchangeCertificate', { Thumbprint: '00'.repeat(20) }))
    expect(data.reason).toBe('ManagementObjectNotFoundException')
  })

  it('reads the auth server, the servers and the organisation config', async () => {
    const tenant = createFakeTenant()
    const servers = await run(tenant, 'Get-AuthServer')
    parsesAll(authServerObject, servers)
    expect(servers[0]).toMatchObject({ Type: 'AzureAD', Enabled: true })
    const exchangeServers = await run(tenant, 'Get-ExchangeServer')
    parsesAll(exchangeServerObject, exchangeServers)
    expect(exchangeServers[0]?.['AdminDisplayVersion']).toBe('Version 15.2 (Build 1544.4)')
    parsesAll(organizationConfigObject, await run(tenant, 'Get-OrganizationConfig'))
    parsesAll(casMailboxObject, await run(tenant, 'Get-CASMailbox', { Identity: 'alice' }))
    parsesAll(mailboxObject, await run(tenant, 'Get-Mailbox'))
  })

  it('seeds an EWS allow list without the scheduling service', async () => {
    const tenant = createFakeTenant(scenarios.ewsAllowListWithoutScheduling())
    const [config] = await run(tenant, 'Get-OrganizationConfig')
    expect(config?.['EwsApplicationAccessPolicy']).toBe('EnforceAllowList')
    const allowList = (config?.['EwsAllowList'] ?? []) as string[]
    expect(allowList.length).toBeGreaterThan(0)
    expect(allowList.some((e) => /SchedulingService/i.test(e))).toBe(false)
  })
})

describe('calendar folders and permissions', () => {
  it('finds the calendar with its localised name', async () => {
    const tenant = createFakeTenant()
    const folders = await run(tenant, 'Get-MailboxFolderStatistics', {
      Identity: 'klaus',
      FolderScope: 'Calendar',
    })
    parsesAll(mailboxFolderObject, folders)
    expect(folders).toHaveLength(1)
    expect(folders[0]).toMatchObject({ Name: 'Kalender', FolderType: 'Calendar', FolderPath: '/Kalender' })
  })

  it('reads the delegate rights on the calendar', async () => {
    const tenant = createFakeTenant()
    const rights = await run(tenant, 'Get-MailboxFolderPermission', {
      Identity: 'klaus:\\Kalender',
      User: 'bob',
    })
    parsesAll(mailboxFolderPermissionObject, rights)
    expect(rights[0]).toMatchObject({ User: 'Bob Miller', AccessRights: ['Editor'], FolderName: 'Kalender' })
    const all = await run(tenant, 'Get-MailboxFolderPermission', { Identity: 'alice:\\Calendar' })
    expect(all.map((p) => p['User'])).toEqual(['Default', 'Anonymous', 'Bob Miller'])
  })

  it('fails a calendar path in the wrong language', async () => {
    const data = await cmdletFailure(
      run(createFakeTenant(), 'Get-MailboxFolderPermission', { Identity: 'klaus:\\Calendar' }),
    )
    expect(data.message).toBe(
      "The operation couldn't be performed because 'klaus:\\Calendar' couldn't be found.",
    )
  })

  it('adds and changes a delegate permission with Exchange errors on the wrong verb', async () => {
    const tenant = createFakeTenant(scenarios.delegateOwnerOnly())
    expect(
      (await run(tenant, 'Get-MailboxFolderPermission', { Identity: 'alice:\\Calendar', User: 'bob' }))[0]?.[
        'AccessRights'
      ],
    ).toEqual(['Owner'])
    const exists = await cmdletFailure(
      run(tenant, 'Add-MailboxFolderPermission', {
        Identity: 'alice:\\Calendar',
        User: 'bob',
        AccessRights: ['Editor'],
      }),
    )
    expect(exists.message).toBe('An existing permission entry was found for user: Bob Miller.')
    await run(tenant, 'Set-MailboxFolderPermission', {
      Identity: 'alice:\\Calendar',
      User: 'bob',
      AccessRights: ['editor'],
      SharingPermissionFlags: 'Delegate',
    })
    const [after] = await run(tenant, 'Get-MailboxFolderPermission', {
      Identity: 'alice:\\Calendar',
      User: 'bob',
    })
    expect(after).toMatchObject({ AccessRights: ['Editor'], SharingPermissionFlags: 'Delegate' })
    const missing = await cmdletFailure(
      run(tenant, 'Set-MailboxFolderPermission', {
        Identity: 'alice:\\Calendar',
        User: 'klaus',
        AccessRights: ['Author'],
      }),
    )
    expect(missing.message).toBe('There is no existing permission entry found for user: Klaus Müller.')
    const [added] = await run(tenant, 'Add-MailboxFolderPermission', {
      Identity: 'alice:\\Calendar',
      User: 'klaus',
      AccessRights: ['Author'],
    })
    expect(added).toMatchObject({ User: 'Klaus Müller', AccessRights: ['Author'] })
  })

  it('refuses an access right Exchange does not know', async () => {
    const data = await cmdletFailure(
      run(createFakeTenant(), 'Add-MailboxFolderPermission', {
        Identity: 'alice:\\Calendar',
        User: 'klaus',
        AccessRights: ['Superuser'],
      }),
    )
    expect(data.reason).toBe('ParameterBindingException')
  })

  it('seeds a German calendar for the delegator', async () => {
    const tenant = createFakeTenant(scenarios.germanCalendar())
    const [folder] = await run(tenant, 'Get-MailboxFolderStatistics', {
      Identity: 'alice',
      FolderScope: 'Calendar',
    })
    expect(folder?.['Name']).toBe('Kalender')
  })
})

describe('seeded auth certificate scenarios', () => {
  it('expires the auth certificate in 30 days', async () => {
    const tenant = createFakeTenant(scenarios.authCertificateExpiringIn(30))
    const [config] = await run(tenant, 'Get-AuthConfig')
    const [cert] = await run(tenant, 'Get-ExchangeCertificate', {
      Thumbprint: String(config?.['CurrentCertificateThumbprint']),
    })
    const days = (new Date(String(cert?.['NotAfter'])).getTime() - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(28)
    expect(days).toBeLessThan(31)
  })

  it('has an expired auth certificate', async () => {
    const tenant = createFakeTenant(scenarios.expiredAuthCertificate())
    const [config] = await run(tenant, 'Get-AuthConfig')
    const [cert] = await run(tenant, 'Get-ExchangeCertificate', {
      Thumbprint: String(config?.['CurrentCertificateThumbprint']),
    })
    expect(new Date(String(cert?.['NotAfter'])).getTime()).toBeLessThan(Date.now())
  })

  it('sets a next certificate that is in the store but on no service principal', async () => {
    const tenant = createFakeTenant(scenarios.nextCertificateNotUploaded())
    const [config] = await run(tenant, 'Get-AuthConfig')
    const next = String(config?.['NextCertificateThumbprint'])
    expect(config?.['NextCertificateEffectiveDate']).not.toBeNull()
    expect(await tenant.exchange.exportCertificate(next)).not.toBeNull()
    const sp = await tenant.entra.getServicePrincipal('7557eb47-c689-4224-abcf-aef9bd7573df')
    expect(sp?.keyCredentials.some((k) => k.customKeyIdentifier === next)).toBe(false)
  })

  it('has no auth server and, separately, no partner application', async () => {
    expect(await run(createFakeTenant(scenarios.noAuthServer()), 'Get-AuthServer')).toEqual([])
    expect(await run(createFakeTenant(scenarios.noPartnerApp()), 'Get-PartnerApplication')).toEqual([])
  })

  it('has only the legacy partner app with its key uploaded', async () => {
    const tenant = createFakeTenant(scenarios.legacyOnly())
    const apps = await run(tenant, 'Get-PartnerApplication')
    expect(apps.map((a) => a['ApplicationIdentifier'])).toContain('00000004-0000-0ff1-ce00-000000000000')
    expect(apps.map((a) => a['ApplicationIdentifier'])).not.toContain('7557eb47-c689-4224-abcf-aef9bd7573df')
    const [config] = await run(tenant, 'Get-AuthConfig')
    const sp = await tenant.entra.getServicePrincipal('00000004-0000-0ff1-ce00-000000000000')
    expect(
      sp?.keyCredentials.some((k) => k.customKeyIdentifier === config?.['CurrentCertificateThumbprint']),
    ).toBe(true)
  })

  it('combines scenarios', async () => {
    const tenant = createFakeTenant(scenarios.combine(scenarios.noAuthServer(), scenarios.germanCalendar()))
    expect(await run(tenant, 'Get-AuthServer')).toEqual([])
    const [folder] = await run(tenant, 'Get-MailboxFolderStatistics', {
      Identity: 'alice',
      FolderScope: 'Calendar',
    })
    expect(folder?.['Name']).toBe('Kalender')
  })
})

describe('a test certificate as the current auth certificate', () => {
  it('can be seeded through customize', async () => {
    const cert = makeTestCertificate({ subject: 'CN=Seeded Auth' })
    const tenant = createFakeTenant({
      customize: (state) => {
        state.exchange.servers[0]!.certificates.push({
          thumbprint: cert.thumbprint,
          der: Buffer.from(cert.der).toString('base64'),
          friendlyName: 'seeded',
          services: 'SMTP',
        })
        state.exchange.authConfig.currentCertificateThumbprint = cert.thumbprint
      },
    })
    expect(await tenant.exchange.exportCertificate(cert.thumbprint.toLowerCase())).toEqual(cert.der)
  })
})
