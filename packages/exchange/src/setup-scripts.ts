/**
 * Fixed setup scripts, one per way of reaching Exchange. They are PowerShell text written here and
 * never built from values: the values arrive as param() arguments. Each runs once per PowerShell
 * process, in the global scope, so what it imports stays available to every later call. Its
 * parameters are removed once it has run (the session does that for every setup); a variable of
 * its own that holds a secret it removes itself.
 */

/** On an Exchange server, as the Exchange Management Shell shortcut does; the snap-in when that script is absent. */
export const localSetup = `
$remoteExchange = if ($env:ExchangeInstallPath) { Join-Path $env:ExchangeInstallPath 'bin\\RemoteExchange.ps1' } else { $null }
if ($null -ne $remoteExchange -and (Test-Path -LiteralPath $remoteExchange)) {
  . $remoteExchange
  Connect-ExchangeServer -auto -ClientApplication:ManagementShell
} else {
  Add-PSSnapin -Name Microsoft.Exchange.Management.PowerShell.SnapIn
}
`

/** Remote PowerShell to an Exchange server's /PowerShell endpoint, Kerberos, imported once. */
export const remoteSetup = `
param([string]$ConnectionUri, [string]$UserName, [string]$Password)
$teamsOAuthSessionParameters = @{ ConfigurationName = 'Microsoft.Exchange'; ConnectionUri = $ConnectionUri; Authentication = 'Kerberos' }
if (-not [string]::IsNullOrEmpty($UserName)) {
  $teamsOAuthSessionParameters['Credential'] = [System.Management.Automation.PSCredential]::new($UserName, (ConvertTo-SecureString -String $Password -AsPlainText -Force))
}
try {
  $global:TeamsOAuthExchangeSession = New-PSSession @teamsOAuthSessionParameters
} finally {
  # This runs in the global scope: the password and the credential made from it go once connected.
  Remove-Variable -Name Password, teamsOAuthSessionParameters -Scope Local -Force -ErrorAction SilentlyContinue
}
$null = Import-Module (Import-PSSession -Session $global:TeamsOAuthExchangeSession -DisableNameChecking -AllowClobber) -Global -DisableNameChecking
`

/** A module that defines the cmdlets itself (the fakes' stand-in, or a test double). */
export const moduleSetup = `
param([string]$ModulePath, [object[]]$ArgumentList)
$teamsOAuthImport = @{ Name = $ModulePath; Global = $true; DisableNameChecking = $true }
if ($null -ne $ArgumentList -and $ArgumentList.Count -gt 0) { $teamsOAuthImport['ArgumentList'] = $ArgumentList }
Import-Module @teamsOAuthImport
`

/** Ends the remote session politely before the process goes. */
export const remoteTeardown = `
if ($null -ne $global:TeamsOAuthExchangeSession) { Remove-PSSession -Session $global:TeamsOAuthExchangeSession }
`

export const hasParameterScript = `
param([string]$Name, [string]$Parameter)
$command = Get-Command -Name $Name -ErrorAction SilentlyContinue
if ($null -eq $command) { $false } else { $command.Parameters.ContainsKey($Parameter) }
`

/** On the Exchange server itself: the machine store, public part only (DER). */
export const localCertificateScript = `
param([string]$Thumbprint)
$certificate = Get-Item -LiteralPath ('Cert:\\LocalMachine\\My\\' + $Thumbprint) -ErrorAction SilentlyContinue
if ($null -ne $certificate) { ,$certificate.RawData }
`
