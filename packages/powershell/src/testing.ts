import { locatePwsh } from './locate'
import type { PowerShellScript } from './session'

/*
 * Helpers for tests of code that runs PowerShell, shipped as `@teams-oauth/powershell/testing`
 * so that the main entry holds only what production code calls.
 */

/**
 * For test files that need a real pwsh: run them when pwsh is there, and also when
 * TEAMS_OAUTH_REQUIRE_PWSH=1 (then a missing pwsh fails them instead of skipping them).
 * Use as `describe.runIf(pwshTests.run)(…)` and start sessions with `pwshTests.executable`.
 */
export function pwshTestGate(env: NodeJS.ProcessEnv = process.env): { run: boolean; executable: string } {
  const found = locatePwsh(env)
  return { run: found !== null || env.TEAMS_OAUTH_REQUIRE_PWSH === '1', executable: found ?? 'pwsh' }
}

/**
 * Fixed text: the names of the global variables that hold the needle (as text, inside base64, in a
 * dictionary, list, credential, SecureString or error record), and 'history' when the command
 * history holds it.
 */
const leftoversScript = `
param([string]$Reversed)
$needle = -join $Reversed[($Reversed.Length - 1)..0]
function Test-TeamsOAuthHolds($Value, [int]$Depth) {
  if ($null -eq $Value -or $Depth -gt 4) { return $false }
  if ($Value -is [string]) {
    if ($Value.Contains($needle)) { return $true }
    foreach ($m in [regex]::Matches($Value, '[A-Za-z0-9+/]{16,}={0,2}')) {
      try { if ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($m.Value)).Contains($needle)) { return $true } } catch {}
    }
    return $false
  }
  if ($Value -is [securestring]) { $Value = [pscredential]::new('x', $Value) }
  if ($Value -is [pscredential]) { return $Value.GetNetworkCredential().Password.Contains($needle) }
  if ($Value -is [System.Management.Automation.ErrorRecord]) { $Value = @($Value.ToString(), $Value.InvocationInfo) }
  if ($Value -is [System.Management.Automation.InvocationInfo]) { $Value = @($Value.Line, $Value.BoundParameters) }
  if ($Value -is [System.Collections.IDictionary]) { $Value = @($Value.Values) }
  if ($Value -is [System.Collections.IEnumerable]) {
    foreach ($item in $Value) { if (Test-TeamsOAuthHolds $item ($Depth + 1)) { return $true } }
  }
  return $false
}
$names = @(Get-Variable -Scope Global | Where-Object { Test-TeamsOAuthHolds $_.Value 0 } | ForEach-Object Name)
if (Test-TeamsOAuthHolds @(Get-History | ForEach-Object CommandLine) 0) { $names += 'history' }
$names
`

/**
 * For tests: a script whose output names what in the process still holds `needle` (a password, a
 * token), e.g. after a setup that was given it. The needle travels reversed, so the call's own
 * payload does not hold it. The script text also works as a function body (in a stand-in module).
 */
export function secretLeftovers(needle: string): PowerShellScript & { params: { Reversed: string } } {
  return { script: leftoversScript, params: { Reversed: [...needle].reverse().join('') } }
}
