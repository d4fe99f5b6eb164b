import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { fake, runCli, stateOf, tempDir } from './run-cli'
import { spawnCli } from './spawn-cli'

const pwsh = pwshTestGate()

describe('Ctrl-C (SIGINT) mid-apply', () => {
  const interrupted = async (exchange: string) => {
    const dir = tempDir()
    const state = join(dir, 's.json')
    const journal = join(dir, 'j.json')
    const common = ['--exchange', exchange, '--entra', 'fake', '--profile', 'all', '--domain', 'contoso.com']
    await runCli(['plan', ...fake, '--domain', 'contoso.com', '--state', state])
    const start = stateOf(state).state
    const args = ['apply', ...common, '--state', state, '--journal', journal, '--yes']

    // the fake sends SIGINT to the run as its 3rd write lands
    const stopped = await spawnCli(args, { TEAMS_OAUTH_FAKE_INTERRUPT_WRITE: '3' }).done
    expect(stopped.code, stopped.stderr).toBe(130)
    expect(stopped.stderr).toContain(
      `interrupted; 3 change(s) recorded in ${journal}; run the same command again to resume`,
    )
    expect(JSON.parse(readFileSync(journal, 'utf8')).entries).toHaveLength(3)
    expect(stateOf(state).changes).toHaveLength(3)

    const resumed = await spawnCli(args).done
    expect(resumed.code, resumed.stderr).toBe(0)
    const entries = JSON.parse(readFileSync(journal, 'utf8')).entries
    expect(entries).toHaveLength(stateOf(state).changes.length)
    const rolled = await runCli(['rollback', ...fake, '--state', state, '--journal', journal, '--yes'])
    expect(rolled.code, rolled.stderr).toBe(0)
    expect(stateOf(state).state).toEqual(start)
  }

  it('on the embedded fake finishes the call in flight, journals it, says how to resume and exits 130', () =>
    interrupted('fake'))

  it.runIf(pwsh.run)(
    'on the PowerShell stand-in finishes the call in flight, journals it, says how to resume and exits 130',
    () => interrupted('fake-pwsh'),
    120_000,
  )
})
