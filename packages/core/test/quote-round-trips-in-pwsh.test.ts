import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { longPowershellString, powershellString } from '../../../tools/test-support/powershell-strings'
import { quote } from '../src/script/quote'
import { openPwshLines, type PwshLines, pwsh } from './pwsh'

/**
 * Fixed text that reads batches of quoted values, a line each (the UTF-8 bytes of each value's quoted
 * form, base64, comma-separated), and answers a line of JSON: for each value and each reading of its
 * bytes (UTF-8, and Windows-1252 as Windows PowerShell 5.1 reads a file without a BOM), what
 * PowerShell's parser makes of it among the others, a line apart. Nothing read is run: a single-quoted
 * literal's value is the parser's, and the one other form taken, ([regex]::Unescape('...')), is
 * unescaped here from its literal.
 */
const reader = `
$ErrorActionPreference = 'Stop'
$readings = [ordered]@{ utf8 = [System.Text.UTF8Encoding]::new($false, $true); ansi = [System.Text.Encoding]::GetEncoding(1252) }
$code = @('CommandAst', 'SubExpressionAst', 'VariableExpressionAst', 'ExpandableStringExpressionAst', 'ScriptBlockExpressionAst')

function Test-Literal($Node) {
  return $Node -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $Node.StringConstantType -eq 'SingleQuoted'
}

# The one expression a pipeline of one element holds, else null.
function Get-Expression($Pipeline) {
  if ($Pipeline -isnot [System.Management.Automation.Language.PipelineAst] -or $Pipeline.PipelineElements.Count -ne 1) { return $null }
  $element = $Pipeline.PipelineElements[0]
  if ($element -is [System.Management.Automation.Language.CommandExpressionAst]) { return $element.Expression }
  return $null
}

# The texts a line apart, parsed once: the statements, and where each text starts and ends.
function Read-Joined([string[]]$Texts, [string]$Prefix) {
  $tokens = $null; $errors = $null
  $joined = $Prefix + ($Texts -join ([char]10 + $Prefix))
  $ast = [System.Management.Automation.Language.Parser]::ParseInput($joined, [ref]$tokens, [ref]$errors)
  $at = 0
  $starts = @(foreach ($text in $Texts) { $at; $at += $Prefix.Length + $text.Length + 1 })
  $why = if ($errors.Count -gt 0) { 'parse error: ' + $errors[0].Message }
  $count = if ($ast.EndBlock.Statements.Count -ne $Texts.Count) { '' + $ast.EndBlock.Statements.Count + ' statements for ' + $Texts.Count + ' texts' }
  return @{ ast = $ast; starts = $starts; why = $why; count = $count }
}

# Each text as a quoted string: 'literal' (one single-quoted literal, nothing else), or 'unescaped'
# (one such literal in ([regex]::Unescape(...)), nothing else); else why not.
function Read-Quoted([string[]]$Texts) {
  $read = Read-Joined $Texts ''
  $all = { param($why) foreach ($text in $Texts) { @{ why = $why } } }
  if ($read.why) { return & $all $read.why }
  foreach ($node in $read.ast.FindAll({ $true }, $true)) {
    if ($code -contains $node.GetType().Name) { return & $all ('code: ' + $node.Extent.Text) }
  }
  if ($read.count) { return & $all $read.count }
  for ($i = 0; $i -lt $Texts.Count; $i++) {
    $statement = $read.ast.EndBlock.Statements[$i]
    $expression = Get-Expression $statement
    $inner = if ($expression -is [System.Management.Automation.Language.ParenExpressionAst]) { Get-Expression $expression.Pipeline }
    if ($statement.Extent.StartOffset -ne $read.starts[$i] -or $statement.Extent.Text -cne $Texts[$i]) { @{ why = 'a statement other than the text: ' + $statement.Extent.Text } }
    elseif (Test-Literal $expression) { @{ form = 'literal'; value = $expression.Value } }
    elseif ($inner -is [System.Management.Automation.Language.InvokeMemberExpressionAst] -and $inner.Static -and
        $inner.Expression.TypeName.FullName -eq 'regex' -and $inner.Member.Value -eq 'Unescape' -and
        $inner.Arguments.Count -eq 1 -and (Test-Literal $inner.Arguments[0])) {
      @{ form = 'unescaped'; value = [regex]::Unescape($inner.Arguments[0].Value) }
    }
    else { @{ why = 'not a quoted string: ' + $statement.Extent.Text } }
  }
}

# As a command's argument (how a cmdlet call passes it), each text must stay one argument, whole.
function Test-Arguments([string[]]$Texts) {
  $read = Read-Joined $Texts 'Write-Output '
  for ($i = 0; $i -lt $Texts.Count; $i++) {
    $command = if (-not $read.why -and -not $read.count) { $read.ast.EndBlock.Statements[$i].PipelineElements[0] }
    $command -is [System.Management.Automation.Language.CommandAst] -and $command.CommandElements.Count -eq 2 -and $command.CommandElements[1].Extent.Text -ceq $Texts[$i]
  }
}

while ($null -ne ($line = [Console]::In.ReadLine())) {
  $items = [System.Collections.Generic.List[byte[]]]::new()
  foreach ($item in $line.Split(',')) { $items.Add([System.Convert]::FromBase64String($item)) }
  $answers = @(foreach ($item in $items) { [ordered]@{} })
  foreach ($name in $readings.Keys) {
    $texts = [string[]]@(foreach ($bytes in $items) { $readings[$name].GetString($bytes) })
    $read = @(Read-Quoted $texts)
    $arguments = @(Test-Arguments $texts)
    for ($i = 0; $i -lt $items.Count; $i++) {
      $answers[$i][$name] = if ($read[$i].why) { @{ why = $read[$i].why } } else {
        [ordered]@{
          form = $read[$i].form
          argument = $arguments[$i]
          value = [System.Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($read[$i].value))
        }
      }
    }
  }
  [Console]::Out.WriteLine((ConvertTo-Json -InputObject $answers -Depth 4 -Compress))
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

/**
 * Windows-1252 from 0x80 to 0x9F (every other byte is the code point of its value; the five bytes it
 * leaves undefined read as that code point too, as .NET reads them). Node's TextDecoder reads this
 * range as ISO-8859-1 instead, so the table is written out.
 */
const windows1252 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
]
/** Text as Windows-1252 reads its UTF-8 bytes. */
const asAnsi = (text: string) =>
  String.fromCharCode(
    ...[...Buffer.from(text, 'utf8')].map((byte) =>
      byte >= 0x80 && byte <= 0x9f ? windows1252[byte - 0x80]! : byte,
    ),
  )
const nonAsciiQuotes = '\u2018\u2019\u201A\u201B'
/** A character whose UTF-8, read as Windows-1252, holds one of PowerShell's single quotes. */
const readsAsQuoteInAnsi = (c: string) =>
  c.codePointAt(0)! > 0x7f && [...asAnsi(c)].some((read) => `'${nonAsciiQuotes}`.includes(read))
/**
 * The value the Windows-1252 reading of a quoted form holds: each character as Windows-1252 reads its
 * UTF-8 (a non-ASCII quote twice: doubled in the literal, it reads as no quote there), except those
 * that would read as a quote, which must arrive as themselves.
 */
const ansiValue = (value: string) =>
  [...value]
    .map((c) => (readsAsQuoteInAnsi(c) ? c : nonAsciiQuotes.includes(c) ? asAnsi(c).repeat(2) : asAnsi(c)))
    .join('')

/** A value as a failure shows it: JSON, a long one cut short. */
const shown = (value: unknown) => {
  const text = JSON.stringify(value)
  return text.length > 400 ? `${text.slice(0, 400)}... (${text.length} characters)` : text
}

describe.runIf(pwsh)('quote', () => {
  let reading: PwshLines
  beforeAll(async () => {
    reading = openPwshLines(reader)
    // pwsh's start, outside the property's time
    await read([''])
  })
  afterAll(() => reading?.close())

  /** Each value's quoted form, as UTF-8 bytes, read back by PowerShell's parser. */
  const read = async (values: string[]): Promise<Answer[]> => {
    const line = values.map((value) => Buffer.from(quote(value), 'utf8').toString('base64')).join(',')
    return JSON.parse(await reading.ask(line)) as Answer[]
  }

  it('reads each string back whole in pwsh, and as one string with no code in it when its UTF-8 is read as Windows-1252', async () => {
    const seen = { literal: 0, unescaped: 0, long: 0 }
    const batch = fc.array(
      fc.oneof({ weight: 40, arbitrary: powershellString }, { weight: 1, arbitrary: longPowershellString }),
      { minLength: 10, maxLength: 40 },
    )
    await fc.assert(
      fc.asyncProperty(batch, async (values) => {
        const answers = await read(values)
        const failures = values.flatMap((value, index) => {
          const answer = answers[index] as Answer
          // one single-quoted literal; unescaped from one when a character would read as a quote in Windows-1252
          const form = [...value].some(readsAsQuoteInAnsi) ? 'unescaped' : 'literal'
          const expected = {
            utf8: { form, argument: true, value },
            // Windows PowerShell 5.1 without a BOM: still one string, holding what Windows-1252 reads
            ansi: { form, argument: true, value: ansiValue(value) },
          }
          const read = { utf8: outcome(answer.utf8), ansi: outcome(answer.ansi) }
          if (isDeepStrictEqual(read, expected)) {
            seen[form] += 1
            if (value.length >= 10_000) seen.long += 1
            return []
          }
          return [
            {
              value: shown(value),
              quoted: shown(quote(value)),
              utf8: shown(read.utf8),
              ansi: shown(read.ansi),
            },
          ]
        })
        expect(failures).toEqual([])
      }),
      // one failing batch names its failing values: shrinking it would cost a pwsh round trip a step
      { numRuns: 25, endOnFailure: true },
    )
    // the batches held every kind the property is about
    expect(seen.literal).toBeGreaterThan(0)
    expect(seen.unescaped).toBeGreaterThan(0)
    expect(seen.long).toBeGreaterThan(0)
  })

  it('keeps a string whose UTF-8 bytes hold a Windows-1252 quote one string there (В is D0 92: Ð’)', async () => {
    const value = '\u0412; Set-Variable -Name pwned -Value 1 -Scope Global; \u0412'
    const [answer] = (await read([value])) as Answer[]
    // without a BOM, Windows PowerShell 5.1 would see 'Ð’ then run Set-Variable, were В written as itself
    expect(outcome(answer?.ansi as Reading)).toMatchObject({ argument: true, value })
    expect(outcome(answer?.utf8 as Reading)).toMatchObject({ argument: true, value })
  })
})
