import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { quote } from '../src/adapter'
import { pwsh, runPwsh } from './pwsh'

const hostile = [
  "'",
  "''",
  '\u2018\u2019\u201A\u201B',
  "it's ‘quoted’ ‚twice‛",
  '`n`t`0``',
  '$(Set-Variable -Name pwned -Value 1 -Scope Global)',
  "'; Set-Variable -Name pwned -Value 1 -Scope Global; '",
  '\u2019; Set-Variable -Name pwned -Value 1 -Scope Global; \u2018',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a PowerShell variable, on purpose
  '$env:PATH ${x} @(1) @{a=1}',
  'a;b|c&d>e<f',
  'line one\nline two\r\nline three\r',
  'nul\u0000inside',
  '"double" and `"escaped`"',
  '#<# not a comment #>',
  '日本語 Kalender Calendrier 📅 \u{1F468}\u200D\u{1F469}',
  'ü'.repeat(5000) + '\u{1F600}'.repeat(2000),
]

const pieces = fc.constantFrom(
  "'",
  '\u2018',
  '\u2019',
  '\u201A',
  '\u201B',
  '`',
  '$(',
  ')',
  ';',
  '|',
  '\n',
  '\r\n',
  '\u0000',
  '"',
  '$',
  '@',
  '{',
  '}',
  'é',
  '\u{1F600}',
)
const hostileArbitrary = fc
  .array(fc.oneof(pieces, fc.string({ unit: 'grapheme', maxLength: 8 })), { maxLength: 30 })
  .map((parts) => parts.join(''))

// The script assigns every literal to $values and prints each back as base64 of its UTF-8 bytes.
const echo = `
$ErrorActionPreference = 'Stop'
. $env:LITERALS
foreach ($value in $values) { 'v:' + [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($value)) }
if (Get-Variable -Name pwned -Scope Global -ErrorAction SilentlyContinue) { 'PWNED' }
`

describe.runIf(pwsh)('quote', () => {
  it('round-trips hostile strings through a real pwsh to themselves, running nothing', () => {
    const values = [...hostile, ...fc.sample(hostileArbitrary, { numRuns: 300, seed: 42 })]
    const dir = mkdtempSync(join(tmpdir(), 'teams-oauth-quote-'))
    const file = join(dir, 'literals.ps1')
    writeFileSync(file, `$values = @(\n${values.map((v) => `  ,${quote(v)}`).join('\n')}\n)\n`, 'utf8')
    const lines = runPwsh(echo, { LITERALS: file }).split(/\r?\n/).filter(Boolean)
    expect(lines).not.toContain('PWNED')
    expect(
      lines
        .filter((l) => l.startsWith('v:'))
        .map((line) => Buffer.from(line.slice(2), 'base64').toString('utf8')),
    ).toEqual(values)
  })
})
