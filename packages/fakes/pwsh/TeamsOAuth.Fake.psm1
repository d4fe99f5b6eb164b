<#
  The PowerShell stand-in for Exchange and MSOnline. Every cmdlet in cmdlet-reference.json becomes a
  function with the real parameter names, sets and mandatory flags; each forwards its bound
  parameters as JSON over loopback HTTP to the fake tenant (startFakeExchangeServer in
  @teams-oauth/fakes), so the model stays the one truth. The functions are generated at import
  from the cmdlet descriptions the fake server serves (our reference file plus what this fake
  build adds, such as New-MailUser -ApplicationAccount); no user value ever becomes code.

  Import-Module ./TeamsOAuth.Fake.psm1 -ArgumentList 'http://127.0.0.1:PORT'
  (or set $env:TEAMS_OAUTH_FAKE_URL before importing)
#>
param([string]$Url = $env:TEAMS_OAUTH_FAKE_URL)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

if ([string]::IsNullOrEmpty($Url)) {
  throw 'TeamsOAuth.Fake needs the fake server address: Import-Module … -ArgumentList <url>, or $env:TEAMS_OAUTH_FAKE_URL.'
}
$script:FakeUrl = $Url.TrimEnd('/')

if ($PSVersionTable.PSVersion.Major -lt 6) { Add-Type -AssemblyName System.Net.Http }
$script:Client = [System.Net.Http.HttpClient]::new()
$script:Client.Timeout = [TimeSpan]::FromMinutes(5)

# Common parameters are PowerShell's, not the cmdlet's: they are never forwarded.
$script:CommonParameters = @(
  'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction',
  'ErrorVariable', 'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable'
)

$script:KeepDateStrings = (Get-Command ConvertFrom-Json).Parameters.ContainsKey('DateKind')

function Send-FakeRequest([string]$Method, [string]$Path, [string]$Body) {
  $message = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), $script:FakeUrl + $Path)
  if ($null -ne $Body) {
    $message.Content = [System.Net.Http.StringContent]::new($Body, [System.Text.UTF8Encoding]::new($false), 'application/json')
  }
  $response = $script:Client.SendAsync($message).GetAwaiter().GetResult()
  $bytes = $response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult()
  $text = [System.Text.Encoding]::UTF8.GetString($bytes)
  # Dates stay strings as the model wrote them (ConvertFrom-Json in 7.0 to 7.4 would turn them into DateTime).
  if ($script:KeepDateStrings) {
    return ConvertFrom-Json -InputObject $text -DateKind String
  }
  return ConvertFrom-Json -InputObject $text
}

function ConvertTo-FakeWireValue($Value) {
  if ($null -eq $Value) { return $null }
  # An object read from a cmdlet (ADObjectId, an enum, …) passed back in binds as its string, as Exchange's parameters take it.
  if (([string]$Value.PSObject.TypeNames[0]).StartsWith('Deserialized.')) { return $Value.ToString() }
  if ($Value -is [System.Management.Automation.SwitchParameter]) { return $Value.IsPresent }
  if ($Value -is [string] -or $Value -is [bool]) { return $Value }
  if ($Value -is [byte[]]) { return [ordered]@{ '$bytes' = [Convert]::ToBase64String($Value) } }
  if ($Value -is [DateTime]) { return $Value.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [Globalization.CultureInfo]::InvariantCulture) }
  if ($Value -is [System.Security.SecureString]) { return [System.Net.NetworkCredential]::new('', $Value).Password }
  if ($Value -is [System.Management.Automation.PSCredential]) { return $Value.UserName }
  if ($Value -is [System.Security.Cryptography.X509Certificates.X509Certificate2]) {
    return [ordered]@{ '$bytes' = [Convert]::ToBase64String($Value.RawData) }
  }
  if ($Value -is [System.Enum] -or $Value -is [guid] -or $Value -is [char]) { return $Value.ToString() }
  if ($Value -is [ValueType]) { return $Value }
  if ($Value -is [System.Collections.IDictionary]) {
    $table = [ordered]@{}
    foreach ($key in $Value.Keys) { $table[[string]$key] = ConvertTo-FakeWireValue $Value[$key] }
    return $table
  }
  if ($Value -is [System.Collections.IEnumerable]) {
    $items = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $Value) { $items.Add((ConvertTo-FakeWireValue $item)) }
    return ,([object[]]$items.ToArray())
  }
  if ($Value -is [System.Management.Automation.PSCustomObject]) {
    $table = [ordered]@{}
    foreach ($property in $Value.PSObject.Properties) { $table[$property.Name] = ConvertTo-FakeWireValue $property.Value }
    return $table
  }
  return $Value.ToString()
}

function Invoke-FakeCmdlet([string]$Cmdlet, $Bound, $Caller) {
  $params = [ordered]@{}
  foreach ($name in $Bound.Keys) {
    if ($script:CommonParameters -contains $name) { continue }
    $params[$name] = ConvertTo-FakeWireValue $Bound[$name]
  }
  $body = ConvertTo-Json -InputObject ([ordered]@{ cmdlet = $Cmdlet; params = $params }) -Depth 30 -Compress
  $answer = Send-FakeRequest 'POST' '/invoke' $body
  if ($answer.PSObject.Properties['kill'] -and $answer.kill) {
    # The fault "the session dies": this process ends here, as a dropped remote session would.
    [Environment]::Exit(1)
  }
  if ($answer.ok) {
    $shape = $script:CmdletShapes[$Cmdlet]
    foreach ($item in @($answer.value)) {
      if ($null -eq $shape -or $null -eq $item) { $item } else { ConvertTo-FakeDeserialized $item $shape }
    }
    return
  }
  $failure = $answer.error
  $exception = [System.Exception]::new([string]$failure.message)
  $category = [System.Management.Automation.ErrorCategory]::NotSpecified
  $null = [Enum]::TryParse([string]$failure.category, [ref]$category)
  $target = if ($failure.PSObject.Properties['target']) { $failure.target } else { $null }
  $record = [System.Management.Automation.ErrorRecord]::new($exception, [string]$failure.fullyQualifiedErrorId, $category, $target)
  # Exchange's reason is its exception's type name; ours is an Exception, so the name is set by hand.
  $record.CategoryInfo.Reason = [string]$failure.reason
  # Exchange writes "couldn't be found" as a non-terminating error (-ErrorAction SilentlyContinue hides it); the rest stops the command.
  $notFound = $category -eq [System.Management.Automation.ErrorCategory]::ObjectNotFound -or [string]$failure.reason -eq 'ManagementObjectNotFoundException'
  if ($null -ne $Caller -and $notFound) {
    $action = if ($Bound.ContainsKey('ErrorAction')) { [string]$Bound['ErrorAction'] } else { [string]$Caller.SessionState.PSVariable.GetValue('ErrorActionPreference') }
    # stopping here keeps the error record exactly as the model wrote it
    if ($action -ne 'Stop') {
      $Caller.WriteError($record)
      return
    }
  }
  throw $record
}

# ---- what a remote Exchange session hands over: Deserialized.* objects, rebuilt from the model's JSON ----
# (pwsh-shapes.ts in @teams-oauth/fakes says which property has which shape.) The description is
# compiled once into hashtables, and the work is done inline: a role has a hundred entries.

function ConvertTo-FakeCompiledShape($Shape) {
  $kind = [string]$Shape.kind
  $compiled = @{ Kind = $kind }
  switch ($kind) {
    'enum' {
      $enum = $script:Shapes.enums.PSObject.Properties[[string]$Shape.enum].Value
      $values = @{}
      foreach ($value in $enum.values.PSObject.Properties) { $values[$value.Name] = [int]$value.Value }
      $compiled.Type = [string]$enum.type
      $compiled.Values = $values
      $compiled.Flags = $null -ne $enum.PSObject.Properties['flags'] -and [bool]$enum.flags
    }
    'object' { $compiled.TypeNames = [string[]]@("Deserialized.$($Shape.type)", 'Deserialized.System.Object') }
    'version' { $compiled.TypeNames = [string[]]@('Deserialized.Microsoft.Exchange.Data.ServerVersion', 'Deserialized.System.Object') }
    'list' {
      $item = $Shape.PSObject.Properties['item']
      $compiled.Item = if ($null -eq $item) { $null } else { ConvertTo-FakeCompiledShape $item.Value }
    }
  }
  return $compiled
}

function Initialize-FakeShapes($Description) {
  $script:CmdletShapes = @{}
  foreach ($cmdlet in $Description.cmdlets.PSObject.Properties) {
    $objectShape = $Description.objects.PSObject.Properties[[string]$cmdlet.Value].Value
    $properties = @{}
    foreach ($property in $objectShape.properties.PSObject.Properties) { $properties[$property.Name] = ConvertTo-FakeCompiledShape $property.Value }
    $script:CmdletShapes[$cmdlet.Name] = @{
      TypeNames = [string[]]@("Deserialized.$($objectShape.type)", 'Deserialized.System.Object')
      Properties = $properties
    }
  }
}

$script:DeserializedEnums = [System.Collections.Generic.Dictionary[string, object]]::new([StringComparer]::Ordinal)

# One ToString() per text, made once: a closure holds the text as data (it never becomes code).
$script:ToStringMethods = [System.Collections.Generic.Dictionary[string, System.Management.Automation.PSScriptMethod]]::new([StringComparer]::Ordinal)

function Set-FakeToString($Object, [string]$Text, [string[]]$TypeNames) {
  $Object.PSObject.TypeNames.Clear()
  foreach ($typeName in $TypeNames) { $Object.PSObject.TypeNames.Add($typeName) }
  $method = $null
  if (-not $script:ToStringMethods.TryGetValue($Text, [ref]$method)) {
    $toString = $Text
    $method = [System.Management.Automation.PSScriptMethod]::new('ToString', { $toString }.GetNewClosure())
    $script:ToStringMethods[$Text] = $method
  }
  # PSObject.Methods.Add, not Add-Member: ten times faster.
  $Object.PSObject.Methods.Add($method)
}

function ConvertTo-FakeShaped($Value, $Shape) {
  if ($null -eq $Value) { return $null }
  switch ($Shape.Kind) {
    'enum' {
      $text = [string]$Value
      $names = if ($Shape.Flags) { $text -split ',\s*' } else { @($text) }
      $number = 0
      foreach ($name in $names) {
        if (-not $Shape.Values.ContainsKey($name)) { throw "The stand-in has no number for $($Shape.Type) '$name': add it to enumShapes in pwsh-shapes.ts." }
        $number = $number -bor $Shape.Values[$name]
      }
      $key = [string]$Shape.Type + '|' + $text
      $enum = $null
      if (-not $script:DeserializedEnums.TryGetValue($key, [ref]$enum)) {
        # A genuine deserialized enum, made once per value from the CliXml a remote session sends: its
        # number is the value, and [string] gives its name, as it does for Exchange's (a ToString method would not).
        $xml = '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0"><TN RefId="0"><T>' +
          [System.Security.SecurityElement]::Escape([string]$Shape.Type) +
          '</T><T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN><ToString>' +
          [System.Security.SecurityElement]::Escape($text) + '</ToString><I32>' + [int]$number + '</I32></Obj></Objs>'
        $enum = [System.Management.Automation.PSSerializer]::Deserialize($xml)
        $script:DeserializedEnums[$key] = $enum
      }
      return ,$enum
    }
    'object' {
      $text = [string]$Value
      if ($text -eq '') { return '' }
      $object = [pscustomobject]@{ Name = @($text -split '[/\\]')[-1]; IsDeleted = $false }
      Set-FakeToString $object $text $Shape.TypeNames
      return ,$object
    }
    'version' {
      $text = [string]$Value
      $match = [regex]::Match($text, '^Version (\d+)\.(\d+) \(Build (\d+)\.(\d+)\)$')
      if (-not $match.Success) { throw "The stand-in cannot read the version '$text' (expected 'Version 15.2 (Build 1544.4)')." }
      $version = [pscustomobject]@{
        Major = [int]$match.Groups[1].Value
        Minor = [int]$match.Groups[2].Value
        Build = [int]$match.Groups[3].Value
        Revision = [int]$match.Groups[4].Value
        FilePatchLevelDescription = $null
      }
      Set-FakeToString $version $text $Shape.TypeNames
      return ,$version
    }
    'date' {
      # a server's DateTime is in its own local time
      if ($Value -is [DateTime]) { return $Value.ToLocalTime() }
      return [DateTime]::Parse([string]$Value, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind).ToLocalTime()
    }
    'guid' { return [guid][string]$Value }
    'bytes' { return ,([byte[]][Convert]::FromBase64String([string]$Value)) }
    'list' {
      $list = [System.Collections.ArrayList]::new()
      foreach ($entry in @($Value)) {
        if ($null -eq $Shape.Item) { $null = $list.Add($entry) } else { $null = $list.Add((ConvertTo-FakeShaped $entry $Shape.Item)) }
      }
      $wrapped = [System.Management.Automation.PSObject]::AsPSObject($list)
      $wrapped.PSObject.TypeNames.Insert(0, 'Deserialized.Microsoft.Exchange.Data.MultiValuedProperty`1[[System.String]]')
      return ,$wrapped
    }
  }
  return $Value
}

function ConvertTo-FakeDeserialized($Item, $ObjectShape) {
  # through a hashtable, not a PSNoteProperty constructor: a .NET call would unwrap a deserialized enum to its number
  $properties = [ordered]@{}
  foreach ($property in $Item.PSObject.Properties) {
    $shape = $ObjectShape.Properties[$property.Name]
    if ($null -eq $shape) { $properties[$property.Name] = $property.Value } else { $properties[$property.Name] = ConvertTo-FakeShaped $property.Value $shape }
  }
  $object = [pscustomobject]$properties
  $label = if ($null -ne $Item.PSObject.Properties['Identity']) { [string]$Item.Identity } elseif ($null -ne $Item.PSObject.Properties['Name']) { [string]$Item.Name } else { '' }
  Set-FakeToString $object $label $ObjectShape.TypeNames
  return $object
}

# Exchange's own parameter types are not loaded here: they bind as strings or untyped values.
$script:ParameterTypes = @{
  'String' = '[string]'; 'String[]' = '[string[]]'; 'SwitchParameter' = '[switch]'; 'Boolean' = '[bool]'
  'Int32' = '[int]'; 'Guid' = '[guid]'; 'DateTime' = '[datetime]'; 'SecureString' = '[securestring]'
  'PSCredential' = '[pscredential]'
}

function Get-FakeParameterType([string]$Type) {
  $known = $script:ParameterTypes[$Type]
  if ($null -ne $known) { return $known }
  if ($Type.EndsWith('[]')) { return '[string[]]' }
  return ''
}

# The reference does not name the default set: take one a call without parameters can bind
# (no mandatory parameter), 'Identity' first, as Exchange's Get-* cmdlets do.
function Get-FakeDefaultSet($Sets) {
  $open = foreach ($set in $Sets) {
    $mandatory = $false
    foreach ($p in $set.parameters) { if ($p.mandatory) { $mandatory = $true; break } }
    if (-not $mandatory) { $set.name }
  }
  $open = @($open)
  if ($open -contains 'Identity') { return 'Identity' }
  if ($open.Count -gt 0) { return $open[0] }
  return $Sets[0].name
}

function New-FakeCmdletText([string]$Name, $Sets) {
  $shouldProcess = $false
  $parameters = [ordered]@{}
  foreach ($set in $Sets) {
    foreach ($p in $set.parameters) {
      $parameterName = $p.name
      if ($parameterName -eq 'WhatIf' -or $parameterName -eq 'Confirm') { $shouldProcess = $true; continue }
      if ($script:CommonParameters -contains $parameterName) { continue }
      $type = Get-FakeParameterType $p.type
      $entry = $parameters[$parameterName]
      if ($null -eq $entry) {
        $entry = @{ type = $type; sets = [System.Collections.Generic.List[string]]::new() }
        $parameters[$parameterName] = $entry
      } elseif ($entry.type -ne $type) {
        $entry.type = ''
      }
      $entry.sets.Add("    [Parameter(ParameterSetName = '$($set.name)', Mandatory = `$$([bool]$p.mandatory))]")
    }
  }
  $text = [System.Text.StringBuilder]::new()
  $binding = "DefaultParameterSetName = '$(Get-FakeDefaultSet $Sets)', PositionalBinding = `$false"
  if ($shouldProcess) { $binding += ', SupportsShouldProcess = $true' }
  $null = $text.Append("function $Name {`n  [CmdletBinding($binding)]`n  param(`n")
  $first = $true
  foreach ($parameterName in $parameters.Keys) {
    $entry = $parameters[$parameterName]
    if (-not $first) { $null = $text.Append(",`n") }
    $first = $false
    $null = $text.Append(($entry.sets -join "`n")).Append("`n    ").Append($entry.type).Append('$').Append($parameterName)
  }
  $null = $text.Append("`n  )`n  Invoke-FakeCmdlet '$Name' `$PSBoundParameters `$PSCmdlet`n}`n")
  return $text.ToString()
}

$script:Shapes = Send-FakeRequest 'GET' '/shapes' $null
Initialize-FakeShapes $script:Shapes
$description = Send-FakeRequest 'GET' '/cmdlets' $null
$names = [System.Collections.Generic.List[string]]::new()
$texts = foreach ($cmdlet in $description.cmdlets.PSObject.Properties) {
  # Names come from our own reference file; checked anyway, since they become code.
  if ($cmdlet.Name -notmatch '^[A-Z][A-Za-z]+-[A-Z][A-Za-z0-9]+$') { throw "unexpected cmdlet name in the description: $($cmdlet.Name)" }
  foreach ($set in $cmdlet.Value) {
    if ($set.name -notmatch '^[A-Za-z0-9_]+$') { throw "unexpected parameter set name for $($cmdlet.Name)" }
    foreach ($p in $set.parameters) {
      if ($p.name -notmatch '^[A-Za-z][A-Za-z0-9]*$') { throw "unexpected parameter name for $($cmdlet.Name)" }
    }
  }
  $names.Add($cmdlet.Name)
  New-FakeCmdletText $cmdlet.Name @($cmdlet.Value)
}
. ([ScriptBlock]::Create($texts -join "`n`n"))
Export-ModuleMember -Function $names.ToArray()
