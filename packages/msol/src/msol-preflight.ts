/**
 * Getting an MSOnline session ready: the setup script each PowerShell process runs (edition, module,
 * sign-in), and the errors that say why the MSOnline path cannot run here.
 */
import { basename } from 'node:path'
import { TeamsOAuthError } from '@teams-oauth/core'
import { isPowerShellError, type Parameters, secret } from '@teams-oauth/powershell'

/** How Connect-MsolService signs in; without one it prompts (Windows only). */
export type MsolCredential =
  | { userName: string; password: string }
  | { msGraphAccessToken?: string; adGraphAccessToken?: string }

export const defaultExecutable = 'powershell.exe'

const retired =
  'MSOnline needs the MSOnline module in Windows PowerShell 5.1, and Microsoft retired MSOnline in 2025 ' +
  '(it stopped working between April and May 2025). Use the Microsoft Graph path instead: --entra graph.'

/**
 * The setup every session process runs: fixed text, values arrive as parameters. It checks the
 * edition and the module before importing it and signing in, so nothing changes when the path is
 * unavailable. Failures carry an ErrorId the adapter recognises.
 */
export const setupScript = `
param([string]$ModuleName, [bool]$AllowCore, [string]$UserName, [string]$Password, [string]$MsGraphAccessToken, [string]$AdGraphAccessToken, [string]$AzureEnvironment)
if ($PSVersionTable.PSEdition -eq 'Core' -and -not $AllowCore) {
  Write-Error -Message ('PowerShell ' + $PSVersionTable.PSVersion.ToString() + ' (Core) cannot load MSOnline') -ErrorId 'TeamsOAuthMsolCoreEdition' -Category NotImplemented -ErrorAction Stop
}
$isPath = $ModuleName.Contains('/') -or $ModuleName.Contains('\\')
if ($isPath) { $found = Test-Path -LiteralPath $ModuleName } else { $found = $null -ne (Get-Module -ListAvailable -Name $ModuleName) }
if (-not $found) {
  Write-Error -Message ('The module ' + $ModuleName + ' is not installed') -ErrorId 'TeamsOAuthMsolModuleMissing' -Category ObjectNotFound -ErrorAction Stop
}
Import-Module -Name $ModuleName -Global -ErrorAction Stop -WarningAction SilentlyContinue
$connect = @{ ErrorAction = 'Stop' }
if ($AzureEnvironment) { $connect.AzureEnvironment = $AzureEnvironment }
if ($UserName) { $connect.Credential = [pscredential]::new($UserName, (ConvertTo-SecureString -String $Password -AsPlainText -Force)) }
if ($MsGraphAccessToken) { $connect.MsGraphAccessToken = $MsGraphAccessToken }
if ($AdGraphAccessToken) { $connect.AdGraphAccessToken = $AdGraphAccessToken }
try { Connect-MsolService @connect } catch {
  Write-Error -Message ('Connect-MsolService failed: ' + $_.Exception.Message) -ErrorId 'TeamsOAuthMsolConnectFailed' -Category AuthenticationError -ErrorAction Stop
} finally {
  # This runs in the global scope: the password, the tokens and the credential go once signed in.
  Remove-Variable -Name Password, MsGraphAccessToken, AdGraphAccessToken, connect -Scope Local -Force -ErrorAction SilentlyContinue
}
`

/** Whether the executable is Windows PowerShell's own, which exists only on Windows. */
export function isDefaultExecutable(executable: string): boolean {
  return basename(executable.replace(/\\/g, '/')).toLowerCase() === defaultExecutable
}

/** The setup script's sign-in parameters, the secret ones wrapped so no log shows them. */
export function credentialParams(credential: MsolCredential | undefined): Parameters {
  if (!credential) return {}
  if ('userName' in credential)
    return { UserName: credential.userName, Password: secret(credential.password) }
  return {
    MsGraphAccessToken: credential.msGraphAccessToken ? secret(credential.msGraphAccessToken) : undefined,
    AdGraphAccessToken: credential.adGraphAccessToken ? secret(credential.adGraphAccessToken) : undefined,
  }
}

/** ENTRA_PATH_UNAVAILABLE: the MSOnline path cannot run here, with why and what to use instead. */
export function unavailable(
  why: string,
  data: Record<string, unknown> = {},
  cause?: unknown,
): TeamsOAuthError {
  return new TeamsOAuthError(
    'ENTRA_PATH_UNAVAILABLE',
    `The MSOnline path cannot run here: ${why} ${retired}`,
    data,
    {
      cause,
    },
  )
}

/** A failure of the preflight, as the reason the path is unavailable when the setup script gave one. */
export function preflightError(error: unknown, executable: string): unknown {
  if (!isPowerShellError(error)) return error
  const id = String(error.data.fullyQualifiedErrorId ?? '')
  const said = String(error.data.message ?? error.message)
  if (error.code === 'POWERSHELL_UNAVAILABLE') {
    return unavailable(`${executable} could not be started.`, { executable }, error)
  }
  if (id.startsWith('TeamsOAuthMsolCoreEdition')) {
    return unavailable(
      `${said}; it is PowerShell 7, not Windows PowerShell 5.1.`,
      { executable, reason: 'edition' },
      error,
    )
  }
  if (id.startsWith('TeamsOAuthMsolModuleMissing')) {
    return unavailable(`${said}.`, { executable, reason: 'module-missing' }, error)
  }
  if (id.startsWith('TeamsOAuthMsolConnectFailed')) {
    return unavailable(`${said}.`, { executable, reason: 'connect-failed' }, error)
  }
  if (error.data.setup === true)
    return unavailable(`loading MSOnline failed: ${said}.`, { executable }, error)
  return error
}
