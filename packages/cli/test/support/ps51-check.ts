import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * Walks each file's AST with PowerShell 7's parser and names what Windows PowerShell 5.1 cannot run:
 * PowerShell 7 syntax, and parameters 5.1's cmdlets do not have. Abbreviated parameter names count.
 */
const checker = String.raw`
param([Parameter(ValueFromRemainingArguments = $true)][string[]]$Paths)
$banned = @{
  'ForEach-Object' = @('Parallel', 'ThrottleLimit', 'AsJob')
  'ConvertFrom-Json' = @('AsHashtable', 'Depth', 'DateKind', 'NoEnumerate')
  'ConvertTo-Json' = @('AsArray', 'EscapeHandling', 'EnumsAsStrings')
  'Get-Content' = @('AsByteStream')
  'Set-Content' = @('AsByteStream')
}
$aliases = @{ '%' = 'ForEach-Object'; 'foreach' = 'ForEach-Object'; 'gc' = 'Get-Content'; 'cat' = 'Get-Content'; 'type' = 'Get-Content'; 'sc' = 'Set-Content' }
$found = foreach ($path in $Paths) {
  $tokens = $null
  $errors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$tokens, [ref]$errors)
  foreach ($e in @($errors)) { $path + ': does not parse: ' + $e.Message }
  $nodes = $ast.FindAll({ $true }, $true)
  foreach ($node in $nodes) {
    $kind = $node.GetType().Name
    $where = $path + ':' + $node.Extent.StartLineNumber + ': '
    if ($kind -eq 'TernaryExpressionAst') { $where + 'ternary ?:' }
    elseif ($kind -eq 'PipelineChainAst') { $where + 'pipeline chain && or ||' }
    elseif ($kind -eq 'BinaryExpressionAst' -and [string]$node.Operator -eq 'QuestionQuestion') { $where + 'null-coalescing ??' }
    elseif ($kind -eq 'AssignmentStatementAst' -and [string]$node.Operator -eq 'QuestionQuestionEquals') { $where + 'null-coalescing assignment ??=' }
    elseif (($kind -eq 'MemberExpressionAst' -or $kind -eq 'InvokeMemberExpressionAst' -or $kind -eq 'IndexExpressionAst') -and $node.PSObject.Properties['NullConditional'] -and $node.NullConditional) { $where + 'null-conditional ?. or ?[]' }
    elseif ($kind -eq 'CommandAst') {
      $name = $node.GetCommandName()
      if ($null -eq $name) { continue }
      if ($aliases.ContainsKey($name)) { $name = $aliases[$name] }
      $name = $name -replace '^Microsoft\.PowerShell\.(Utility|Core|Management)\\', ''
      $list = $null
      foreach ($key in $banned.Keys) { if ($key -eq $name) { $list = $banned[$key] } }
      if ($null -eq $list) { continue }
      foreach ($element in $node.CommandElements) {
        if ($element -isnot [System.Management.Automation.Language.CommandParameterAst]) { continue }
        foreach ($parameter in $list) {
          if ($element.ParameterName.Length -ge 2 -and $parameter.StartsWith($element.ParameterName, [System.StringComparison]::OrdinalIgnoreCase)) { $where + $name + ' -' + $parameter }
        }
      }
    }
  }
}
@($found) | ForEach-Object { [string]$_ }
`

/** What in these PowerShell texts Windows PowerShell 5.1 cannot run, one finding a line (none: []). */
export async function ps51Findings(executable: string, texts: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'teams-oauth-ps51-'))
  const paths = Object.entries(texts).map(([name, text]) => {
    const path = join(dir, `${name.replace(/[^A-Za-z0-9_-]/g, '_')}.ps1`)
    writeFileSync(path, text)
    return path
  })
  const checkerPath = join(dir, 'check.ps1')
  writeFileSync(checkerPath, checker)
  const { stdout } = await run(
    executable,
    ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', checkerPath, ...paths],
    { maxBuffer: 16 * 1024 * 1024 },
  )
  return stdout
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
}
