import { createPowerShellSession, type PowerShellSession } from '@teams-oauth/powershell'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { knownCmdlets } from './binding'
import { type FakeExchangeServer, startFakeExchangeServer } from './pwsh-door'
import { createFakeTenant, type FakeTenant } from './tenant'

const pwsh = pwshTestGate()

type Described = Record<
  string,
  { name: string; parameters: { name: string; type: string; mandatory: boolean }[] }[]
>

const declared = `
param([string[]]$Names)
$common = [System.Collections.Generic.HashSet[string]]::new([string[]]([System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters))
foreach ($name in $Names) {
  $command = Get-Command -Name $name
  [pscustomobject]@{
    Name = $name
    ShouldProcess = $command.Parameters.ContainsKey('WhatIf')
    Sets = @(foreach ($set in $command.ParameterSets) {
      [pscustomobject]@{
        Name = $set.Name
        Parameters = @(foreach ($p in $set.Parameters) { if (-not $common.Contains($p.Name)) { $p.Name + ':' + $p.IsMandatory } })
      }
    })
  }
}
`

describe.runIf(pwsh.run)('the PowerShell stand-in', () => {
  let tenant: FakeTenant
  let door: FakeExchangeServer
  let session: PowerShellSession
  beforeAll(async () => {
    tenant = createFakeTenant()
    door = await startFakeExchangeServer(tenant)
    session = createPowerShellSession({
      executable: pwsh.executable,
      setup: {
        script: 'param($Path, $Url) Import-Module -Name $Path -ArgumentList $Url',
        params: { Path: door.modulePath, Url: door.url },
      },
    })
  })
  afterAll(async () => {
    await session?.close()
    await door?.close()
  })

  it('declares every cmdlet the model knows with its parameter sets, parameter names and mandatory flags', async () => {
    const described = ((await (await fetch(`${door.url}/cmdlets`)).json()) as { cmdlets: Described }).cmdlets
    expect(Object.keys(described).sort()).toEqual(knownCmdlets().sort())
    expect(described['New-MailUser']?.[0]?.parameters.map((p) => p.name)).toContain('ApplicationAccount')

    const found = (await session.run({ script: declared, params: { Names: Object.keys(described) } })) as {
      Name: string
      ShouldProcess: boolean
      Sets: { Name: string; Parameters: string[] }[]
    }[]
    for (const command of found) {
      const sets = described[command.Name]!
      const expected = sets.map((set) => ({
        Name: set.name,
        Parameters: set.parameters
          .filter((p) => p.name !== 'WhatIf' && p.name !== 'Confirm')
          .map((p) => `${p.name}:${p.mandatory ? 'True' : 'False'}`)
          .sort(),
      }))
      expected.sort((a, b) => a.Name.localeCompare(b.Name))
      const actual = command.Sets.map((set) => ({ Name: set.Name, Parameters: [...set.Parameters].sort() }))
      actual.sort((a, b) => a.Name.localeCompare(b.Name))
      expect(actual, command.Name).toEqual(expected)
      const hasWhatIf = sets.some((set) => set.parameters.some((p) => p.name === 'WhatIf'))
      expect(command.ShouldProcess, command.Name).toBe(hasWhatIf)
    }
    expect(found).toHaveLength(Object.keys(described).length)
  })

  it('hands over what a remote Exchange session does: enums as numbers named by ToString() and [string], versions and identities as objects, dates as DateTime, lists as ArrayList or null', async () => {
    const script = `
$server = @(Get-ExchangeServer)[0]
$app = @(Get-PartnerApplication)[0]
$certificate = @(Get-ExchangeCertificate)[0]
$organization = Get-OrganizationConfig
$user = @(Get-MailUser)[0]
[pscustomobject]@{
  ServerRole = @(($server.ServerRole -is [int]), $server.ServerRole.PSObject.BaseObject, $server.ServerRole.ToString(), $server.ServerRole.PSObject.TypeNames[0], [string]$server.ServerRole, "$($server.ServerRole)")
  Version = @(($server.AdminDisplayVersion -is [string]), $server.AdminDisplayVersion.Major, $server.AdminDisplayVersion.Minor, $server.AdminDisplayVersion.Build, $server.AdminDisplayVersion.Revision, $server.AdminDisplayVersion.ToString())
  Identity = @(($server.Identity -is [string]), $server.Identity.PSObject.TypeNames[0], $server.Identity.ToString())
  LinkedAccount = @($app.LinkedAccount.PSObject.TypeNames[0], $app.LinkedAccount.Name, $app.LinkedAccount.ToString())
  UserIdentity = @($user.Identity.PSObject.TypeNames[0], $user.Identity.ToString(), $user.RecipientTypeDetails.PSObject.BaseObject, $user.RecipientTypeDetails.ToString())
  NotAfter = @(($certificate.NotAfter -is [datetime]), [string]$certificate.NotAfter.Kind, ($certificate.RawData -is [byte[]]), $certificate.Services.PSObject.BaseObject)
  Lists = @(($null -eq $organization.EwsAllowList), ($user.EmailAddresses.PSObject.BaseObject -is [System.Collections.ArrayList]), $user.EmailAddresses[0].ToString())
}
`
    const [shapes] = (await session.run({ script })) as Record<string, unknown[]>[]
    expect(shapes).toEqual({
      ServerRole: [
        true,
        2,
        'Mailbox',
        'Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.ServerRole',
        // as Import-Clixml gives a deserialized enum: a [string] cast names it, a string expansion gives the number
        'Mailbox',
        '2',
      ],
      Version: [false, 15, 2, 1544, 4, 'Version 15.2 (Build 1544.4)'],
      Identity: [false, 'Deserialized.Microsoft.Exchange.Data.Directory.ADObjectId', 'EX01'],
      LinkedAccount: [
        'Deserialized.Microsoft.Exchange.Data.Directory.ADObjectId',
        'Exchange Online-ApplicationAccount',
        'contoso.com/Users/Exchange Online-ApplicationAccount',
      ],
      UserIdentity: [
        'Deserialized.Microsoft.Exchange.Data.Directory.ADObjectId',
        'contoso.com/Users/Exchange Online-ApplicationAccount',
        128,
        'MailUser',
      ],
      NotAfter: [true, 'Local', true, 1],
      Lists: [true, true, 'SMTP:ExchangeOnline-ApplicationAccount@contoso.com'],
    })
  })

  it('disables a role assignment with Set-ManagementRoleAssignment, and Get- reads Enabled false', async () => {
    const [assignment] = await tenant.invokeCmdlet({ cmdlet: 'Get-ManagementRoleAssignment', params: {} })
    const name = String(assignment?.['Name'])
    const before = tenant.changes.length
    const script = `
param([string]$Name)
Set-ManagementRoleAssignment -Identity $Name -Enabled $false -DomainController 'dc01.contoso.com' -Confirm:$false
Get-ManagementRoleAssignment -Identity $Name | ForEach-Object { [pscustomobject]@{ Name = $_.Name; Enabled = $_.Enabled } }
`
    expect(await session.run({ script, params: { Name: name } })).toEqual([{ Name: name, Enabled: false }])
    expect(tenant.changes.slice(before)).toMatchObject([
      { operation: 'Set-ManagementRoleAssignment', target: name, detail: { Identity: name, Enabled: false } },
    ])
    await expect(
      session.run({
        script: "Set-ManagementRoleAssignment -Identity 'UserApplication-ghost' -Enabled $true",
        params: {},
      }),
    ).rejects.toMatchObject({ data: { reason: 'ManagementObjectNotFoundException' } })
    expect(tenant.changes.length).toBe(before + 1)
  })
})
