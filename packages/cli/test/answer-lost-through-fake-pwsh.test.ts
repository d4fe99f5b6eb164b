import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Journal } from '@teams-oauth/core'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { runCli, stateOf, tempDir } from './run-cli'

const pwsh = pwshTestGate()

describe.runIf(pwsh.run)('an Exchange write whose answer dies with pwsh (--exchange fake-pwsh)', () => {
  it('is in the journal all the same; the rerun converges and rollback restores the starting state', async () => {
    const dir = tempDir()
    const state = join(dir, 's.json')
    const journal = join(dir, 'j.json')
    const targets = ['--exchange', 'fake-pwsh', '--entra', 'fake', '--state', state, '--journal', journal]
    const common = ['--profile', 'all', '--domain', 'contoso.com', ...targets, '--yes']
    expect(
      (await runCli(['plan', '--profile', 'all', '--domain', 'contoso.com', ...targets.slice(0, 6)])).code,
    ).toBe(0)
    const start = stateOf(state).state

    const killed = await runCli(['apply', ...common], { env: { TEAMS_OAUTH_FAKE_LOSE_ANSWER: '3' } })
    expect(killed.code).toBe(1)
    expect(killed.stderr).toContain('3 change(s) of this run are recorded')
    const recorded = JSON.parse(readFileSync(journal, 'utf8')) as Journal
    expect(recorded.entries.map((e) => (e.action.system === 'exchange' ? e.action.cmdlet : ''))).toEqual([
      'New-MailUser',
      'Set-MailUser',
      'New-ManagementRoleAssignment',
    ])

    const resumed = await runCli(['apply', ...common])
    expect(resumed.code, resumed.stderr).toBe(0)
    const rolledBack = await runCli(['rollback', ...targets, '--yes'])
    expect(rolledBack.code, rolledBack.stderr).toBe(0)
    expect(stateOf(state).state).toEqual(start)
  }, 300_000)
})
