import type { EntraPath } from '../input'
import type { CmdletValue } from '../ports'
import { psValue } from './quote'

/** A read in the script: what the engine's readFound does (not found is nothing, anything else stops). */
export const psFind = (cmdlet: string, params: Record<string, CmdletValue>): string =>
  `@(Find-TeamsOAuthObject ${cmdlet} ${psValue(params)})`

/**
 * Fixed PowerShell functions the exported script's steps share. They hold no value: everything
 * that varies arrives as an argument. Written for Windows PowerShell 5.1 as much as for 7.
 */
const exchange = String.raw`
# Reads with a cmdlet, pinned as the run is; Exchange's "couldn't be found" is nothing, any other failure stops.
function Find-TeamsOAuthObject([string]$Cmdlet, [hashtable]$Parameters, [switch]$Unpinned) {
  $all = @{}
  foreach ($name in $Parameters.Keys) { $all[$name] = $Parameters[$name] }
  if (-not $Unpinned) { foreach ($name in $dc.Keys) { $all[$name] = $dc[$name] } }
  try { return @(& $Cmdlet @all -ErrorAction Stop) }
  catch {
    $kind = [string]$_.CategoryInfo.Reason + ' ' + [string]$_.FullyQualifiedErrorId
    if ($kind -notmatch 'CommandNotFound' -and ([string]$_.CategoryInfo.Category -eq 'ObjectNotFound' -or $kind -match 'ManagementObjectNotFoundException|ObjectNotFound')) { return @() }
    throw
  }
}

# The certificate, public part only: from this server's store, else from any Exchange server's.
function Get-TeamsOAuthCertificate([string]$Thumbprint) {
  $local = Get-Item -Path ('Cert:\LocalMachine\My\' + $Thumbprint) -ErrorAction SilentlyContinue
  if ($local) { return [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([byte[]]$local.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Cert)) }
  foreach ($server in @(Get-ExchangeServer)) {
    $found = @(Find-TeamsOAuthObject Get-ExchangeCertificate @{ Server = [string]$server.Name; Thumbprint = $Thumbprint } -Unpinned)
    if ($found.Count -gt 0 -and $found[0].RawData) {
      $raw = $found[0].RawData
      if ($raw -is [string]) { $raw = [System.Convert]::FromBase64String($raw) }
      return [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([byte[]]$raw)
    }
  }
  return $null
}
`

const keys = String.raw`
# A date for Graph: ISO 8601 in UTC. A DateTime left to ConvertTo-Json would be \/Date(...)\/ on 5.1.
function ConvertTo-TeamsOAuthGraphDate($Value) {
  if ($Value -is [DateTime]) { return $Value.ToUniversalTime().ToString('o', [System.Globalization.CultureInfo]::InvariantCulture) }
  return [string]$Value
}

function ConvertTo-TeamsOAuthUtc($Value) {
  if ($Value -is [DateTime]) { return $Value.ToUniversalTime() }
  return [DateTime]::Parse([string]$Value, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind).ToUniversalTime()
}

# A key answers to a certificate by its value or by its customKeyIdentifier (the thumbprint, hex or base64).
function Test-TeamsOAuthKeyMatches($Key, $Certificate, [string]$ValueProperty) {
  if ([string]$Key.$ValueProperty -ceq [System.Convert]::ToBase64String($Certificate.RawData)) { return $true }
  $custom = [string]$Key.customKeyIdentifier
  if (-not $custom) { return $false }
  if ($custom -eq $Certificate.Thumbprint) { return $true }
  try { return (([System.BitConverter]::ToString([System.Convert]::FromBase64String($custom)) -replace '-', '') -eq $Certificate.Thumbprint) } catch { return $false }
}

# The expired keys that no certificate to upload answers to (dropped only with --drop-expired-keys).
function Get-TeamsOAuthExpiredKeyIds($Keys, $Certificates, [string]$IdProperty, [string]$EndProperty, [string]$ValueProperty) {
  foreach ($key in @($Keys)) {
    if ($null -eq $key.$EndProperty -or [string]$key.$EndProperty -eq '') { continue }
    if ((ConvertTo-TeamsOAuthUtc $key.$EndProperty) -gt $nowUtc) { continue }
    if (@($Certificates | Where-Object { Test-TeamsOAuthKeyMatches $key $_ $ValueProperty }).Count -gt 0) { continue }
    [string]$key.$IdProperty
  }
}
`

const graph = `
# One object with $select: a filtered list read returns key = null. The raw JSON is the backup.
function Read-TeamsOAuthServicePrincipal([string]$AppId) {
  $raw = Invoke-MgGraphRequest -Method GET -Uri ($graph + '/v1.0/servicePrincipals(appId=''' + $AppId + ''')?$select=id,appId,displayName,keyCredentials') -OutputType Json
  return @{ raw = [string]$raw; sp = (ConvertFrom-Json -InputObject ([string]$raw)) }
}

# A kept key goes back whole, as read (a null displayName included), its dates as ISO 8601 text.
function ConvertTo-TeamsOAuthKeptKey($Key) {
  $kept = [ordered]@{ keyId = [string]$Key.keyId; type = [string]$Key.type; usage = [string]$Key.usage; key = [string]$Key.key; displayName = $Key.displayName }
  if ($null -ne $Key.customKeyIdentifier) { $kept['customKeyIdentifier'] = [string]$Key.customKeyIdentifier }
  foreach ($field in 'startDateTime', 'endDateTime') {
    if ($null -ne $Key.$field) { $kept[$field] = ConvertTo-TeamsOAuthGraphDate $Key.$field }
  }
  return $kept
}

function New-TeamsOAuthKey($Certificate) {
  return [ordered]@{
    type = 'AsymmetricX509Cert'; usage = 'Verify'; key = [System.Convert]::ToBase64String($Certificate.RawData); displayName = $Certificate.Subject
    startDateTime = ConvertTo-TeamsOAuthGraphDate $Certificate.NotBefore; endDateTime = ConvertTo-TeamsOAuthGraphDate $Certificate.NotAfter
  }
}

# As the engine: the kept keys whole first; on a 400 about a key, once more in Microsoft's minimal form.
function Send-TeamsOAuthKeys($Sp, $Kept, $New, [string]$AppId) {
  $uri = $graph + '/v1.0/servicePrincipals/' + [string]$Sp.id
  $whole = @(@($Kept | ForEach-Object { ConvertTo-TeamsOAuthKeptKey $_ }) + @($New))
  try {
    $null = Invoke-MgGraphRequest -Method PATCH -Uri $uri -Body (ConvertTo-Json -InputObject @{ keyCredentials = $whole } -Depth 6) -ContentType 'application/json'
    return 'whole'
  } catch {
    $failure = [string]$_.Exception.Message + ' ' + [string]$_.ErrorDetails
    if ($failure -notmatch '400|BadRequest' -or $failure -notmatch 'key|credential') { throw }
    Write-Warning ($AppId + ': Graph refused the kept keys sent back whole (' + $failure.Trim() + '); sending them once more as type, usage, key and displayName only (they get new key ids)')
  }
  $minimal = @(@($Kept | ForEach-Object { [ordered]@{ type = [string]$_.type; usage = [string]$_.usage; key = [string]$_.key; displayName = $_.displayName } }) + @($New))
  $null = Invoke-MgGraphRequest -Method PATCH -Uri $uri -Body (ConvertTo-Json -InputObject @{ keyCredentials = $minimal } -Depth 6) -ContentType 'application/json'
  return 'minimal'
}
`

/** The helper functions the script's checks and steps call, for this Entra path. */
export const scriptHelpers = (entra: EntraPath): string =>
  [exchange, keys, entra === 'graph' ? graph : ''].join('').trim()
