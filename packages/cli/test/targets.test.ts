import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fake, runCli, tempDir } from './run-cli'

const missing: [string, string[]][] = [
  ['neither', []],
  ['only --exchange', ['--exchange', 'fake']],
  ['only --entra', ['--entra', 'fake']],
]

describe('explicit targets', () => {
  it.each(['plan', 'apply', 'verify', 'doctor', 'rollback'])(
    '%s without --exchange or --entra exits 2 naming both, and writes no file',
    async (command) => {
      for (const [, targets] of missing) {
        const dir = tempDir()
        const files = ['--state', join(dir, 's.json')]
        if (command === 'apply' || command === 'rollback')
          files.push('--journal', join(dir, 'j.json'), '--yes')
        if (command !== 'rollback') files.push('--domain', 'contoso.com')
        const run = await runCli([command, ...targets, ...files])
        expect(run.code).toBe(2)
        expect(run.stderr).toContain('--exchange')
        expect(run.stderr).toContain('--entra')
        expect(run.stderr).toContain('Nothing was changed.')
        expect(readdirSync(dir)).toEqual([])
      }
    },
  )

  it('demo still runs with no options at all', async () => {
    const run = await runCli(['demo'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('nothing to change (idempotent)')
  })

  it('plan, apply, verify and rollback name their targets in the text and in --json, "embedded fake" where it was', async () => {
    const dir = tempDir()
    const state = join(dir, 's.json')
    const journal = join(dir, 'j.json')
    const common = [...fake, '--domain', 'contoso.com', '--state', state]
    const runs = [
      ['plan', ...common],
      ['apply', ...common, '--journal', journal, '--yes'],
      ['verify', ...common],
      ['rollback', ...fake, '--state', state, '--journal', journal, '--what-if'],
    ]
    for (const args of runs) {
      const text = await runCli(args)
      expect(text.stdout, args[0]).toContain(
        `Targets: Exchange embedded fake (kept in ${state}); Entra embedded fake (kept in ${state})`,
      )
      const json = JSON.parse((await runCli([...args, '--json'])).stdout)
      expect(json.targets, args[0]).toEqual({
        exchange: { target: 'fake', is: `embedded fake (kept in ${state})` },
        entra: { target: 'fake', is: `embedded fake (kept in ${state})` },
        state,
      })
    }
  })

  it('names Microsoft Graph and the Exchange URI as such, and a fake only where it is one', async () => {
    const { targetsUsed } = await import('../src/targets-used')
    const used = targetsUsed({
      exchange: 'https://ex01.contoso.com/PowerShell/',
      entra: 'graph',
      graphUrl: 'https://graph.microsoft.us',
      tenant: 'contoso.onmicrosoft.us',
      state: undefined,
    })
    expect(used.exchange.is).toBe('remote PowerShell at https://ex01.contoso.com/PowerShell/')
    expect(used.entra.is).toBe('Microsoft Graph at https://graph.microsoft.us, tenant contoso.onmicrosoft.us')
    expect(JSON.stringify(used)).not.toContain('fake')
  })
})

describe('teams-oauth doctor and its targets', () => {
  it('repeats the targets of the run in every apply fix line, the text, --json and the HTML report', async () => {
    const dir = tempDir()
    const state = join(dir, 's.json')
    const html = join(dir, 'report.html')
    const args = ['doctor', ...fake, '--profile', 'teams', '--domain', 'contoso.com', '--state', state]
    const text = await runCli([...args, '--html', html])
    expect(text.code).toBe(3)
    expect(text.stdout).toContain(
      `fix: teams-oauth apply --profile teams --domain contoso.com --exchange fake --entra fake --state ${state}`,
    )
    expect(text.stdout).not.toMatch(/fix: teams-oauth apply --profile teams --domain contoso.com\n/)
    expect(text.stdout).toContain('Targets: Exchange embedded fake')
    expect(readFileSync(html, 'utf8')).toContain(`Exchange: embedded fake (kept in ${state})`)
    const json = JSON.parse((await runCli([...args, '--json'])).stdout)
    expect(json.targets.exchange.is).toContain('embedded fake')
    const fixes = json.checks.flatMap((c: { fix: string | null }) =>
      c.fix?.includes('teams-oauth apply') ? [c.fix] : [],
    )
    expect(fixes.length).toBeGreaterThan(0)
    for (const fix of fixes) expect(fix).toContain('--exchange fake --entra fake --state')
  })

  it.each([
    ['--delegate', ['--delegate', 'nobody', '--delegator', 'alice']],
    ['--delegator', ['--delegate', 'bob', '--delegator', 'nobody']],
  ])('an unknown %s is a failed check of the report (exit 3), not an aborted run', async (_, who) => {
    const dir = tempDir()
    const run = await runCli([
      'doctor',
      ...fake,
      '--domain',
      'contoso.com',
      '--state',
      join(dir, 's.json'),
      ...who,
      '--json',
    ])
    expect(run.code, run.stderr).toBe(3)
    const report = JSON.parse(run.stdout)
    const delegate = report.checks.find((c: { id: string }) => c.id === 'delegate.rights')
    expect(delegate.status).toBe('fail')
    expect(delegate.evidence.join(' ')).toContain('nobody')
    expect(report.checks.length).toBeGreaterThan(5)
  })
})
