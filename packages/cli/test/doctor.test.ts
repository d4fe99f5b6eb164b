import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fake, keptFake, runCli, tempDir } from './run-cli'

describe('teams-oauth doctor', () => {
  it('exits 3 on an organisation not configured yet, naming what fails and the fix', async () => {
    const run = await runCli(['doctor', ...keptFake().common])
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('✗ fail  Partner application TeamsScheduler')
    expect(run.stdout).toContain('fix: teams-oauth apply --profile teams --domain contoso.com')
  })

  it('exits 0 once apply has configured everything, and writes one JSON document and an HTML report', async () => {
    const dir = tempDir()
    const state = join(dir, 's.json')
    const html = join(dir, 'report.html')
    const common = ['--profile', 'all', '--domain', 'contoso.com', ...fake, '--state', state]
    expect((await runCli(['apply', ...common, '--journal', join(dir, 'j.json'), '--yes'])).code).toBe(0)
    const run = await runCli([
      'doctor',
      ...common,
      '--delegate',
      'bob',
      '--delegator',
      'alice',
      '--json',
      '--html',
      html,
    ])
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout)
    expect(report.ok).toBe(true)
    expect(report.checks.every((c: { status: string }) => c.status === 'pass')).toBe(true)
    expect(existsSync(html)).toBe(true)
    const page = readFileSync(html, 'utf8')
    for (const check of report.checks) expect(page).toContain(`data-check="${check.id}"`)
    expect(page).not.toMatch(/<script|https?:\/\/(?!login\.windows\.net)/)
  })

  it('rejects --delegate without --delegator with exit 2', async () => {
    const run = await runCli(['doctor', ...fake, '--domain', 'contoso.com', '--delegate', 'bob'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--delegator')
  })
})
