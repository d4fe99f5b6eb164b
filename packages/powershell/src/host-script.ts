import { hostValuesScript } from './host-values'

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

${hostValuesScript}

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

# One call, start to end, in one function (a function call costs more than the statements it
# saves): the request read, the command run, each output object's top level converted inline, the
# answer written.
function global:__TeamsOAuthCall([string]$Payload) {
  $marker = ''
  try {
    $text = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Payload))
    if ($global:__TeamsOAuthJsonDocument) {
      $document = [System.Text.Json.JsonDocument]::Parse($text)
      try {
        $request = ConvertFrom-TeamsOAuthJsonElement $document.RootElement
      } finally { $document.Dispose() }
    } else {
      $request = ConvertFrom-TeamsOAuthJsonObject ($text | ConvertFrom-Json)
    }
    $marker = [string]$request['marker']
    $params = $request['params']
    if ($null -eq $params) { $params = @{} }
    if ($request['kind'] -eq 'script') {
      $id = $request['scriptId']
      if ($null -ne $request['script']) {
        $block = [ScriptBlock]::Create([string]$request['script'])
        if ($null -ne $id) { $global:__TeamsOAuthScripts[[int]$id] = $block }
      } else {
        $block = $null
        if (-not $global:__TeamsOAuthScripts.TryGetValue([int]$id, [ref]$block)) { throw "no script is known by id $id" }
      }
      $output = @(& $block @params)
    } else {
      $name = [string]$request['command']
      $found = $null
      if (-not $global:__TeamsOAuthCommands.TryGetValue($name, [ref]$found)) {
        $command = Get-Command -Name $name -CommandType Cmdlet, Function, Alias -ErrorAction Stop
        $found = @{ Command = $command; TakesErrorAction = $command.Parameters.ContainsKey('ErrorAction') }
        $global:__TeamsOAuthCommands[$name] = $found
      }
      if ($found.TakesErrorAction) { $params['ErrorAction'] = 'Stop' }
      $output = @(& $found.Command @params)
    }
    $global:__TeamsOAuthEnumNames = $request['enumNames'] -eq $true
    $select = $request['select']
    $values = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $output) {
      if ($null -eq $item) { $values.Add($null) }
      elseif ($item -is [System.Collections.IDictionary] -or $item -is [string] -or $item -is [ValueType] -or $item -is [byte[]]) {
        $values.Add((ConvertTo-TeamsOAuthValue $item 0))
      }
      else { $values.Add((ConvertTo-TeamsOAuthRecord $item $select 1)) }
    }
    $envelope = [ordered]@{ ok = $true; value = [object[]]$values.ToArray() }
  } catch {
    $envelope = New-TeamsOAuthFailure $_
  }
  $json = ConvertTo-Json -InputObject $envelope -Depth 40 -Compress
  [Console]::Out.WriteLine($marker + ' ' + [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($json)) + ' ' + $marker)
  [Console]::Out.Flush()
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
