# teams-oauth: profile all, domain contoso.com, Entra through MSOnline
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
#   - Windows PowerShell 5.1 with the MSOnline module (MSOnline was retired in 2025: prefer -Entra graph)
#   - a Global Administrator or Application Administrator account
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

# Check 6: mail user TeamsScheduler
if ($null -eq $accounts) { $accounts = @{} }
$account = 'TeamsScheduler'
# the account the partner application already acts as is the account: no second one is created
$linked = @(Get-PartnerApplication @dc | Where-Object { $_.ApplicationIdentifier -eq '7557eb47-c689-4224-abcf-aef9bd7573df' -and $_.LinkedAccount })
if ($linked.Count -gt 0) {
  $linkedUser = @(Find-TeamsOAuthObject Get-MailUser @{ Identity = [string]$linked[0].LinkedAccount })
  if ($linkedUser.Count -eq 0) { $blocked.Add('the partner application ' + $linked[0].Name + ' acts as ' + $linked[0].LinkedAccount + ', which is not a mail user here, so it can be neither hidden nor checked; link it to a mail user (Set-PartnerApplication -LinkedAccount), then run again'); $account = $null }
  else { $account = [string]$linkedUser[0].Name }
}
$accounts['TeamsScheduler'] = $account
if ($account -eq 'TeamsScheduler') {
  if (@(Find-TeamsOAuthObject Get-MailUser @{ 'Identity' = 'TeamsScheduler' }).Count -eq 0) {
    $holder = @(@(Find-TeamsOAuthObject Get-MailUser @{ 'Identity' = 'TeamsScheduler-ApplicationAccount@contoso.com' }) + @(Find-TeamsOAuthObject Get-Mailbox @{ 'Identity' = 'TeamsScheduler' }) + @(Find-TeamsOAuthObject Get-Mailbox @{ 'Identity' = 'TeamsScheduler-ApplicationAccount@contoso.com' }))
    if ($holder.Count -gt 0) { $blocked.Add(([string]$holder[0].Identity) + ' already holds the name TeamsScheduler or the address TeamsScheduler-ApplicationAccount@contoso.com; choose another account name (--teams-account / --sfbonline-account) or free them, then run again') }
    elseif (-not (Get-Command New-MailUser).Parameters.ContainsKey('ApplicationAccount')) { $blocked.Add('this Exchange build''s New-MailUser has no -ApplicationAccount switch, which Microsoft''s procedure uses and offers no fallback for: update Exchange to a build that has it, or run again with --allow-plain-mail-user to create a plain mail user (untested by Microsoft)') }
  } else {
    $user = @(Find-TeamsOAuthObject Get-MailUser @{ 'Identity' = 'TeamsScheduler' })[0]
    $address = [string]$user.ExternalEmailAddress -replace '^smtp:', ''
    if ($address -ne 'TeamsScheduler-ApplicationAccount@contoso.com') { $blocked.Add('a mail user ' + [string]$user.Name + ' already exists with the address ' + $address + ', not TeamsScheduler-ApplicationAccount@contoso.com: it is not the account this procedure makes, and teams-oauth does not take it over. Choose another account name (--teams-account / --sfbonline-account), or, if it is the account you meant, set its address (Set-MailUser -Identity ''TeamsScheduler'' -ExternalEmailAddress ''TeamsScheduler-ApplicationAccount@contoso.com''), then run again') }
  }
}

# Check 10: partner application TeamsScheduler (7557eb47-c689-4224-abcf-aef9bd7573df)
$apps = @(Get-PartnerApplication @dc)
if (-not ($apps | Where-Object { [string]$_.ApplicationIdentifier -eq '7557eb47-c689-4224-abcf-aef9bd7573df' })) {
  $taken = @($apps | Where-Object { [string]$_.Name -eq 'TeamsScheduler' })
  if ($taken.Count -gt 0) { $blocked.Add('a partner application named ' + $taken[0].Name + ' already exists for ' + $taken[0].ApplicationIdentifier + '; rename it (Set-PartnerApplication -Identity ''' + $taken[0].Name + ''' -Name <another name>) or remove it if it is unused, then run again') }
}

# Check 11: partner application CloudVoicemail (db7de2b5-2149-435e-8043-e080dd50afae)
$apps = @(Get-PartnerApplication @dc)
if (-not ($apps | Where-Object { [string]$_.ApplicationIdentifier -eq 'db7de2b5-2149-435e-8043-e080dd50afae' })) {
  $taken = @($apps | Where-Object { [string]$_.Name -eq 'CloudVoicemail' })
  if ($taken.Count -gt 0) { $blocked.Add('a partner application named ' + $taken[0].Name + ' already exists for ' + $taken[0].ApplicationIdentifier + '; rename it (Set-PartnerApplication -Identity ''' + $taken[0].Name + ''' -Name <another name>) or remove it if it is unused, then run again') }
}

# Check 12: Exchange auth certificate
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

Import-Module MSOnline
Connect-MsolService
$credentials = @{}

# Check 13: auth certificate on the service principal of Skype for Business Online (00000004-0000-0ff1-ce00-000000000000)
$appId = '00000004-0000-0ff1-ce00-000000000000'
try { $null = Get-MsolServicePrincipal -AppPrincipalId $appId } catch {
  throw ('The service principal of Skype for Business Online (appId 00000004-0000-0ff1-ce00-000000000000) cannot be read: ' + $_.Exception.Message + '. If it does not exist, create it (New-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000) with an administrator''s consent, then run this again. Nothing was changed.')
}
$credentials[$appId] = @(Get-MsolServicePrincipalCredential -AppPrincipalId $appId -ReturnKeyValues $true)
if ($certificates.Count -eq 0) { $blocked.Add('no usable auth certificate to upload (see the auth certificate step)') }

# Check 14: auth certificate on the service principal of Cloud Voicemail (db7de2b5-2149-435e-8043-e080dd50afae)
$appId = 'db7de2b5-2149-435e-8043-e080dd50afae'
try { $null = Get-MsolServicePrincipal -AppPrincipalId $appId } catch {
  throw ('The service principal of Cloud Voicemail (appId db7de2b5-2149-435e-8043-e080dd50afae) cannot be read: ' + $_.Exception.Message + '. If it does not exist, create it (New-MsolServicePrincipal -AppPrincipalId db7de2b5-2149-435e-8043-e080dd50afae) with an administrator''s consent, then run this again. Nothing was changed.')
}
$credentials[$appId] = @(Get-MsolServicePrincipalCredential -AppPrincipalId $appId -ReturnKeyValues $true)
if ($certificates.Count -eq 0) { $blocked.Add('no usable auth certificate to upload (see the auth certificate step)') }

# Check 15: auth certificate on the service principal of Teams Calendar Scheduler (7557eb47-c689-4224-abcf-aef9bd7573df)
$appId = '7557eb47-c689-4224-abcf-aef9bd7573df'
try { $null = Get-MsolServicePrincipal -AppPrincipalId $appId } catch {
  throw ('The service principal of Teams Calendar Scheduler (appId 7557eb47-c689-4224-abcf-aef9bd7573df) cannot be read: ' + $_.Exception.Message + '. If it does not exist, create it (New-MsolServicePrincipal -AppPrincipalId 7557eb47-c689-4224-abcf-aef9bd7573df) with an administrator''s consent, then run this again. Nothing was changed.')
}
$credentials[$appId] = @(Get-MsolServicePrincipalCredential -AppPrincipalId $appId -ReturnKeyValues $true)
if ($certificates.Count -eq 0) { $blocked.Add('no usable auth certificate to upload (see the auth certificate step)') }

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

# Step 6: mail user TeamsScheduler
if ($accounts['TeamsScheduler'] -eq 'TeamsScheduler' -and @(Find-TeamsOAuthObject Get-MailUser @{ 'Identity' = 'TeamsScheduler' }).Count -eq 0) {
  $appAccount = @{}
  if ((Get-Command New-MailUser).Parameters.ContainsKey('ApplicationAccount')) { $appAccount = @{ ApplicationAccount = $true } }
  else { Write-Warning 'this Exchange build has no New-MailUser -ApplicationAccount; the account is created as a plain mail user, as --allow-plain-mail-user asks (Microsoft documents no such fallback)' }
  New-MailUser -Name 'TeamsScheduler' -ExternalEmailAddress 'TeamsScheduler-ApplicationAccount@contoso.com' @dc @appAccount | Out-Null
}

# Step 7: TeamsScheduler hidden from address lists
$account = if ($null -ne $accounts -and $accounts['TeamsScheduler']) { $accounts['TeamsScheduler'] } else { 'TeamsScheduler' }
if (-not (Get-MailUser -Identity $account @dc).HiddenFromAddressListsEnabled) {
  Set-MailUser -Identity $account -HiddenFromAddressListsEnabled $true @dc
}

# Step 8: management role TeamsSchedulerRole (UserApplication, only GetDelegate)
if (@(Find-TeamsOAuthObject Get-ManagementRole @{ 'Identity' = 'TeamsSchedulerRole' }).Count -eq 0) {
  New-ManagementRole -Name 'TeamsSchedulerRole' -Parent 'UserApplication' @dc | Out-Null
}
$keep = @('GetDelegate')
$entries = @(Get-ManagementRoleEntry -Identity 'TeamsSchedulerRole\*' @dc | ForEach-Object { [string]$_.Name })
foreach ($name in $keep) {
  if ($entries -notcontains $name) { Add-ManagementRoleEntry -Identity ('TeamsSchedulerRole\' + $name) @dc | Out-Null }
}
foreach ($name in $entries) {
  if ($keep -notcontains $name) { Remove-ManagementRoleEntry -Identity ('TeamsSchedulerRole\' + $name) -Confirm:$false @dc }
}

# Step 9: role TeamsSchedulerRole assigned to TeamsScheduler
$account = if ($null -ne $accounts -and $accounts['TeamsScheduler']) { $accounts['TeamsScheduler'] } else { 'TeamsScheduler' }
$assignments = @(Find-TeamsOAuthObject Get-ManagementRoleAssignment @{ Role = 'TeamsSchedulerRole'; RoleAssignee = $account })
if (-not ($assignments | Where-Object { $_.Enabled })) {
  # only the user's own assignment is enabled again: one reached through a role group grants its members too
  $own = @($assignments | Where-Object { [string]$_.RoleAssigneeType -eq 'User' })
  if ($own.Count -gt 0) { Set-ManagementRoleAssignment -Identity ([string]$own[0].Name) -Enabled $true @dc }
  else { New-ManagementRoleAssignment -Role 'TeamsSchedulerRole' -User $account @dc | Out-Null }
}

# Step 10: partner application TeamsScheduler (7557eb47-c689-4224-abcf-aef9bd7573df)
$app = @(Get-PartnerApplication @dc | Where-Object { [string]$_.ApplicationIdentifier -eq '7557eb47-c689-4224-abcf-aef9bd7573df' })[0]
if (-not $app) {
  New-PartnerApplication -Name 'TeamsScheduler' -ApplicationIdentifier '7557eb47-c689-4224-abcf-aef9bd7573df' -Enabled $true -LinkedAccount 'TeamsScheduler' @dc | Out-Null
} else {
  $change = @{ Enabled = $true }
  $needed = -not $app.Enabled
  # a missing link is added; an application already acting as another account is left as it is
  if (-not $app.LinkedAccount) { $change['LinkedAccount'] = 'TeamsScheduler'; $needed = $true }
  elseif ((([string]$app.LinkedAccount) -split '[/\\]')[-1].Trim() -ne 'TeamsScheduler') { Write-Warning ($app.Name + ' acts as ' + $app.LinkedAccount + ', not ' + 'TeamsScheduler' + '; left as it is (re-link it by hand if that account is wrong)') }
  if ($needed) { Set-PartnerApplication -Identity ([string]$app.Name) @change @dc }
}

# Step 11: partner application CloudVoicemail (db7de2b5-2149-435e-8043-e080dd50afae)
$app = @(Get-PartnerApplication @dc | Where-Object { [string]$_.ApplicationIdentifier -eq 'db7de2b5-2149-435e-8043-e080dd50afae' })[0]
if (-not $app) {
  New-PartnerApplication -Name 'CloudVoicemail' -ApplicationIdentifier 'db7de2b5-2149-435e-8043-e080dd50afae' -Enabled $true @dc | Out-Null
} else {
  $change = @{ Enabled = $true }
  $needed = -not $app.Enabled
  if ($needed) { Set-PartnerApplication -Identity ([string]$app.Name) @change @dc }
}

# Step 12: Exchange auth certificate
# Nothing to change on Exchange: the certificates to upload were found by the checks above.

# Step 13: auth certificate on the service principal of Skype for Business Online (00000004-0000-0ff1-ce00-000000000000)
# Skype for Business Online: the seed's MSOnline path (Windows PowerShell 5.1; MSOnline was retired in 2025)
$appId = '00000004-0000-0ff1-ce00-000000000000'
$existing = $credentials[$appId]
$backup = @($existing | ForEach-Object { [ordered]@{ KeyId = [string]$_.KeyId; Type = [string]$_.Type; Usage = [string]$_.Usage; Value = [string]$_.Value; StartDate = ConvertTo-TeamsOAuthGraphDate $_.StartDate; EndDate = ConvertTo-TeamsOAuthGraphDate $_.EndDate } })
Set-Content -LiteralPath (Join-Path $backupFolder ($appId + '.json')) -Value (ConvertTo-Json -InputObject $backup -Depth 4) -Encoding UTF8
$drop = @()
foreach ($certificate in $certificates) {
  if (@($existing | Where-Object { Test-TeamsOAuthKeyMatches $_ $certificate 'Value' }).Count -gt 0) { Write-Host ($appId + ': certificate ' + $certificate.Thumbprint + ' already present'); continue }
  New-MsolServicePrincipalCredential -AppPrincipalId $appId -Type Asymmetric -Usage Verify -Value ([System.Convert]::ToBase64String($certificate.RawData)) -StartDate $certificate.NotBefore -EndDate $certificate.NotAfter
  # added before removing: a failure half-way leaves more keys, never fewer
  if ($drop.Count -gt 0) { Remove-MsolServicePrincipalCredential -AppPrincipalId $appId -KeyIds $drop; $drop = @() }
}
Get-MsolServicePrincipalCredential -AppPrincipalId $appId -ReturnKeyValues $true | Select-Object KeyId, Type, Usage, StartDate, EndDate

# Step 14: auth certificate on the service principal of Cloud Voicemail (db7de2b5-2149-435e-8043-e080dd50afae)
# Cloud Voicemail: the seed's MSOnline path (Windows PowerShell 5.1; MSOnline was retired in 2025)
$appId = 'db7de2b5-2149-435e-8043-e080dd50afae'
$existing = $credentials[$appId]
$backup = @($existing | ForEach-Object { [ordered]@{ KeyId = [string]$_.KeyId; Type = [string]$_.Type; Usage = [string]$_.Usage; Value = [string]$_.Value; StartDate = ConvertTo-TeamsOAuthGraphDate $_.StartDate; EndDate = ConvertTo-TeamsOAuthGraphDate $_.EndDate } })
Set-Content -LiteralPath (Join-Path $backupFolder ($appId + '.json')) -Value (ConvertTo-Json -InputObject $backup -Depth 4) -Encoding UTF8
$drop = @()
foreach ($certificate in $certificates) {
  if (@($existing | Where-Object { Test-TeamsOAuthKeyMatches $_ $certificate 'Value' }).Count -gt 0) { Write-Host ($appId + ': certificate ' + $certificate.Thumbprint + ' already present'); continue }
  New-MsolServicePrincipalCredential -AppPrincipalId $appId -Type Asymmetric -Usage Verify -Value ([System.Convert]::ToBase64String($certificate.RawData)) -StartDate $certificate.NotBefore -EndDate $certificate.NotAfter
  # added before removing: a failure half-way leaves more keys, never fewer
  if ($drop.Count -gt 0) { Remove-MsolServicePrincipalCredential -AppPrincipalId $appId -KeyIds $drop; $drop = @() }
}
Get-MsolServicePrincipalCredential -AppPrincipalId $appId -ReturnKeyValues $true | Select-Object KeyId, Type, Usage, StartDate, EndDate

# Step 15: auth certificate on the service principal of Teams Calendar Scheduler (7557eb47-c689-4224-abcf-aef9bd7573df)
# Teams Calendar Scheduler: the seed's MSOnline path (Windows PowerShell 5.1; MSOnline was retired in 2025)
$appId = '7557eb47-c689-4224-abcf-aef9bd7573df'
$existing = $credentials[$appId]
$backup = @($existing | ForEach-Object { [ordered]@{ KeyId = [string]$_.KeyId; Type = [string]$_.Type; Usage = [string]$_.Usage; Value = [string]$_.Value; StartDate = ConvertTo-TeamsOAuthGraphDate $_.StartDate; EndDate = ConvertTo-TeamsOAuthGraphDate $_.EndDate } })
Set-Content -LiteralPath (Join-Path $backupFolder ($appId + '.json')) -Value (ConvertTo-Json -InputObject $backup -Depth 4) -Encoding UTF8
$drop = @()
foreach ($certificate in $certificates) {
  if (@($existing | Where-Object { Test-TeamsOAuthKeyMatches $_ $certificate 'Value' }).Count -gt 0) { Write-Host ($appId + ': certificate ' + $certificate.Thumbprint + ' already present'); continue }
  New-MsolServicePrincipalCredential -AppPrincipalId $appId -Type Asymmetric -Usage Verify -Value ([System.Convert]::ToBase64String($certificate.RawData)) -StartDate $certificate.NotBefore -EndDate $certificate.NotAfter
  # added before removing: a failure half-way leaves more keys, never fewer
  if ($drop.Count -gt 0) { Remove-MsolServicePrincipalCredential -AppPrincipalId $appId -KeyIds $drop; $drop = @() }
}
Get-MsolServicePrincipalCredential -AppPrincipalId $appId -ReturnKeyValues $true | Select-Object KeyId, Type, Usage, StartDate, EndDate

Write-Host 'Done. Check with: teams-oauth verify, or run this script again (it changes nothing when all is in place).'
