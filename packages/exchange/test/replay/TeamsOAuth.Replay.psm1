<#
  A replay of a real Exchange organisation, for tests: Exchange's read cmdlets answer with
  Import-Clixml of captured Export-Clixml output (../fixtures/css-exchange), so whatever reads
  through it sees the Deserialized.* objects a remote Exchange session hands over.

  Import-Module ./TeamsOAuth.Replay.psm1 -ArgumentList <folder>, @{ 'Get-ExchangeServer' = 'E16-GetExchangeServer.xml'; … }

  Captured (answered from the file named for it):
    Get-ExchangeServer, Get-AuthConfig, Get-ExchangeCertificate, Get-OrganizationConfig
  Not captured, answered as an organisation that has none of them:
    Get-PartnerApplication, Get-AuthServer, Get-ManagementRoleAssignment: no output;
    Get-MailUser, Get-Mailbox: no output without -Identity, "couldn't be found" with one;
    Get-ManagementRole, Get-ManagementRoleEntry, Get-CASMailbox, Get-MailboxFolderStatistics,
    Get-MailboxFolderPermission: "couldn't be found" (built-in roles such as UserApplication were
    not captured either).
  A captured cmdlet whose file is not named answers as if not captured: no output.
  No write cmdlet exists here: a replay can be planned, verified and diagnosed, never changed.
#>
param([string]$Directory, [hashtable]$Captures)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$script:Loaded = @{}

function Get-ReplayCapture([string]$Cmdlet) {
  if ($null -eq $Captures -or -not $Captures.ContainsKey($Cmdlet)) { return @() }
  if (-not $script:Loaded.ContainsKey($Cmdlet)) {
    $path = Join-Path -Path $Directory -ChildPath ([string]$Captures[$Cmdlet])
    $script:Loaded[$Cmdlet] = @(Import-Clixml -LiteralPath $path | Where-Object { $null -ne $_ })
  }
  return $script:Loaded[$Cmdlet]
}

# The error Exchange gives for an identity it cannot resolve.
function New-ReplayNotFound([string]$Cmdlet, [string]$Identity, [string]$DomainController) {
  $on = if ([string]::IsNullOrEmpty($DomainController)) { 'the domain controller' } else { "'$DomainController'" }
  $exception = [System.Exception]::new("The operation couldn't be performed because object '$Identity' couldn't be found on $on.")
  $record = [System.Management.Automation.ErrorRecord]::new(
    $exception, "ReplayNotFound,$Cmdlet", [System.Management.Automation.ErrorCategory]::ObjectNotFound, $Identity)
  $record.CategoryInfo.Reason = 'ManagementObjectNotFoundException'
  return $record
}

function Get-ExchangeServer {
  [CmdletBinding()]
  param([string]$Identity, [string]$DomainController, [switch]$Status)
  $servers = Get-ReplayCapture 'Get-ExchangeServer'
  if ([string]::IsNullOrEmpty($Identity)) { return $servers }
  $found = @($servers | Where-Object { $_.Name -eq $Identity -or $_.Fqdn -eq $Identity })
  if ($found.Count -eq 0) { $PSCmdlet.ThrowTerminatingError((New-ReplayNotFound 'Get-ExchangeServer' $Identity $DomainController)) }
  return $found
}

function Get-AuthConfig {
  [CmdletBinding()]
  param([string]$DomainController)
  Get-ReplayCapture 'Get-AuthConfig'
}

function Get-ExchangeCertificate {
  [CmdletBinding()]
  param([string]$Thumbprint, [string]$Identity, [string]$Server, [string]$DomainController)
  $certificates = Get-ReplayCapture 'Get-ExchangeCertificate'
  if ([string]::IsNullOrEmpty($Thumbprint)) { return $certificates }
  $found = @($certificates | Where-Object { $_.Thumbprint -eq $Thumbprint })
  if ($found.Count -eq 0) { $PSCmdlet.ThrowTerminatingError((New-ReplayNotFound 'Get-ExchangeCertificate' $Thumbprint $DomainController)) }
  return $found
}

function Get-OrganizationConfig {
  [CmdletBinding()]
  param([string]$DomainController)
  Get-ReplayCapture 'Get-OrganizationConfig'
}

function Get-PartnerApplication {
  [CmdletBinding()]
  param([string]$Identity, [string]$DomainController)
  if (-not [string]::IsNullOrEmpty($Identity)) { $PSCmdlet.ThrowTerminatingError((New-ReplayNotFound 'Get-PartnerApplication' $Identity $DomainController)) }
}

function Get-AuthServer {
  [CmdletBinding()]
  param([string]$Identity, [string]$DomainController)
  if (-not [string]::IsNullOrEmpty($Identity)) { $PSCmdlet.ThrowTerminatingError((New-ReplayNotFound 'Get-AuthServer' $Identity $DomainController)) }
}

function Get-ManagementRoleAssignment {
  [CmdletBinding()]
  param([string]$Identity, [string]$Role, [string]$RoleAssignee, [string]$RoleAssigneeType, [string]$DomainController)
  if (-not [string]::IsNullOrEmpty($Identity)) { $PSCmdlet.ThrowTerminatingError((New-ReplayNotFound 'Get-ManagementRoleAssignment' $Identity $DomainController)) }
}

function Get-MailUser {
  [CmdletBinding()]
  param([string]$Identity, [string]$DomainController, [string]$ResultSize)
  if (-not [string]::IsNullOrEmpty($Identity)) { $PSCmdlet.ThrowTerminatingError((New-ReplayNotFound 'Get-MailUser' $Identity $DomainController)) }
}

function Get-Mailbox {
  [CmdletBinding()]
  param([string]$Identity, [string]$DomainController, [string]$ResultSize)
  if (-not [string]::IsNullOrEmpty($Identity)) { $PSCmdlet.ThrowTerminatingError((New-ReplayNotFound 'Get-Mailbox' $Identity $DomainController)) }
}

function Get-ManagementRole {
  [CmdletBinding()]
  param([string]$Identity, [string]$RoleType, [string]$DomainController)
  $PSCmdlet.ThrowTerminatingError((New-ReplayNotFound 'Get-ManagementRole' $Identity $DomainController))
}

function Get-ManagementRoleEntry {
  [CmdletBinding()]
  param([Parameter(Mandatory = $true)][string]$Identity, [string]$DomainController)
  $PSCmdlet.ThrowTerminatingError((New-ReplayNotFound 'Get-ManagementRoleEntry' $Identity $DomainController))
}

function Get-CASMailbox {
  [CmdletBinding()]
  param([string]$Identity, [string]$DomainController)
  $PSCmdlet.ThrowTerminatingError((New-ReplayNotFound 'Get-CASMailbox' $Identity $DomainController))
}

function Get-MailboxFolderStatistics {
  [CmdletBinding()]
  param([Parameter(Mandatory = $true)][string]$Identity, [string]$FolderScope, [string]$DomainController)
  $PSCmdlet.ThrowTerminatingError((New-ReplayNotFound 'Get-MailboxFolderStatistics' $Identity $DomainController))
}

function Get-MailboxFolderPermission {
  [CmdletBinding()]
  param([Parameter(Mandatory = $true)][string]$Identity, [string]$User, [string]$DomainController)
  $PSCmdlet.ThrowTerminatingError((New-ReplayNotFound 'Get-MailboxFolderPermission' $Identity $DomainController))
}

Export-ModuleMember -Function @(
  'Get-ExchangeServer', 'Get-AuthConfig', 'Get-ExchangeCertificate', 'Get-OrganizationConfig',
  'Get-PartnerApplication', 'Get-AuthServer', 'Get-ManagementRoleAssignment', 'Get-MailUser', 'Get-Mailbox',
  'Get-ManagementRole', 'Get-ManagementRoleEntry', 'Get-CASMailbox', 'Get-MailboxFolderStatistics',
  'Get-MailboxFolderPermission'
)
