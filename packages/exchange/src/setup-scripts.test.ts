import { createPowerShellSession, secret } from '@teams-oauth/powershell'
import { pwshTestGate, secretLeftovers } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { remoteSetup } from './setup-scripts'

const pwsh = pwshTestGate()

/**
 * Fixed text: New-PSSession and Import-PSSession stand-ins (remote PowerShell needs a server), then
 * the remote setup itself, dot-sourced in the global scope as the session runs every setup.
 */
const remoteSetupWithStandIns = `
param([string]$RemoteSetup, [string]$ConnectionUri, [string]$UserName, [string]$Password)
function global:New-PSSession($ConfigurationName, $ConnectionUri, $Authentication, [pscredential]$Credential) {
  $global:standInPasswordLength = $Credential.GetNetworkCredential().Password.Length
  [pscustomobject]@{ ComputerName = ([uri]$ConnectionUri).Host }
}
function global:Import-PSSession($Session, [switch]$DisableNameChecking, [switch]$AllowClobber) {
  New-Module -Name TeamsOAuthRemoteStandIn -ScriptBlock { function Get-TeamsOAuthRemoteMailbox { 'from the remote session' } }
}
. ([ScriptBlock]::Create($RemoteSetup)) -ConnectionUri $ConnectionUri -UserName $UserName -Password $Password
`

describe.runIf(pwsh.run)('the remote setup', () => {
  it('keeps neither the password nor the credential made from it once connected, and keeps the imported commands', async () => {
    const password = 'remote-secret-0815'
    const session = createPowerShellSession({
      executable: pwsh.executable,
      setup: {
        script: remoteSetupWithStandIns,
        params: {
          RemoteSetup: remoteSetup,
          ConnectionUri: 'http://ex01.contoso.com/PowerShell/',
          UserName: 'CONTOSO\\admin',
          Password: secret(password),
        },
      },
    })
    try {
      await session.start()
      expect(await session.run({ script: '$global:standInPasswordLength' })).toEqual([password.length])
      expect(await session.invoke({ command: 'Get-TeamsOAuthRemoteMailbox' })).toEqual([
        'from the remote session',
      ])
      expect(await session.run({ script: '$global:TeamsOAuthExchangeSession.ComputerName' })).toEqual([
        'ex01.contoso.com',
      ])
      expect(await session.run(secretLeftovers(password))).toEqual([])
    } finally {
      await session.close()
    }
  })
})
