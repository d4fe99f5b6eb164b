import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { longPowershellString, powershellString } from '../../../tools/test-support/powershell-strings'
import { quote } from '../src/script/quote'
import { openPwshLines, type PwshLines, pwsh } from './pwsh'

/**
 * Fixed text that reads batches of quoted values, one line each (the UTF-8 bytes of each, base64,
 * comma-separated), and answers a line of JSON: for each value and each reading of its bytes (UTF-8,
 * and Windows-1252 as Windows PowerShell 5.1 reads a file without a BOM), what PowerShell's parser
 * makes of the text. Nothing it reads is run: the value of a single-quoted literal is the parser's, and
 * the one other form accepted, ([regex]::Unescape('...')), is unescaped here from its literal.
 */
const reader = String.raw`
$ErrorActionPreference = 'Stop'
$readings = [ordered]@{ utf8 = [System.Text.UTF8Encoding]::new($false, $true); ansi = [System.Text.Encoding]::GetEncoding(1252) }
$code = @('CommandAst', 'SubExpressionAst', 'VariableExpressionAst', 'ExpandableStringExpressionAst', 'ScriptBlockExpressionAst')

function Read-Quoted([string]$Text) {
  $tokens = $null; $errors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$errors)
  if ($errors.Count -gt 0) { return @{ why = 'parse error: ' + (($errors | ForEach-Object { $_.Message }) -join '; ') } }
  $nodes = @($ast.FindAll({ $true }, $true))
  $kinds = @($nodes | ForEach-Object { $_.GetType().Name })
  $found = @($kinds | Where-Object { $code -contains $_ })
  if ($found.Count -gt 0) { return @{ why = 'code: ' + ($kinds -join ',') } }
  $statements = $ast.EndBlock.Statements
  if ($statements.Count -ne 1 -or $statements[0].PipelineElements.Count -ne 1) { return @{ why = 'not one expression: ' + ($kinds -join ',') } }
  $expression = $statements[0].PipelineElements[0].Expression
  $literal = { param($node) $node -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $node.StringConstantType -eq 'SingleQuoted' }
  # the whole tree: the script, its block, one pipeline of one expression, the literal
  if ($nodes.Count -eq 5 -and (& $literal $expression)) { return @{ form = 'literal'; value = $expression.Value } }
  $inner = if ($expression -is [System.Management.Automation.Language.ParenExpressionAst] -and $expression.Pipeline.PipelineElements.Count -eq 1) { $expression.Pipeline.PipelineElements[0].Expression }
  # the same around ([regex]::Unescape('...')): parentheses, a pipeline, the call, [regex], its name, the literal
  if ($nodes.Count -eq 11 -and $inner -is [System.Management.Automation.Language.InvokeMemberExpressionAst] -and $inner.Static -and
      $inner.Expression.TypeName.FullName -eq 'regex' -and $inner.Member.Value -eq 'Unescape' -and $inner.Arguments.Count -eq 1 -and (& $literal $inner.Arguments[0])) {
    return @{ form = 'unescaped'; value = [regex]::Unescape($inner.Arguments[0].Value) }
  }
  return @{ why = 'not a quoted string: ' + ($kinds -join ',') }
}

# As a command's argument (how a cmdlet call passes it), the text must stay one argument, whole.
function Test-Argument([string]$Text) {
  $tokens = $null; $errors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseInput('Write-Output ' + $Text, [ref]$tokens, [ref]$errors)
  $commands = @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true))
  return $errors.Count -eq 0 -and $commands.Count -eq 1 -and $commands[0].CommandElements.Count -eq 2 -and $commands[0].CommandElements[1].Extent.Text -ceq $Text
}

while ($null -ne ($line = [Console]::In.ReadLine())) {
  $answers = foreach ($item in $line.Split(',')) {
    $bytes = [System.Convert]::FromBase64String($item)
    $answer = [ordered]@{}
    foreach ($name in $readings.Keys) {
      $text = $readings[$name].GetString($bytes)
      $read = Read-Quoted $text
      if ($read.why) { $answer[$name] = @{ why = $read.why } ; continue }
      $answer[$name] = [ordered]@{
        form = $read.form
        argument = (Test-Argument $text)
        value = [System.Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($read.value))
      }
    }
    $answer
  }
  [Console]::Out.WriteLine((ConvertTo-Json -InputObject @($answers) -Depth 4 -Compress))
}
`

type Reading = { why?: string; form?: 'literal' | 'unescaped'; argument?: boolean; value?: string }
type Answer = { utf8: Reading; ansi: Reading }

/** What a reading came to: the value (UTF-16 exact), or why it is no quoted string. */
const outcome = (reading: Reading) =>
  reading.why ?? {
    form: reading.form,
    argument: reading.argument,
    value: Buffer.from(reading.value ?? '', 'base64').toString('utf16le'),
  }

const printableAscii = /^[\x20-\x7E]*$/

describe.runIf(pwsh)('quote', () => {
  let reading: PwshLines
  beforeAll(() => {
    reading = openPwshLines(reader)
  })
  afterAll(() => reading?.close())

  const read = async (values: string[]): Promise<Answer[]> => {
    const line = values.map((value) => Buffer.from(quote(value), 'utf8').toString('base64')).join(',')
    return JSON.parse(await reading.ask(line)) as Answer[]
  }

  it('gives PowerShell each string back whole, read as UTF-8 or as Windows-1252, with no code in it', async () => {
    const seen = { literal: 0, unescaped: 0, long: 0, values: 0 }
    const batch = fc.array(
      fc.oneof({ weight: 40, arbitrary: powershellString }, { weight: 1, arbitrary: longPowershellString }),
      { minLength: 1, maxLength: 40 },
    )
    await fc.assert(
      fc.asyncProperty(batch, async (values) => {
        const answers = await read(values)
        expect(answers).toHaveLength(values.length)
        values.forEach((value, index) => {
          const answer = answers[index] as Answer
          // a string of printable ASCII is one single-quoted literal; any other, that literal unescaped
          const expected = {
            form: printableAscii.test(value) ? 'literal' : 'unescaped',
            argument: true,
            value,
          }
          expect(outcome(answer.utf8)).toEqual(expected)
          // Windows PowerShell 5.1 without a BOM: the same bytes as Windows-1252 mean the same
          expect(outcome(answer.ansi)).toEqual(expected)
          seen[expected.form as 'literal' | 'unescaped'] += 1
          if (value.length >= 10_000) seen.long += 1
        })
        seen.values += values.length
      }),
      { numRuns: 30 },
    )
    // the batches held every kind the property is about
    expect(seen.literal).toBeGreaterThan(0)
    expect(seen.unescaped).toBeGreaterThan(0)
    expect(seen.long).toBeGreaterThan(0)
  })

  it('reads a literal whose UTF-8 bytes hold a Windows-1252 quote as one string (В is D0 92, read as Ð’)', async () => {
    const value = "\u0412'; Set-Variable -Name pwned -Value 1 -Scope Global; '\u0412"
    const [answer] = await read([value])
    const expected = { form: 'unescaped', argument: true, value }
    expect(outcome((answer as Answer).utf8)).toEqual(expected)
    expect(outcome((answer as Answer).ansi)).toEqual(expected)
  })
})
