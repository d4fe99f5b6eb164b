# teams-oauth: profile sfbonline, domain contoso.com, Entra through Microsoft Graph
#
# What it does: lets Teams services act on on-premises mailboxes through OAuth (delegates adding a
# Teams meeting for an on-premises delegator). On Exchange it creates the hidden application account(s),
# their management roles, and the partner applications; in Entra it adds the Exchange auth certificate
# as a Verify key to Microsoft's service principals, keeping every existing key.
# It first checks everything that would stop teams-oauth apply, and changes nothing if anything does;
# then every step changes only what is missing: running it twice changes nothing.
# It does not check hybrid OAuth (Exchange and Exchange Online), a prerequisite: teams-oauth doctor does.
#
# What it needs:
#   - the Exchange Management Shell on an Exchange server, as an Organization Management member
#   - the Microsoft.Graph.Authentication module (Install-Module Microsoft.Graph.Authentication)
#   - Application.ReadWrite.All, as Application Administrator or Cloud Application Administrator
#   - Graph at https://graph.microsoft.com
# It writes a backup of each service principal's keys (its rollback) beside itself before changing them.
# Every Exchange command can be pinned to one domain controller (teams-oauth script --domain-controller),
# as Microsoft does, so later steps see what earlier ones created.

$ErrorActionPreference = 'Stop'
$dc = @{}
$nowUtc = (Get-Date).ToUniversalTime()
$blocked = New-Object System.Collections.Generic.List[string]

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

# ---- Checks: nothing is changed until every one passes ----

# Check 1: mail user SfBOnline-ApplicationAccount
if ($null -eq $accounts) { $accounts = @{} }
$account = 'SfBOnline-ApplicationAccount'
# the account the partner application already acts as is the account: no second one is created
$linked = @(Get-PartnerApplication @dc | Where-Object { $_.ApplicationIdentifier -eq '00000004-0000-0ff1-ce00-000000000000' -and $_.LinkedAccount })
if ($linked.Count -gt 0) {
  $linkedUser = @(Find-TeamsOAuthObject Get-MailUser @{ Identity = [string]$linked[0].LinkedAccount })
  if ($linkedUser.Count -eq 0) { $blocked.Add('the partner application ' + $linked[0].Name + ' acts as ' + $linked[0].LinkedAccount + ', which is not a mail user here, so it can be neither hidden nor checked; link it to a mail user (Set-PartnerApplication -LinkedAccount), then run again'); $account = $null }
  else { $account = [string]$linkedUser[0].Name }
}
$accounts['SfBOnline-ApplicationAccount'] = $account
if ($account -eq 'SfBOnline-ApplicationAccount') {
  if (@(Find-TeamsOAuthObject Get-MailUser @{ 'Identity' = 'SfBOnline-ApplicationAccount' }).Count -eq 0) {
    $holder = @(@(Find-TeamsOAuthObject Get-MailUser @{ 'Identity' = 'SfBOnline-ApplicationAccount@contoso.com' }) + @(Find-TeamsOAuthObject Get-Mailbox @{ 'Identity' = 'SfBOnline-ApplicationAccount' }) + @(Find-TeamsOAuthObject Get-Mailbox @{ 'Identity' = 'SfBOnline-ApplicationAccount@contoso.com' }))
    if ($holder.Count -gt 0) { $blocked.Add(([string]$holder[0].Identity) + ' already holds the name SfBOnline-ApplicationAccount or the address SfBOnline-ApplicationAccount@contoso.com; choose another account name (--teams-account / --sfbonline-account) or free them, then run again') }
  } else {
    $user = @(Find-TeamsOAuthObject Get-MailUser @{ 'Identity' = 'SfBOnline-ApplicationAccount' })[0]
    $address = [string]$user.ExternalEmailAddress -replace '^smtp:', ''
    if ($address -ne 'SfBOnline-ApplicationAccount@contoso.com') { $blocked.Add('a mail user ' + [string]$user.Name + ' already exists with the address ' + $address + ', not SfBOnline-ApplicationAccount@contoso.com: it is not the account this procedure makes, and teams-oauth does not take it over. Choose another account name (--teams-account / --sfbonline-account), or, if it is the account you meant, set its address (Set-MailUser -Identity ''SfBOnline-ApplicationAccount'' -ExternalEmailAddress ''SfBOnline-ApplicationAccount@contoso.com''), then run again') }
  }
}

# Check 5: partner application SfBOnline (00000004-0000-0ff1-ce00-000000000000)
$apps = @(Get-PartnerApplication @dc)
if (-not ($apps | Where-Object { [string]$_.ApplicationIdentifier -eq '00000004-0000-0ff1-ce00-000000000000' })) {
  $taken = @($apps | Where-Object { [string]$_.Name -eq 'SfBOnline' })
  if ($taken.Count -gt 0) { $blocked.Add('a partner application named ' + $taken[0].Name + ' already exists for ' + $taken[0].ApplicationIdentifier + '; rename it (Set-PartnerApplication -Identity ''' + $taken[0].Name + ''' -Name <another name>) or remove it if it is unused, then run again') }
}

# Check 6: Exchange auth certificate
$authConfig = Get-AuthConfig @dc
$certificates = @()
$currentThumbprint = [string]$authConfig.CurrentCertificateThumbprint
$nextThumbprint = [string]$authConfig.NextCertificateThumbprint
$current = $null
if (-not $currentThumbprint) {
  $blocked.Add('Exchange has no current auth certificate (Get-AuthConfig names none): renew it (New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName ''cn=Microsoft Exchange Server Auth Certificate'' -FriendlyName ''Microsoft Exchange Server Auth Certificate'' -DomainName @() (answer N when it asks to overwrite the default SMTP certificate); Set-AuthConfig -NewCertificateThumbprint <new thumbprint> -NewCertificateEffectiveDate (Get-Date); Set-AuthConfig -PublishCertificate; Set-AuthConfig -ClearPreviousCertificate; Restart-Service MSExchangeServiceHost; Restart-WebAppPool MSExchangeOWAAppPool; Restart-WebAppPool MSExchangeECPAppPool (or IISReset); run the Hybrid Configuration Wizard again (hybrid OAuth trusts the certificate); then run teams-oauth apply)')
} else {
  $current = Get-TeamsOAuthCertificate $currentThumbprint
  if (-not $current) { $blocked.Add('the auth certificate ' + $currentThumbprint + ' named by Get-AuthConfig is in no Exchange server''s certificate store: export it where it is and run teams-oauth apply --certificate <file>') }
  elseif ($current.NotAfter.ToUniversalTime() -le $nowUtc -or $current.NotBefore.ToUniversalTime() -gt $nowUtc) { $blocked.Add('Exchange''s auth certificate ' + $current.Thumbprint + ' cannot be used (valid ' + $current.NotBefore.ToString('yyyy-MM-dd') + ' to ' + $current.NotAfter.ToString('yyyy-MM-dd') + '): ' + 'renew it (New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName ''cn=Microsoft Exchange Server Auth Certificate'' -FriendlyName ''Microsoft Exchange Server Auth Certificate'' -DomainName @() (answer N when it asks to overwrite the default SMTP certificate); Set-AuthConfig -NewCertificateThumbprint <new thumbprint> -NewCertificateEffectiveDate (Get-Date); Set-AuthConfig -PublishCertificate; Set-AuthConfig -ClearPreviousCertificate; Restart-Service MSExchangeServiceHost; Restart-WebAppPool MSExchangeOWAAppPool; Restart-WebAppPool MSExchangeECPAppPool (or IISReset); run the Hybrid Configuration Wizard again (hybrid OAuth trusts the certificate); then run teams-oauth apply)') }
  else { $certificates += $current }
}
if ($nextThumbprint) {
  $next = Get-TeamsOAuthCertificate $nextThumbprint
  if (-not $next) { Write-Warning ('the next auth certificate ' + $nextThumbprint + ' is in no certificate store') }
  elseif ($current -and $next.NotAfter.ToUniversalTime() -gt $nowUtc -and $next.Thumbprint -ne $current.Thumbprint) { $certificates += $next }
}

$graph = 'https://graph.microsoft.com'
Connect-MgGraph -Scopes 'Application.ReadWrite.All' -NoWelcome
$servicePrincipals = @{}

# Check 7: auth certificate on the service principal of Skype for Business Online (00000004-0000-0ff1-ce00-000000000000)
$appId = '00000004-0000-0ff1-ce00-000000000000'
try { $servicePrincipals[$appId] = Read-TeamsOAuthServicePrincipal $appId } catch {
  throw ('The service principal of Skype for Business Online (appId 00000004-0000-0ff1-ce00-000000000000) cannot be read: ' + $_.Exception.Message + '. If it does not exist, create it (New-MgServicePrincipal -AppId 00000004-0000-0ff1-ce00-000000000000) with an administrator''s consent, then run this again. Nothing was changed.')
}
$sp = $servicePrincipals[$appId].sp
if ($certificates.Count -eq 0) { $blocked.Add('no usable auth certificate to upload (see the auth certificate step)') }
else {
  $missing = @($certificates | Where-Object { $c = $_; -not @($sp.keyCredentials | Where-Object { Test-TeamsOAuthKeyMatches $_ $c 'key' }) })
  $drop = @()
  $valueless = @($sp.keyCredentials | Where-Object { $drop -notcontains [string]$_.keyId -and -not $_.key })
  if ($missing.Count -gt 0 -and $valueless.Count -gt 0) { throw ('Skype for Business Online: key ' + $valueless[0].keyId + ' read back without its value; sending it again would destroy it. Nothing was changed.') }
}

if ($blocked.Count -gt 0) { throw ('Nothing was changed: ' + ($blocked -join '; ')) }

# ---- Changes ----
$backupFolder = Join-Path $PSScriptRoot ('teams-oauth-backup-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))
New-Item -ItemType Directory -Path $backupFolder -Force | Out-Null

# Step 1: mail user SfBOnline-ApplicationAccount
if ($accounts['SfBOnline-ApplicationAccount'] -eq 'SfBOnline-ApplicationAccount' -and @(Find-TeamsOAuthObject Get-MailUser @{ 'Identity' = 'SfBOnline-ApplicationAccount' }).Count -eq 0) {
  New-MailUser -Name 'SfBOnline-ApplicationAccount' -ExternalEmailAddress 'SfBOnline-ApplicationAccount@contoso.com' @dc | Out-Null
}

# Step 2: SfBOnline-ApplicationAccount hidden from address lists
$account = if ($null -ne $accounts -and $accounts['SfBOnline-ApplicationAccount']) { $accounts['SfBOnline-ApplicationAccount'] } else { 'SfBOnline-ApplicationAccount' }
if (-not (Get-MailUser -Identity $account @dc).HiddenFromAddressListsEnabled) {
  Set-MailUser -Identity $account -HiddenFromAddressListsEnabled $true @dc
}

# Step 3: role UserApplication assigned to SfBOnline-ApplicationAccount
$account = if ($null -ne $accounts -and $accounts['SfBOnline-ApplicationAccount']) { $accounts['SfBOnline-ApplicationAccount'] } else { 'SfBOnline-ApplicationAccount' }
$assignments = @(Find-TeamsOAuthObject Get-ManagementRoleAssignment @{ Role = 'UserApplication'; RoleAssignee = $account })
if (-not ($assignments | Where-Object { $_.Enabled })) {
  # only the user's own assignment is enabled again: one reached through a role group grants its members too
  $own = @($assignments | Where-Object { [string]$_.RoleAssigneeType -eq 'User' })
  if ($own.Count -gt 0) { Set-ManagementRoleAssignment -Identity ([string]$own[0].Name) -Enabled $true @dc }
  else { New-ManagementRoleAssignment -Role 'UserApplication' -User $account @dc | Out-Null }
}

# Step 4: role ArchiveApplication assigned to SfBOnline-ApplicationAccount
$account = if ($null -ne $accounts -and $accounts['SfBOnline-ApplicationAccount']) { $accounts['SfBOnline-ApplicationAccount'] } else { 'SfBOnline-ApplicationAccount' }
$assignments = @(Find-TeamsOAuthObject Get-ManagementRoleAssignment @{ Role = 'ArchiveApplication'; RoleAssignee = $account })
if (-not ($assignments | Where-Object { $_.Enabled })) {
  # only the user's own assignment is enabled again: one reached through a role group grants its members too
  $own = @($assignments | Where-Object { [string]$_.RoleAssigneeType -eq 'User' })
  if ($own.Count -gt 0) { Set-ManagementRoleAssignment -Identity ([string]$own[0].Name) -Enabled $true @dc }
  else { New-ManagementRoleAssignment -Role 'ArchiveApplication' -User $account @dc | Out-Null }
}

# Step 5: partner application SfBOnline (00000004-0000-0ff1-ce00-000000000000)
$app = @(Get-PartnerApplication @dc | Where-Object { [string]$_.ApplicationIdentifier -eq '00000004-0000-0ff1-ce00-000000000000' })[0]
if (-not $app) {
  New-PartnerApplication -Name 'SfBOnline' -ApplicationIdentifier '00000004-0000-0ff1-ce00-000000000000' -Enabled $true -LinkedAccount 'SfBOnline-ApplicationAccount' @dc | Out-Null
} else {
  $change = @{ Enabled = $true }
  $needed = -not $app.Enabled
  # a missing link is added; an application already acting as another account is left as it is
  if (-not $app.LinkedAccount) { $change['LinkedAccount'] = 'SfBOnline-ApplicationAccount'; $needed = $true }
  elseif ((([string]$app.LinkedAccount) -split '[/\\]')[-1].Trim() -ne 'SfBOnline-ApplicationAccount') { Write-Warning ($app.Name + ' acts as ' + $app.LinkedAccount + ', not ' + 'SfBOnline-ApplicationAccount' + '; left as it is (re-link it by hand if that account is wrong)') }
  if ($needed) { Set-PartnerApplication -Identity ([string]$app.Name) @change @dc }
}

# Step 6: Exchange auth certificate
# Nothing to change on Exchange: the certificates to upload were found by the checks above.

# Step 7: auth certificate on the service principal of Skype for Business Online (00000004-0000-0ff1-ce00-000000000000)
# Skype for Business Online: every key is sent back, the certificate added, the keys read again
$appId = '00000004-0000-0ff1-ce00-000000000000'
$sp = $servicePrincipals[$appId].sp
Set-Content -LiteralPath (Join-Path $backupFolder ($appId + '.json')) -Value $servicePrincipals[$appId].raw -Encoding UTF8
$drop = @()
foreach ($certificate in $certificates) {
  if (@($sp.keyCredentials | Where-Object { Test-TeamsOAuthKeyMatches $_ $certificate 'key' }).Count -gt 0) { Write-Host ($appId + ': certificate ' + $certificate.Thumbprint + ' already present'); continue }
  $kept = @($sp.keyCredentials | Where-Object { $drop -notcontains [string]$_.keyId })
  $new = New-TeamsOAuthKey $certificate
  $form = Send-TeamsOAuthKeys $sp $kept $new $appId
  if ($drop.Count -gt 0) { Write-Host ($appId + ': expired keys dropped: ' + ($drop -join ', ')) }
  $drop = @()
  $sp = (Read-TeamsOAuthServicePrincipal $appId).sp
  $present = @($sp.keyCredentials | ForEach-Object { [string]$_.key })
  $lost = @(@($kept | ForEach-Object { [string]$_.key }) + @($new.key) | Where-Object { $present -cnotcontains $_ })
  if ($lost.Count -gt 0) { throw ($appId + ': ' + $lost.Count + ' key(s) sent are not there after the write; the keys as they were are in ' + $backupFolder) }
  Write-Host ($appId + ': certificate ' + $certificate.Thumbprint + ' added, ' + $kept.Count + ' key(s) kept (' + $form + ' form)')
}

Write-Host 'Done. Check with: teams-oauth verify, or run this script again (it changes nothing when all is in place).'
