/**
 * Runs one Exchange cmdlet and hands back each object in the plain form core's schemas describe
 * (packages/core/src/exchange-objects.ts). Fixed text: the cmdlet's name and parameters arrive as
 * param() arguments, and the parameters are splatted, never spliced into code.
 *
 * A remote session (Import-PSSession) gives Deserialized.* objects: an enum is its number, with the
 * name only as its ToString(); an ADObjectId, a ServerVersion, an SmtpAddress are property bags whose
 * ToString() is the string Exchange prints. Each of those becomes that string here; a multi-valued
 * property (ArrayList, or $null) an array (or $null). Dates stay DateTime: the host writes them as
 * ISO 8601 UTC. `Select` keeps only the named properties. Live objects (the local snap-in) are left to the host, which prints enums by name
 * and any other object by its ToString().
 */
export const plainCmdletScript = `
param([string]$Command, [hashtable]$Parameters, [string[]]$Select)
function ConvertTo-TeamsOAuthExchangeValue($Value) {
  if ($null -eq $Value) { return $null }
  if ($Value -is [string] -or $Value -is [byte[]]) { return ,$Value }
  $typeName = [string]$Value.PSObject.TypeNames[0]
  if ($typeName.StartsWith('Deserialized.')) {
    if ($Value.PSObject.TypeNames -contains 'Deserialized.System.Enum') { return $Value.ToString() }
    $base = $Value.PSObject.BaseObject
    if ($base -is [System.Collections.IEnumerable] -and -not ($base -is [string])) {
      return ,@(foreach ($item in $base) { ConvertTo-TeamsOAuthExchangeValue $item })
    }
    return $Value.ToString()
  }
  if ($Value -is [System.Enum]) { return $Value.ToString() }
  if ($Value -is [ValueType] -or $Value -is [System.Collections.IDictionary]) { return ,$Value }
  if ($Value -is [System.Collections.IEnumerable]) {
    return ,@(foreach ($item in $Value) { ConvertTo-TeamsOAuthExchangeValue $item })
  }
  return ,$Value
}
if ($null -eq $Parameters) { $Parameters = @{} }
$cmdlet = Get-Command -Name $Command -CommandType Cmdlet, Function, Alias -ErrorAction Stop
if ($cmdlet.Parameters.ContainsKey('ErrorAction')) { $Parameters['ErrorAction'] = 'Stop' }
foreach ($item in @(& $cmdlet @Parameters)) {
  if ($null -eq $item) { continue }
  if ($item -is [string] -or $item -is [ValueType] -or $item -is [System.Collections.IDictionary]) { $item; continue }
  $record = [ordered]@{}
  if ($Select) {
    # only the properties the caller reads, as Select-Object would give them (a missing one is $null)
    foreach ($name in $Select) {
      $property = $item.PSObject.Properties[$name]
      $record[$name] = if ($null -eq $property) { $null } else { try { ConvertTo-TeamsOAuthExchangeValue $property.Value } catch { $null } }
    }
    $record
    continue
  }
  foreach ($property in $item.PSObject.Properties) {
    if ($property.MemberType -notin 'Property', 'NoteProperty', 'AliasProperty', 'ScriptProperty') { continue }
    $value = $null
    try { $value = $property.Value } catch { $record[$property.Name] = $null; continue }
    # a function call costs far more than a statement: null and text, the most of any object, inline
    if ($null -eq $value -or $value -is [string]) { $record[$property.Name] = $value; continue }
    $record[$property.Name] = try { ConvertTo-TeamsOAuthExchangeValue $value } catch { $null }
  }
  $record
}
`
