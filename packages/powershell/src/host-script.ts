/**
 * The PowerShell half of the protocol. This text is fixed: it never contains a value. It is sent
 * once per process (base64 of UTF-8 inside one single-quoted literal) and defines two functions:
 *
 *   __TeamsOAuthCall  '<base64 of UTF-8 JSON>'    runs one command or fixed script in a child scope
 *                                                 (a script's text comes with its first call, with
 *                                                 an id; later calls name only the id)
 *   . __TeamsOAuthSetup '<base64 of UTF-8 JSON>'  runs a fixed setup script in the global scope
 *   __TeamsOAuthServe '<marker>'                  reads the next lines itself and runs each as
 *                                                 __TeamsOAuthCall, without parsing it as code
 *
 * The JSON carries everything that varies: the per-call marker, the command name, the fixed script
 * text and the parameters, which are decoded into a hashtable and splatted. Each call writes
 * exactly one line to stdout: `<marker> <base64 of UTF-8 JSON envelope> <marker>`.
 */
export const hostScript = `
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$InformationPreference = 'SilentlyContinue'
# Every line the console loop runs is a command in the history, the setup's payload included: keep
# only the last one (__TeamsOAuthServe, which follows the setup), so no value stays in it. Lines
# read by __TeamsOAuthServe are no commands and never reach the history.
$global:MaximumHistoryCount = 1
# Fixed scripts compiled once, by the id the session gave them with their text (their first call).
$global:__TeamsOAuthScripts = [System.Collections.Generic.Dictionary[int, ScriptBlock]]::new()
# Commands looked up once (Get-Command costs as much as a small call), by name as the caller wrote it.
$global:__TeamsOAuthEnumNames = $false
$global:__TeamsOAuthCommands = [System.Collections.Generic.Dictionary[string, hashtable]]::new([StringComparer]::OrdinalIgnoreCase)
[Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)
$global:OutputEncoding = [System.Text.UTF8Encoding]::new($false)
if ($null -ne (Get-Variable -Name PSStyle -ErrorAction SilentlyContinue)) { $PSStyle.OutputRendering = 'PlainText' }

# A function call costs far more than a statement: the loops below take strings, true, false and
# null inline, and recurse only into objects, arrays and numbers.
# JsonValueKind: 1 Object, 2 Array, 3 String, 4 Number, 5 True, 6 False, 7 Null.
function global:ConvertFrom-TeamsOAuthJsonElement($Element) {
  switch ($Element.ValueKind.ToString()) {
    'Object' {
      $props = @($Element.EnumerateObject())
      if ($props.Count -eq 1 -and $props[0].Name -eq '$bytes') {
        return ,([byte[]][Convert]::FromBase64String($props[0].Value.GetString()))
      }
      $table = @{}
      foreach ($p in $props) {
        $v = $p.Value
        $k = [int]$v.ValueKind
        if ($k -eq 3) { $table[$p.Name] = $v.GetString() }
        elseif ($k -eq 7) { $table[$p.Name] = $null }
        elseif ($k -eq 5) { $table[$p.Name] = $true }
        elseif ($k -eq 6) { $table[$p.Name] = $false }
        else { $table[$p.Name] = ConvertFrom-TeamsOAuthJsonElement $v }
      }
      return $table
    }
    'Array' {
      $items = [System.Collections.Generic.List[object]]::new()
      foreach ($item in $Element.EnumerateArray()) {
        if ([int]$item.ValueKind -eq 3) { $items.Add($item.GetString()) }
        else { $items.Add((ConvertFrom-TeamsOAuthJsonElement $item)) }
      }
      return ,(ConvertTo-TeamsOAuthArray $items)
    }
    'String' { return $Element.GetString() }
    'Number' {
      [int]$i = 0; [long]$l = 0
      if ($Element.TryGetInt32([ref]$i)) { return $i }
      if ($Element.TryGetInt64([ref]$l)) { return $l }
      return $Element.GetDouble()
    }
    'True' { return $true }
    'False' { return $false }
    default { return $null }
  }
}

function global:ConvertFrom-TeamsOAuthJsonObject($Value) {
  if ($null -eq $Value) { return $null }
  if ($Value -is [System.Management.Automation.PSCustomObject]) {
    $props = @($Value.PSObject.Properties)
    if ($props.Count -eq 1 -and $props[0].Name -eq '$bytes') {
      return ,([byte[]][Convert]::FromBase64String([string]$props[0].Value))
    }
    $table = @{}
    foreach ($p in $props) { $table[$p.Name] = ConvertFrom-TeamsOAuthJsonObject $p.Value }
    return $table
  }
  if ($Value -is [System.Array]) {
    $items = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $Value) { $items.Add((ConvertFrom-TeamsOAuthJsonObject $item)) }
    return ,(ConvertTo-TeamsOAuthArray $items)
  }
  return $Value
}

function global:ConvertTo-TeamsOAuthArray($Items) {
  $allStrings = $true
  foreach ($item in $Items) { if (-not ($item -is [string])) { $allStrings = $false; break } }
  if ($allStrings -and $Items.Count -gt 0) { return ,([string[]]$Items.ToArray()) }
  return ,([object[]]$Items.ToArray())
}

function global:ConvertFrom-TeamsOAuthPayload([string]$Payload) {
  $text = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Payload))
  if ($PSVersionTable.PSVersion.Major -ge 7) {
    # System.Text.Json keeps ISO date strings as strings (ConvertFrom-Json before 7.5 turns them into DateTime).
    $document = [System.Text.Json.JsonDocument]::Parse($text)
    try { return ConvertFrom-TeamsOAuthJsonElement $document.RootElement } finally { $document.Dispose() }
  }
  return ConvertFrom-TeamsOAuthJsonObject ($text | ConvertFrom-Json)
}

function global:ConvertTo-TeamsOAuthValue($Value, [int]$Depth) {
  if ($null -eq $Value) { return $null }
  if ($Value -is [string]) { return [string]$Value }
  if ($Value -is [bool]) { return [bool]$Value }
  if ($Value -is [System.Enum]) { return $Value.ToString() }
  if ($Value -is [DateTime]) { return $Value.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [Globalization.CultureInfo]::InvariantCulture) }
  if ($Value -is [DateTimeOffset]) { return $Value.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [Globalization.CultureInfo]::InvariantCulture) }
  if ($Value -is [byte[]]) { return [Convert]::ToBase64String($Value) }
  if ($Value -is [int] -or $Value -is [long] -or $Value -is [double] -or $Value -is [decimal] -or $Value -is [single] -or
      $Value -is [byte] -or $Value -is [int16] -or $Value -is [uint16] -or $Value -is [uint32] -or $Value -is [uint64] -or $Value -is [sbyte]) {
    # an enum from a remote session (Import-PSSession, Import-Clixml) is its number; the name when
    # the call asks for it, as for a live enum
    if ($global:__TeamsOAuthEnumNames -and $Value.PSObject.TypeNames -contains 'Deserialized.System.Enum') { return $Value.ToString() }
    return $Value.PSObject.BaseObject
  }
  if ($Value -is [char] -or $Value -is [guid] -or $Value -is [timespan] -or $Value -is [uri] -or $Value -is [System.Security.SecureString]) {
    if ($Value -is [System.Security.SecureString]) { return $null }
    return $Value.ToString()
  }
  if ($Depth -gt 8) { return $Value.ToString() }
  if ($Value -is [System.Collections.IDictionary]) {
    $table = [ordered]@{}
    foreach ($key in $Value.Keys) {
      $item = $Value[$key]
      # inline what needs no conversion (see ConvertFrom-TeamsOAuthJsonElement)
      if ($null -eq $item) { $table[[string]$key] = $null }
      elseif ($item -is [string]) { $table[[string]$key] = [string]$item }
      elseif ($item -is [bool]) { $table[[string]$key] = [bool]$item }
      elseif ($item -is [int]) { $table[[string]$key] = $item.PSObject.BaseObject }
      else { $table[[string]$key] = ConvertTo-TeamsOAuthValue $item ($Depth + 1) }
    }
    return $table
  }
  if ($Value -is [System.Collections.IEnumerable]) {
    $items = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $Value) {
      if ($null -eq $item) { $items.Add($null) }
      elseif ($item -is [string]) { $items.Add([string]$item) }
      else { $items.Add((ConvertTo-TeamsOAuthValue $item $Depth)) }
    }
    return ,([object[]]$items.ToArray())
  }
  $isPlainData = $Value -is [System.Management.Automation.PSCustomObject] -and -not ([string]$Value.PSObject.TypeNames[0]).StartsWith('Deserialized.')
  if ($Depth -ge 1 -and -not $isPlainData) { return $Value.ToString() }
  return ConvertTo-TeamsOAuthRecord $Value $null ($Depth + 1)
}

function global:ConvertTo-TeamsOAuthRecord($Value, $Select, [int]$Depth) {
  $table = [ordered]@{}
  if ($null -ne $Select) {
    foreach ($name in $Select) {
      $property = $Value.PSObject.Properties[$name]
      $table[$name] = if ($null -eq $property) { $null } else { try { ConvertTo-TeamsOAuthValue $property.Value $Depth } catch { $null } }
    }
    return $table
  }
  foreach ($property in $Value.PSObject.Properties) {
    if ($property.MemberType -notin 'Property', 'NoteProperty', 'AliasProperty', 'ScriptProperty') { continue }
    $item = $null
    try { $item = $property.Value } catch { $table[$property.Name] = $null; continue }
    # inline what needs no conversion (see ConvertFrom-TeamsOAuthJsonElement)
    if ($null -eq $item) { $table[$property.Name] = $null }
    elseif ($item -is [string]) { $table[$property.Name] = [string]$item }
    elseif ($item -is [bool]) { $table[$property.Name] = [bool]$item }
    else { $table[$property.Name] = try { ConvertTo-TeamsOAuthValue $item $Depth } catch { $null } }
  }
  return $table
}

function global:ConvertTo-TeamsOAuthOutput($Value, $Select) {
  if ($null -eq $Value) { return $null }
  if ($Value -is [System.Collections.IDictionary] -or $Value -is [string] -or $Value -is [ValueType] -or $Value -is [byte[]]) {
    return ConvertTo-TeamsOAuthValue $Value 0
  }
  return ConvertTo-TeamsOAuthRecord $Value $Select 1
}

function global:Write-TeamsOAuthEnvelope([string]$Marker, $Envelope) {
  $json = ConvertTo-Json -InputObject $Envelope -Depth 40 -Compress
  $encoded = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($json))
  [Console]::Out.WriteLine($Marker + ' ' + $encoded + ' ' + $Marker)
  [Console]::Out.Flush()
}

function global:New-TeamsOAuthFailure($Record) {
  $category = $Record.CategoryInfo
  $target = $category.TargetName
  if ([string]::IsNullOrEmpty($target) -and $null -ne $Record.TargetObject) { $target = [string]$Record.TargetObject }
  return [ordered]@{
    ok = $false
    error = [ordered]@{
      message = [string]$Record.Exception.Message
      category = [string]$category.Category
      reason = [string]$category.Reason
      fullyQualifiedErrorId = [string]$Record.FullyQualifiedErrorId
      target = if ([string]::IsNullOrEmpty($target)) { $null } else { [string]$target }
    }
  }
}

function global:Invoke-TeamsOAuthRequest($Request) {
  $params = $Request['params']
  if ($null -eq $params) { $params = @{} }
  if ($Request['kind'] -eq 'script') {
    $id = $Request['scriptId']
    if ($null -ne $Request['script']) {
      $block = [ScriptBlock]::Create([string]$Request['script'])
      if ($null -ne $id) { $global:__TeamsOAuthScripts[[int]$id] = $block }
    } else {
      $block = $null
      if (-not $global:__TeamsOAuthScripts.TryGetValue([int]$id, [ref]$block)) { throw "no script is known by id $id" }
    }
    return ,@(& $block @params)
  }
  $name = [string]$Request['command']
  $found = $null
  if (-not $global:__TeamsOAuthCommands.TryGetValue($name, [ref]$found)) {
    $command = Get-Command -Name $name -CommandType Cmdlet, Function, Alias -ErrorAction Stop
    $found = @{ Command = $command; TakesErrorAction = $command.Parameters.ContainsKey('ErrorAction') }
    $global:__TeamsOAuthCommands[$name] = $found
  }
  if ($found.TakesErrorAction) { $params['ErrorAction'] = 'Stop' }
  return ,@(& $found.Command @params)
}

function global:__TeamsOAuthCall([string]$Payload) {
  $marker = ''
  $envelope = $null
  try {
    $request = ConvertFrom-TeamsOAuthPayload $Payload
    $marker = [string]$request['marker']
    $output = Invoke-TeamsOAuthRequest $request
    $global:__TeamsOAuthEnumNames = $request['enumNames'] -eq $true
    $values = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $output) { $values.Add((ConvertTo-TeamsOAuthOutput $item $request['select'])) }
    $envelope = [ordered]@{ ok = $true; value = [object[]]$values.ToArray() }
  } catch {
    $envelope = New-TeamsOAuthFailure $_
  }
  Write-TeamsOAuthEnvelope $marker $envelope
}

function global:__TeamsOAuthSetup([string]$__teamsOAuthPayload) {
  # Dot-sourced, so the setup's param() variables and this function's own land in the global
  # scope; the finally block removes them, so a password or token given to the setup (and the
  # payload that carried it) does not outlive the setup. What later calls need, the setup keeps
  # under other names ($global:...) or in the modules it imports.
  $__teamsOAuthMarker = ''
  $__teamsOAuthParams = @{}
  try {
    $__teamsOAuthRequest = ConvertFrom-TeamsOAuthPayload $__teamsOAuthPayload
    $__teamsOAuthMarker = [string]$__teamsOAuthRequest['marker']
    if ($null -ne $__teamsOAuthRequest['params']) { $__teamsOAuthParams = $__teamsOAuthRequest['params'] }
    $null = . ([ScriptBlock]::Create([string]$__teamsOAuthRequest['script'])) @__teamsOAuthParams
    $__teamsOAuthEnvelope = [ordered]@{ ok = $true; value = [object[]]@() }
  } catch {
    $__teamsOAuthEnvelope = New-TeamsOAuthFailure $_
  } finally {
    foreach ($__teamsOAuthName in @($__teamsOAuthParams.Keys)) {
      Remove-Variable -Name $__teamsOAuthName -Scope Local -Force -ErrorAction SilentlyContinue
    }
    Remove-Variable -Name __teamsOAuthPayload, __teamsOAuthRequest, __teamsOAuthParams, __teamsOAuthName -Scope Local -Force -ErrorAction SilentlyContinue
    # Error records of the setup can hold its bound parameters.
    $global:Error.Clear()
  }
  Write-TeamsOAuthEnvelope $__teamsOAuthMarker $__teamsOAuthEnvelope
  Remove-Variable -Name __teamsOAuthMarker, __teamsOAuthEnvelope -Scope Local -Force -ErrorAction SilentlyContinue
}

function global:__TeamsOAuthServe([string]$Marker) {
  # PowerShell's console loop would parse and run each line as a command, and keep it in the
  # history; this loop takes the payload out of each line instead. Should it ever stop, the lines
  # are still commands that the console loop runs alike.
  Write-TeamsOAuthEnvelope $Marker ([ordered]@{ ok = $true; value = [object[]]@() })
  while ($true) {
    $__teamsOAuthLine = [Console]::In.ReadLine()
    if ($null -eq $__teamsOAuthLine) { break }
    $first = $__teamsOAuthLine.IndexOf("'")
    $last = $__teamsOAuthLine.LastIndexOf("'")
    if ($first -ge 0 -and $last -gt $first) { __TeamsOAuthCall $__teamsOAuthLine.Substring($first + 1, $last - $first - 1) }
    $__teamsOAuthLine = $null
  }
}
`
