import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { apply, buildRunbook, plan, type Runbook } from '@teams-oauth/core'
import { kindOf } from '@teams-oauth/core/adapter'
import { createFakeTenant, scenarios } from '@teams-oauth/fakes'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { scriptHelpers } from '../../core/src/script/helpers'
import { standIn } from './stand-in'

const pwsh = pwshTestGate()

/** The Exchange part of the exported script: every Exchange step's checks, then its changes, in order. */
function exchangeScript(runbook: Runbook): string {
  const steps = runbook.steps.filter((s) => s.kind !== 'authCertificate' && s.kind !== 'servicePrincipalKey')
  const printing = { entra: 'graph' as const, input: runbook.input }
  return [
    "$ErrorActionPreference = 'Stop'",
    '$dc = @{}',
    '$blocked = New-Object System.Collections.Generic.List[string]',
    scriptHelpers('graph'),
    ...steps.map((step) => kindOf(step).printCheck?.(step, printing) ?? ''),
    "if ($blocked.Count -gt 0) { throw ('Nothing was changed: ' + ($blocked -join '; ')) }",
    ...steps.map((step) => kindOf(step).print(step, printing)),
  ].join('\n')
}

describe.runIf(pwsh.run)("the exported script's Exchange steps, through a real pwsh and the stand-in", () => {
  const stand = standIn(pwsh.executable)
  const folder = mkdtempSync(join(tmpdir(), 'teams-oauth-linked-'))
  afterAll(() => rmSync(folder, { recursive: true, force: true }))

  it.each([
    ['an application already linked to another account', 'teams', scenarios.linkedToAnotherAccount()],
    ['a fresh organisation', 'teams', scenarios.fresh()],
    // the role-group rule: a group's disabled assignment is never the one enabled for the account
    [
      'an account in a role group whose assignments are disabled',
      'sfbonline',
      scenarios.legacyAccountInRoleGroup({ enabled: false }),
    ],
    [
      "an account with its own disabled assignments, listed after its role group's",
      'sfbonline',
      scenarios.legacyAccountInRoleGroup({ enabled: false, ownDisabled: true }),
    ],
  ] as const)('end where apply ends, for %s', async (_name, profile, seed) => {
    const current = stand.use(createFakeTenant(seed))
    const seeded = current.state()
    const runbook = buildRunbook({ profile, domain: 'contoso.com' })
    const path = join(folder, 'exchange.ps1')
    writeFileSync(path, exchangeScript(runbook))
    await stand.connection.session.run({
      script: 'param([string]$Path) & $Path | Out-Null',
      params: { Path: path },
    })

    const reference = createFakeTenant({ state: seeded })
    await apply(await plan(runbook, reference), reference)
    expect(current.state().exchange).toEqual(reference.state().exchange)
    expect(current.state().exchange.mailUsers.length - seeded.exchange.mailUsers.length).toBe(
      seeded.exchange.mailUsers.length === 1 ? 1 : 0,
    )
  })
})
