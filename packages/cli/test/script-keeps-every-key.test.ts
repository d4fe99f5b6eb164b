import { buildRunbook, renderScript } from '@teams-oauth/core'
import { createFakeTenant, type FakeTenant, scenarios, stateFromSeed } from '@teams-oauth/fakes'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { runScripts, type ScriptResult } from './support/run-scripts'

const pwsh = pwshTestGate()

/** Graph as the addendum to the audit describes it: a kept key re-sent whole is refused with 400. */
const refusesWholeKeys = `
function global:Invoke-MgGraphRequest {
  [CmdletBinding()]
  param([string]$Method = 'GET', [string]$Uri, $Body, [string]$ContentType, [string]$OutputType = 'HashTable')
  if ($Method -eq 'PATCH' -and [string]$Body -match '"keyId"') {
    throw 'Response status code does not indicate success: 400 (Bad Request). {"error":{"code":"KeyNotUpdatable","message":"Update to existing credential with KeyId is not allowed."}}'
  }
  & $global:TeamsOAuthStandInGraph @PSBoundParameters
}
`

/** A Graph that loses the first key of every PATCH. */
const losesAKey = String.raw`
function global:Invoke-MgGraphRequest {
  [CmdletBinding()]
  param([string]$Method = 'GET', [string]$Uri, $Body, [string]$ContentType, [string]$OutputType = 'HashTable')
  if ($Method -eq 'PATCH') {
    $parsed = Microsoft.PowerShell.Utility\ConvertFrom-Json -InputObject ([string]$Body)
    $PSBoundParameters['Body'] = Microsoft.PowerShell.Utility\ConvertTo-Json -InputObject @{ keyCredentials = @($parsed.keyCredentials | Select-Object -Skip 1) } -Depth 6
  }
  & $global:TeamsOAuthStandInGraph @PSBoundParameters
}
`

const keysOf = (tenant: FakeTenant, appId: string) =>
  tenant.state().entra.servicePrincipals.find((sp) => sp.appId === appId)?.keyCredentials ?? []

describe.runIf(pwsh.run)("the exported script and Microsoft Graph's keys", () => {
  const state = stateFromSeed(scenarios.fresh())
  const before = createFakeTenant({ state: structuredClone(state) })
  const tenants = {
    plain: createFakeTenant({ state: structuredClone(state) }),
    strict: createFakeTenant({ state: structuredClone(state) }),
    lossy: createFakeTenant({ state: structuredClone(state) }),
  }
  const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com' })
  let results: Record<string, ScriptResult> = {}

  beforeAll(async () => {
    const render = (graphUrl: string) => renderScript(runbook, { graphUrl })
    const list = await runScripts(pwsh.executable, [
      { id: 'plain', tenant: tenants.plain, render },
      { id: 'strict', tenant: tenants.strict, render, prelude: refusesWholeKeys },
      { id: 'lossy', tenant: tenants.lossy, render, prelude: losesAKey },
    ])
    results = Object.fromEntries(list.map((r) => [r.id, r]))
  }, 120_000)

  it('signs in to the cloud of its Graph URL and sends kept keys whole, their dates as ISO 8601 text in UTC', () => {
    const { plain } = results
    expect(plain?.outcome, plain?.message).toBe('done')
    expect(plain?.signIn).toEqual({ environment: 'Global', scopes: ['Application.ReadWrite.All'] })
    expect(plain?.patches.length).toBe(3)
    for (const body of plain?.patches ?? []) {
      const keys: Record<string, unknown>[] = JSON.parse(body).keyCredentials
      for (const key of keys) {
        expect(key.startDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
        expect(key.endDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
      }
      expect(keys.filter((k) => k.keyId).length).toBe(keys.length - 1)
    }
  })

  it("retries once in Microsoft's minimal form when Graph refuses kept keys sent whole, and keeps every key's bytes", () => {
    const { strict } = results
    expect(strict?.outcome, strict?.message).toBe('done')
    expect(strict?.output.join('\n')).toMatch(/refused the kept keys sent back whole/)
    for (const sp of before
      .state()
      .entra.servicePrincipals.filter((p) =>
        runbook.steps.some((s) => s.kind === 'servicePrincipalKey' && s.appId === p.appId),
      )) {
      const after = keysOf(tenants.strict, sp.appId).map((k) => k.key)
      for (const key of sp.keyCredentials) expect(after).toContain(key.key)
      expect(after.length).toBe(sp.keyCredentials.length + 1)
    }
  })

  it('stops, naming the backup, when a key it sent is not there after the write', () => {
    const { lossy } = results
    expect(lossy?.outcome).toBe('stopped')
    expect(lossy?.message).toMatch(
      /key\(s\) sent are not there after the write; the keys as they were are in .*teams-oauth-backup-/,
    )
  })
})
