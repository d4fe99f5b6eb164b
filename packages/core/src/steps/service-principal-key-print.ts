import { quote } from '../script/quote'
import type { PrintOptions } from './step'

interface KeyStep {
  appId: string
  displayName: string
}

const noCertificate = 'no usable auth certificate to upload (see the auth certificate step)'

/** The reads before any change: a missing service principal or a key without its value stops here, as in plan. */
export function printKeyCheck(step: KeyStep, { entra, input }: PrintOptions): string {
  const cannotRead = (how: string) =>
    `  throw (${quote(`The service principal of ${step.displayName} (appId ${step.appId}) cannot be read: `)} + $_.Exception.Message + ${quote(`. If it does not exist, create it (${how}) with an administrator's consent, then run this again. Nothing was changed.`)})`
  const drop = input.dropExpiredKeys
  if (entra === 'msol')
    return [
      `$appId = ${quote(step.appId)}`,
      'try { $null = Get-MsolServicePrincipal -AppPrincipalId $appId } catch {',
      cannotRead(`New-MsolServicePrincipal -AppPrincipalId ${step.appId}`),
      '}',
      '$credentials[$appId] = @(Get-MsolServicePrincipalCredential -AppPrincipalId $appId -ReturnKeyValues $true)',
      `if ($certificates.Count -eq 0) { $blocked.Add(${quote(noCertificate)}) }`,
    ].join('\n')
  return [
    `$appId = ${quote(step.appId)}`,
    'try { $servicePrincipals[$appId] = Read-TeamsOAuthServicePrincipal $appId } catch {',
    cannotRead(`New-MgServicePrincipal -AppId ${step.appId}`),
    '}',
    '$sp = $servicePrincipals[$appId].sp',
    `if ($certificates.Count -eq 0) { $blocked.Add(${quote(noCertificate)}) }`,
    'else {',
    "  $missing = @($certificates | Where-Object { $c = $_; -not @($sp.keyCredentials | Where-Object { Test-TeamsOAuthKeyMatches $_ $c 'key' }) })",
    drop
      ? "  $drop = @(Get-TeamsOAuthExpiredKeyIds $sp.keyCredentials $certificates 'keyId' 'endDateTime' 'key')"
      : '  $drop = @()',
    '  $valueless = @($sp.keyCredentials | Where-Object { $drop -notcontains [string]$_.keyId -and -not $_.key })',
    `  if ($missing.Count -gt 0 -and $valueless.Count -gt 0) { throw (${quote(`${step.displayName}: key `)} + $valueless[0].keyId + ' read back without its value; sending it again would destroy it. Nothing was changed.') }`,
    '}',
  ].join('\n')
}

/** The writes, deciding what decide decides: each missing certificate once, every kept key sent back, checked after. */
export function printKeyChanges(step: KeyStep, { entra, input }: PrintOptions): string {
  return entra === 'graph' ? printGraph(step, input.dropExpiredKeys) : printMsol(step, input.dropExpiredKeys)
}

function printGraph(step: KeyStep, drop: boolean): string {
  return [
    `# ${step.displayName}: every key is sent back, the certificate added, the keys read again`,
    `$appId = ${quote(step.appId)}`,
    '$sp = $servicePrincipals[$appId].sp',
    "Set-Content -LiteralPath (Join-Path $backupFolder ($appId + '.json')) -Value $servicePrincipals[$appId].raw -Encoding UTF8",
    drop
      ? "$drop = @(Get-TeamsOAuthExpiredKeyIds $sp.keyCredentials $certificates 'keyId' 'endDateTime' 'key')"
      : '$drop = @()',
    'foreach ($certificate in $certificates) {',
    "  if (@($sp.keyCredentials | Where-Object { Test-TeamsOAuthKeyMatches $_ $certificate 'key' }).Count -gt 0) { Write-Host ($appId + ': certificate ' + $certificate.Thumbprint + ' already present'); continue }",
    '  $kept = @($sp.keyCredentials | Where-Object { $drop -notcontains [string]$_.keyId })',
    '  $new = New-TeamsOAuthKey $certificate',
    '  $form = Send-TeamsOAuthKeys $sp $kept $new $appId',
    "  if ($drop.Count -gt 0) { Write-Host ($appId + ': expired keys dropped: ' + ($drop -join ', ')) }",
    '  $drop = @()',
    '  $sp = (Read-TeamsOAuthServicePrincipal $appId).sp',
    '  $present = @($sp.keyCredentials | ForEach-Object { [string]$_.key })',
    '  $lost = @(@($kept | ForEach-Object { [string]$_.key }) + @($new.key) | Where-Object { $present -cnotcontains $_ })',
    "  if ($lost.Count -gt 0) { throw ($appId + ': ' + $lost.Count + ' key(s) sent are not there after the write; the keys as they were are in ' + $backupFolder) }",
    "  Write-Host ($appId + ': certificate ' + $certificate.Thumbprint + ' added, ' + $kept.Count + ' key(s) kept (' + $form + ' form)')",
    '}',
  ].join('\n')
}

function printMsol(step: KeyStep, drop: boolean): string {
  return [
    `# ${step.displayName}: the seed's MSOnline path (Windows PowerShell 5.1; MSOnline was retired in 2025)`,
    `$appId = ${quote(step.appId)}`,
    '$existing = $credentials[$appId]',
    '$backup = @($existing | ForEach-Object { [ordered]@{ KeyId = [string]$_.KeyId; Type = [string]$_.Type; Usage = [string]$_.Usage; Value = [string]$_.Value; StartDate = ConvertTo-TeamsOAuthGraphDate $_.StartDate; EndDate = ConvertTo-TeamsOAuthGraphDate $_.EndDate } })',
    "Set-Content -LiteralPath (Join-Path $backupFolder ($appId + '.json')) -Value (ConvertTo-Json -InputObject $backup -Depth 4) -Encoding UTF8",
    drop
      ? "$drop = @(Get-TeamsOAuthExpiredKeyIds $existing $certificates 'KeyId' 'EndDate' 'Value')"
      : '$drop = @()',
    'foreach ($certificate in $certificates) {',
    "  if (@($existing | Where-Object { Test-TeamsOAuthKeyMatches $_ $certificate 'Value' }).Count -gt 0) { Write-Host ($appId + ': certificate ' + $certificate.Thumbprint + ' already present'); continue }",
    '  New-MsolServicePrincipalCredential -AppPrincipalId $appId -Type Asymmetric -Usage Verify -Value ([System.Convert]::ToBase64String($certificate.RawData)) -StartDate $certificate.NotBefore -EndDate $certificate.NotAfter',
    '  # added before removing: a failure half-way leaves more keys, never fewer',
    '  if ($drop.Count -gt 0) { Remove-MsolServicePrincipalCredential -AppPrincipalId $appId -KeyIds $drop; $drop = @() }',
    '}',
    'Get-MsolServicePrincipalCredential -AppPrincipalId $appId -ReturnKeyValues $true | Select-Object KeyId, Type, Usage, StartDate, EndDate',
  ].join('\n')
}
