import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRunbook, entraPaths, profileNames, renderScript } from '../src/index'
import { pwsh, runPwsh } from './pwsh'

const parseAll = `
$ErrorActionPreference = 'Stop'
$results = foreach ($file in Get-ChildItem -Path $env:SCRIPTS -Filter '*.ps1') {
  $tokens = $null; $errors = $null
  [System.Management.Automation.Language.Parser]::ParseInput((Get-Content -Raw -LiteralPath $file.FullName), [ref]$tokens, [ref]$errors) | Out-Null
  [pscustomobject]@{ name = $file.Name; errors = @($errors | ForEach-Object { $_.Message + ' at line ' + $_.Extent.StartLineNumber }) }
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
          // with a delegate relationship to fix too, and a delegator whose name needs quoting
          const runbook = buildRunbook({
            profile,
            domain: 'contoso.com',
            domainController,
            entra,
            ...(domainController ? { delegate: { delegate: 'bob', delegator: "Ann O'Neil" } } : {}),
          })
          writeFileSync(join(dir, name), renderScript(runbook))
          names.push(name)
        }
    const results = JSON.parse(runPwsh(parseAll, { SCRIPTS: dir })) as { name: string; errors: string[] }[]
    expect(results.map((r) => r.name).sort()).toEqual(names.sort())
    for (const result of results) expect(result.errors, result.name).toEqual([])
  })
})
