import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fake, runCli, stateOf, tempDir } from './run-cli'

describe('teams-oauth script', () => {
  it('writes the procedure for the chosen Entra path, saying at the top what it does and needs', async () => {
    const dir = tempDir()
    const file = join(dir, 'enable.ps1')
    const run = await runCli([
      'script',
      '--profile',
      'teams',
      '--domain',
      'contoso.com',
      '--entra',
      'graph',
      '-o',
      file,
    ])
    expect(run.code).toBe(0)
    const script = readFileSync(file, 'utf8')
    expect(script.split('\n')[0]).toContain('teams-oauth: profile teams, domain contoso.com')
    expect(script).toContain('# What it needs:')
    expect(script).toContain('Invoke-MgGraphRequest')
    expect(script).not.toContain('-Filter')
    const msol = await runCli([
      'script',
      '--profile',
      'sfbonline',
      '--domain',
      'contoso.com',
      '--entra',
      'msol',
    ])
    expect(msol.stdout).toContain('New-MsolServicePrincipalCredential')
  })

  it('refuses an Entra path a script cannot take', async () => {
    expect((await runCli(['script', '--domain', 'contoso.com', '--entra', 'fake'])).code).toBe(2)
    expect((await runCli(['script', '--domain', 'contoso.com'])).stderr).toContain('--entra is required')
  })
})

describe('teams-oauth rollback', () => {
  it('--what-if lists the undo and changes nothing; then rollback restores the state before apply', async () => {
    const dir = tempDir()
    const state = join(dir, 's.json')
    const journal = join(dir, 'j.json')
    const common = ['--profile', 'all', '--domain', 'contoso.com', ...fake, '--state', state]
    await runCli(['plan', ...common])
    const before = stateOf(state).state
    expect((await runCli(['apply', ...common, '--journal', journal, '--yes'])).code).toBe(0)
    const after = stateOf(state)

    const preview = await runCli(['rollback', '--journal', journal, ...fake, '--state', state, '--what-if'])
    expect(preview.code).toBe(0)
    expect(preview.stdout).toContain('Remove-PartnerApplication')
    expect(stateOf(state)).toEqual(after)

    const refused = await runCli(['rollback', '--journal', journal, ...fake, '--state', state])
    expect(refused.code).toBe(2)
    expect(stateOf(state)).toEqual(after)

    const done = await runCli(['rollback', '--journal', journal, ...fake, '--state', state, '--yes'])
    expect(done.code, done.stderr).toBe(0)
    expect(stateOf(state).state).toEqual(before)
  })

  it('exits 2 on a missing or foreign journal', async () => {
    const dir = tempDir()
    expect((await runCli(['rollback', ...fake, '--journal', join(dir, 'none.json'), '--yes'])).code).toBe(2)
    const foreign = join(dir, 'foreign.json')
    writeFileSync(foreign, '{"hello": 1}')
    const run = await runCli(['rollback', ...fake, '--journal', foreign, '--yes'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('journal')
  })
})

describe('teams-oauth script with a hostile --graph-url', () => {
  it('refuses it rather than write it into the script', async () => {
    const run = await runCli([
      'script',
      '--domain',
      'contoso.com',
      '--entra',
      'graph',
      '--graph-url',
      'https://graph.microsoft.com\nWrite-Host INJECTED',
    ])
    expect(run.code).toBe(2)
    expect(run.stdout).not.toContain('INJECTED')
    expect(run.stderr).toContain('--graph-url:')
  })
})
