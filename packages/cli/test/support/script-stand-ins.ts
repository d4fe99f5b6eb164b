/**
 * PowerShell stand-ins for what an exported script calls beyond Exchange and MSOnline (the fakes'
 * module has those): Connect-MgGraph and Invoke-MgGraphRequest over loopback HTTP to the fake Graph
 * server, an empty MSOnline module to import, and a ConvertTo-Json that fails on a DateTime, as
 * Windows PowerShell 5.1 would write it as \/Date(...)\/.
 */
export const graphStandIn = String.raw`
function global:Connect-MgGraph {
  [CmdletBinding()]
  param([string]$Environment = 'Global', [string[]]$Scopes, [switch]$NoWelcome)
  $global:TeamsOAuthTestSignIn = [ordered]@{ environment = $Environment; scopes = @($Scopes) }
}

function global:Invoke-MgGraphRequest {
  [CmdletBinding()]
  param([string]$Method = 'GET', [string]$Uri, $Body, [string]$ContentType, [string]$OutputType = 'HashTable')
  if ($null -eq $global:TeamsOAuthTestSignIn) { throw 'Invoke-MgGraphRequest before Connect-MgGraph' }
  if ($Uri -notlike ($global:TeamsOAuthTestGraphUrl + '/*')) { throw ('request outside the fake Graph: ' + $Uri) }
  $message = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), $Uri)
  $message.Headers.TryAddWithoutValidation('Authorization', 'Bearer fake-token') | Out-Null
  if ($null -ne $Body) { $message.Content = [System.Net.Http.StringContent]::new([string]$Body, [System.Text.UTF8Encoding]::new($false), 'application/json') }
  $response = $global:TeamsOAuthTestHttp.SendAsync($message).GetAwaiter().GetResult()
  $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
  $global:TeamsOAuthTestRequests.Add([ordered]@{ method = $Method; uri = $Uri; body = $Body; status = [int]$response.StatusCode })
  if (-not $response.IsSuccessStatusCode) {
    throw ('Response status code does not indicate success: ' + [int]$response.StatusCode + ' (' + $response.ReasonPhrase + '). ' + $text)
  }
  if ($OutputType -eq 'Json') { return $text }
  if ([string]::IsNullOrEmpty($text)) { return $null }
  # as the real one: PowerShell's JSON reader, which turns ISO dates into DateTime
  return ConvertFrom-Json -InputObject $text -AsHashtable
}

function global:ConvertTo-Json {
  [CmdletBinding()]
  param([Parameter(ValueFromPipeline = $true)]$InputObject, [int]$Depth = 2, [switch]$Compress)
  begin { $items = [System.Collections.Generic.List[object]]::new() }
  process { $items.Add($InputObject) }
  end {
    foreach ($item in $items) { Assert-TeamsOAuthNoDate $item 0 }
    $value = if ($items.Count -eq 1) { $items[0] } else { , $items.ToArray() }
    Microsoft.PowerShell.Utility\ConvertTo-Json -InputObject $value -Depth $Depth -Compress:$Compress
  }
}

function global:Assert-TeamsOAuthNoDate($Value, [int]$Level) {
  if ($null -eq $Value -or $Level -gt 12) { return }
  if ($Value -is [DateTime] -or $Value -is [DateTimeOffset]) { throw ('a DateTime reached ConvertTo-Json (Windows PowerShell 5.1 writes it as \/Date(...)\/): ' + $Value) }
  if ($Value -is [string] -or $Value -is [ValueType]) { return }
  if ($Value -is [System.Collections.IDictionary]) { foreach ($key in $Value.Keys) { Assert-TeamsOAuthNoDate $Value[$key] ($Level + 1) }; return }
  if ($Value -is [System.Collections.IEnumerable]) { foreach ($item in $Value) { Assert-TeamsOAuthNoDate $item ($Level + 1) }; return }
  foreach ($property in $Value.PSObject.Properties) { Assert-TeamsOAuthNoDate $property.Value ($Level + 1) }
}
`

/** Runs each job's script in this one process, against its own fake organisation and tenant. */
export const driver = String.raw`
param([string]$JobsPath, [string]$ResultsPath)
$ErrorActionPreference = 'Stop'
$global:TeamsOAuthTestHttp = [System.Net.Http.HttpClient]::new()
. ([ScriptBlock]::Create($env:TEAMS_OAUTH_TEST_STAND_INS))
$jobs = Get-Content -Raw -LiteralPath $JobsPath | ConvertFrom-Json
$build = $null
$standInGraph = (Get-Item -Path function:Invoke-MgGraphRequest).ScriptBlock
$results = foreach ($job in $jobs) {
  # the module is imported again only when the cmdlets it declares change; otherwise only its door moves
  if ($job.build -ne $build) { Import-Module -Name $job.module -ArgumentList $job.exchangeUrl -Force -Global -DisableNameChecking }
  else { & (Get-Module TeamsOAuth.Fake) { param([string]$Url) $script:FakeUrl = $Url.TrimEnd('/') } $job.exchangeUrl }
  $build = $job.build
  $global:TeamsOAuthTestSignIn = $null
  $global:TeamsOAuthTestGraphUrl = $job.graphUrl
  $global:TeamsOAuthTestRequests = [System.Collections.Generic.List[object]]::new()
  $outcome = 'done'
  $message = ''
  $output = @()
  Set-Item -Path function:global:Invoke-MgGraphRequest -Value $standInGraph
  $global:TeamsOAuthStandInGraph = $standInGraph
  if ($job.prelude) { . ([ScriptBlock]::Create([string]$job.prelude)) }
  try { $output = @(& $job.script *>&1 | ForEach-Object { [string]$_ }) } catch { $outcome = 'stopped'; $message = [string]$_.Exception.Message; $output += [string]$_.ScriptStackTrace }
  [ordered]@{ id = $job.id; outcome = $outcome; message = $message; output = $output; signIn = $global:TeamsOAuthTestSignIn; patches = @($global:TeamsOAuthTestRequests | Where-Object { $_.method -eq 'PATCH' } | ForEach-Object { [string]$_.body }) }
}
Microsoft.PowerShell.Utility\ConvertTo-Json -InputObject @($results) -Depth 6 | Set-Content -LiteralPath $ResultsPath -Encoding UTF8
`
