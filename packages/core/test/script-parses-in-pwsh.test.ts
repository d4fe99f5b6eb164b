import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRunbook, entraPaths, profileNames, renderScript } from '../src/index'
import { pwsh, runPwsh } from './pwsh'

// Each script parsed as UTF-8, and as Windows PowerShell 5.1 reads a file that lost its BOM
// (Windows-1252): its errors, and how many commands it holds.
const parseAll = `
$ErrorActionPreference = 'Stop'
$readings = [ordered]@{ utf8 = [System.Text.Encoding]::UTF8; ansi = [System.Text.Encoding]::GetEncoding(1252) }
$results = foreach ($file in Get-ChildItem -Path $env:SCRIPTS -Filter '*.ps1') {
  $bytes = [System.IO.File]::ReadAllBytes($file.FullName)
  foreach ($name in $readings.Keys) {
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($readings[$name].GetString($bytes), [ref]$tokens, [ref]$errors)
    $commands = $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)
    [pscustomobject]@{
      name = $file.Name
      reading = $name
      errors = @($errors | ForEach-Object { $_.Message + ' at line ' + $_.Extent.StartLineNumber })
      commands = @($commands).Count
    }
  }
}
$results | ConvertTo-Json -Depth 4 -AsArray
`

describe.runIf(pwsh)('the exported script', () => {
  it('parses without errors for every profile and Entra path, with and without a domain controller', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teams-oauth-scripts-'))
    const names: string[] = []
    for (const profile of profileNames)
      for (const entra of entraPaths)
        for (const domainController of [undefined, 'dc01.contoso.com']) {
          const name = `${profile}-${entra}-${domainController ? 'dc' : 'nodc'}.ps1`
          // with a delegate relationship to fix too, and a delegator whose name needs quoting: with a
          // quote, or with letters whose UTF-8 reads as a quote in Windows-1252 (В is D0 92, ё D1 91)
          const delegator = domainController
            ? "Ann O'Neil"
            : '\u0412\u0435\u0440\u0430 \u0401\u043b\u043a\u0438\u043d\u0430\u2019s'
          const runbook = buildRunbook({
            profile,
            domain: 'contoso.com',
            domainController,
            entra,
            delegate: { delegate: 'bob', delegator },
          })
          writeFileSync(join(dir, name), renderScript(runbook))
          names.push(name)
        }
    const results = JSON.parse(runPwsh(parseAll, { SCRIPTS: dir })) as {
      name: string
      reading: 'utf8' | 'ansi'
      errors: string[]
      commands: number
    }[]
    expect(
      results
        .filter((r) => r.reading === 'utf8')
        .map((r) => r.name)
        .sort(),
    ).toEqual(names.sort())
    for (const result of results) expect(result.errors, `${result.name} (${result.reading})`).toEqual([])
    // read as Windows-1252, each script still runs the same commands: no literal ends early
    for (const name of names) {
      const [utf8, ansi] = (['utf8', 'ansi'] as const).map((reading) =>
        results.find((r) => r.name === name && r.reading === reading),
      )
      expect(utf8?.commands, name).toBeGreaterThan(0)
      expect(ansi?.commands, name).toBe(utf8?.commands)
    }
  })
})
