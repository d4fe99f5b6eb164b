import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildRunbook, entraPaths, profileNames, renderScript } from '@teams-oauth/core'
import { authCertificateRenewal } from '@teams-oauth/core/adapter'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import * as setupScripts from '../../exchange/src/setup-scripts'
import { hostScript } from '../../powershell/src/host-script'
import { runCli, tempDir } from './run-cli'
import { ps51Findings } from './support/ps51-check'

const pwsh = pwshTestGate()

/** Every script teams-oauth exports: each profile and Entra path, with and without each option. */
function exportedScripts(): Record<string, string> {
  const scripts: Record<string, string> = {}
  for (const profile of profileNames)
    for (const entra of entraPaths)
      for (const [variant, extra] of Object.entries({
        plain: {},
        options: {
          domainController: 'dc01.contoso.com',
          dropExpiredKeys: true,
          allowPlainMailUser: true,
          graphUrl: 'https://graph.microsoft.us',
        },
      }))
        scripts[`${profile}-${entra}-${variant}`] = renderScript(
          buildRunbook({ profile, domain: 'contoso.com', entra, ...extra }),
        )
  return scripts
}

/** What runs in Windows PowerShell 5.1 besides: the local Exchange setup scripts and the host script. */
const sessionTexts = (): Record<string, string> => ({
  ...Object.fromEntries(
    Object.entries(setupScripts).filter(([, value]) => typeof value === 'string') as [string, string][],
  ),
  hostScript,
})

describe.runIf(pwsh.run)('PowerShell text that runs on Windows PowerShell 5.1', () => {
  it('uses no PowerShell 7 syntax or parameter in any exported script, setup script or the host script', async () => {
    const texts = { ...exportedScripts(), ...sessionTexts() }
    expect(Object.keys(texts).length).toBeGreaterThan(12)
    expect(await ps51Findings(pwsh.executable, texts)).toEqual([])
  })

  it('names each PowerShell 7 construct the check looks for', async () => {
    const findings = await ps51Findings(pwsh.executable, {
      seven: [
        '$a = $true ? 1 : 2',
        '$b = $null ?? 3',
        '$c ??= 4',
        // ${e}?.Name: written with braces, or ? is part of the variable's name
        `$d = $${'{e}'}?.Name`,
        'Get-Item . && Get-Item .',
        '1..3 | ForEach-Object -Parallel { $_ }',
        "'{}' | ConvertFrom-Json -AsHashtable",
        "'{}' | ConvertFrom-Json -Depth 3",
        "'{}' | ConvertFrom-Json -DateKind String",
        '@(1) | ConvertTo-Json -AsArray',
        '@(1) | ConvertTo-Json -EscapeHandling Default',
        'Get-Content -Path x -AsByteStream',
        "'{}' | ConvertFrom-Json -AsHash",
      ].join('\n'),
    })
    expect(findings.map((f) => f.replace(/^.*?:\d+: /, ''))).toEqual([
      'ternary ?:',
      'null-coalescing ??',
      'null-coalescing assignment ??=',
      'null-conditional ?. or ?[]',
      'pipeline chain && or ||',
      'ForEach-Object -Parallel',
      'ConvertFrom-Json -AsHashtable',
      'ConvertFrom-Json -Depth',
      'ConvertFrom-Json -DateKind',
      'ConvertTo-Json -AsArray',
      'ConvertTo-Json -EscapeHandling',
      'Get-Content -AsByteStream',
      'ConvertFrom-Json -AsHashtable',
    ])
  })
})

describe('teams-oauth script -o', () => {
  it('writes UTF-8 with a BOM, and every character reads the same as Windows-1252', async () => {
    const dir = tempDir()
    for (const entra of entraPaths) {
      const file = join(dir, `${entra}.ps1`)
      const run = await runCli([
        'script',
        '--profile',
        'all',
        '--domain',
        'contoso.com',
        '--domain-controller',
        'dc01.contoso.com',
        '--entra',
        entra,
        '-o',
        file,
      ])
      expect(run.code, run.stderr).toBe(0)
      const bytes = readFileSync(file)
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const body = bytes.subarray(3)
      // read without the BOM, as Windows PowerShell 5.1 would, nothing may change meaning
      expect(new TextDecoder('windows-1252').decode(body)).toBe(new TextDecoder('utf-8').decode(body))
    }
  })

  it('refuses a --graph-url holding a character Windows-1252 would turn into something else', async () => {
    const dir = tempDir()
    const file = join(dir, 'enable.ps1')
    const run = await runCli([
      'script',
      '--domain',
      'contoso.com',
      '--entra',
      'graph',
      '--graph-url',
      'https://graph.microsoft.com\u2011Write-Host',
      '-o',
      file,
    ])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--graph-url:')
    expect(() => readFileSync(file)).toThrow()
  })
})

describe('commands printed for Exchange Server', () => {
  it('hold no parameter that exists only in Exchange Online, in any exported script or the renewal text', () => {
    const texts = [
      ...Object.values(exportedScripts()),
      authCertificateRenewal('valid'),
      authCertificateRenewal('expired'),
    ]
    for (const text of texts) expect(text).not.toMatch(/-SharingPermissionFlags|-App\b/)
  })
})
