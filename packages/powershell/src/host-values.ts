/**
 * The host's values, as PowerShell text (part of hostScript, host-script.ts): a request's JSON read
 * into PowerShell values (hashtables, [string[]] for lists of strings, [byte[]] for `{ $bytes }`),
 * and a command's output converted to plain values for ConvertTo-Json (dates ISO 8601 UTC, enums
 * by name, bytes base64, lists arrays, objects below the top their text).
 *
 * A PowerShell function call costs far more than a statement, so the loops take the common cases
 * inline and call a function only for what nests: reading, strings, true, false and null; converting,
 * null, text, booleans, numbers (a remote enum's name included) and a remote object's text.
 * __TeamsOAuthCall (host-script.ts) converts each output object's top level itself, for the same
 * reason. The text is valid in Windows PowerShell 5.1 and 7.
 */
export const hostValuesScript = `
# JsonValueKind: 1 Object, 2 Array, 3 String, 4 Number, 5 True, 6 False, 7 Null.
function global:ConvertFrom-TeamsOAuthJsonElement($Element) {
  $kind = [int]$Element.ValueKind
  if ($kind -eq 1) {
    $table = @{}
    foreach ($p in $Element.EnumerateObject()) {
      $v = $p.Value
      $k = [int]$v.ValueKind
      if ($k -eq 3) { $table[$p.Name] = $v.GetString() }
      elseif ($k -eq 7) { $table[$p.Name] = $null }
      elseif ($k -eq 5) { $table[$p.Name] = $true }
      elseif ($k -eq 6) { $table[$p.Name] = $false }
      else { $table[$p.Name] = ConvertFrom-TeamsOAuthJsonElement $v }
    }
    if ($table.Count -eq 1 -and $table['$bytes'] -is [string]) { return ,([byte[]][Convert]::FromBase64String($table['$bytes'])) }
    return $table
  }
  if ($kind -eq 2) {
    $items = [System.Collections.Generic.List[object]]::new()
    $allStrings = $true
    foreach ($item in $Element.EnumerateArray()) {
      if ([int]$item.ValueKind -eq 3) { $items.Add($item.GetString()) }
      else { $allStrings = $false; $items.Add((ConvertFrom-TeamsOAuthJsonElement $item)) }
    }
    # a list of strings binds as [string[]], as a cmdlet's string list expects
    if ($allStrings -and $items.Count -gt 0) { return ,([string[]]$items.ToArray()) }
    return ,([object[]]$items.ToArray())
  }
  if ($kind -eq 3) { return $Element.GetString() }
  if ($kind -eq 4) {
    [int]$i = 0; [long]$l = 0
    if ($Element.TryGetInt32([ref]$i)) { return $i }
    if ($Element.TryGetInt64([ref]$l)) { return $l }
    return $Element.GetDouble()
  }
  if ($kind -eq 5) { return $true }
  if ($kind -eq 6) { return $false }
  return $null
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
    $allStrings = $true
    foreach ($item in $Value) {
      $converted = ConvertFrom-TeamsOAuthJsonObject $item
      if (-not ($converted -is [string])) { $allStrings = $false }
      $items.Add($converted)
    }
    if ($allStrings -and $items.Count -gt 0) { return ,([string[]]$items.ToArray()) }
    return ,([object[]]$items.ToArray())
  }
  return $Value
}

$global:__TeamsOAuthJsonDocument = $PSVersionTable.PSVersion.Major -ge 7
function global:ConvertFrom-TeamsOAuthPayload([string]$Payload) {
  $text = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Payload))
  if ($global:__TeamsOAuthJsonDocument) {
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

# Property, NoteProperty, AliasProperty and ScriptProperty: a CodeProperty is no data.
$global:__TeamsOAuthDataMembers = [int][System.Management.Automation.PSMemberTypes]'Property,NoteProperty,AliasProperty,ScriptProperty'
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
    if (([int]$property.MemberType -band $global:__TeamsOAuthDataMembers) -eq 0) { continue }
    $item = $null
    try { $item = $property.Value } catch { $table[$property.Name] = $null; continue }
    # inline what ConvertTo-TeamsOAuthValue would give at this depth: text, booleans, numbers, a
    # remote enum's name and a remote object's text (an ADObjectId, an SmtpAddress)
    if ($null -eq $item) { $table[$property.Name] = $null }
    elseif ($item -is [string]) { $table[$property.Name] = [string]$item }
    elseif ($item -is [bool]) { $table[$property.Name] = [bool]$item }
    elseif ($item -is [int]) {
      if ($global:__TeamsOAuthEnumNames -and $item.PSObject.TypeNames -contains 'Deserialized.System.Enum') { $table[$property.Name] = $item.ToString() }
      else { $table[$property.Name] = $item.PSObject.BaseObject }
    }
    elseif ($item -is [System.Management.Automation.PSCustomObject] -and ([string]$item.PSObject.TypeNames[0]).StartsWith('Deserialized.')) {
      $table[$property.Name] = try { $item.ToString() } catch { $null }
    }
    else { $table[$property.Name] = try { ConvertTo-TeamsOAuthValue $item $Depth } catch { $null } }
  }
  return $table
}
`
