import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fake, keptFake, runCli, stateOf, tempDir } from './run-cli'

describe('teams-oauth plan, apply and verify on a fake tenant kept in a state file', () => {
  it('plan --json prints one document whose actions name their step and reason', async () => {
    const run = await runCli(['plan', ...keptFake().common, '--json'])
    expect(run.code).toBe(0)
    const document = JSON.parse(run.stdout)
    // the June 2025 procedure: 9 changes, plus one Remove-ManagementRoleEntry per UserApplication entry but GetDelegate
    expect(
      document.actions.filter(
        (a: { action: { cmdlet?: string } }) => a.action.cmdlet !== 'Remove-ManagementRoleEntry',
      ),
    ).toHaveLength(9)
    expect(document.actions.length).toBeGreaterThan(9)
    for (const action of document.actions) {
      expect(action.step).toEqual(expect.any(String))
      expect(action.reason).toEqual(expect.any(String))
      expect(action.action.system).toMatch(/^(exchange|entra)$/)
    }
  })

  it('apply then plan lists zero actions, a second apply writes nothing, and verify exits 0', async () => {
    const dir = tempDir()
    const state = join(dir, 's.json')
    const journal = join(dir, 'journal.json')
    const common = ['--profile', 'all', '--domain', 'contoso.com', ...fake, '--state', state]
    const first = await runCli(['apply', ...common, '--journal', journal, '--yes'])
    expect(first.code, first.stderr).toBe(0)
    const writes = stateOf(state).changes.length
    expect(writes).toBeGreaterThan(0)

    const planned = await runCli(['plan', ...common, '--json'])
    expect(JSON.parse(planned.stdout).actions).toEqual([])

    const second = await runCli(['apply', ...common, '--journal', journal, '--yes', '--json'])
    expect(second.code).toBe(0)
    expect(JSON.parse(second.stdout).changes).toBe(0)
    expect(stateOf(state).changes.length).toBe(writes)

    const verified = await runCli(['verify', ...common])
    expect(verified.code).toBe(0)
    expect(verified.stdout).toContain('every step is in the desired state')
  })

  it('verify exits 3 when something is not in place', async () => {
    const dir = tempDir()
    const run = await runCli(['verify', '--domain', 'contoso.com', ...fake, '--state', join(dir, 's.json')])
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('drift')
  })

  it('refuses to write without --yes when no one is at the terminal, and changes nothing', async () => {
    const dir = tempDir()
    const state = join(dir, 's.json')
    const run = await runCli(['apply', '--domain', 'contoso.com', ...fake, '--state', state])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--yes')
    expect(stateOf(state).changes).toEqual([])
  })

  it('writes after a person confirms at the terminal, and not when they decline', async () => {
    const dir = tempDir()
    const state = join(dir, 's.json')
    const journal = join(dir, 'j.json')
    const declined = await runCli(
      ['apply', '--domain', 'contoso.com', ...fake, '--state', state, '--journal', journal],
      { interactive: true, answer: false },
    )
    expect(declined.code).toBe(2)
    expect(stateOf(state).changes).toEqual([])
    const accepted = await runCli(
      ['apply', '--domain', 'contoso.com', ...fake, '--state', state, '--journal', journal],
      { interactive: true, answer: true },
    )
    expect(accepted.code).toBe(0)
    expect(stateOf(state).changes.length).toBeGreaterThan(0)
  })

  it('--what-if shows the plan and changes nothing', async () => {
    const dir = tempDir()
    const state = join(dir, 's.json')
    const run = await runCli(['apply', '--domain', 'contoso.com', ...fake, '--state', state, '--what-if'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('New-PartnerApplication')
    expect(stateOf(state).changes).toEqual([])
  })

  it('a fault at a write exits 1 with the step named; the next apply finishes like an uninterrupted run', async () => {
    const dir = tempDir()
    const common = ['--profile', 'all', '--domain', 'contoso.com', '--yes']
    const reference = join(dir, 'reference.json')
    const faulty = join(dir, 'faulty.json')
    // the same starting tenant for both
    await runCli(['plan', '--domain', 'contoso.com', ...fake, '--state', reference])
    const { copyFileSync } = await import('node:fs')
    copyFileSync(reference, faulty)
    expect(
      (await runCli(['apply', ...common, ...fake, '--state', reference, '--journal', join(dir, 'r.json')]))
        .code,
    ).toBe(0)

    const failed = await runCli(
      ['apply', ...common, ...fake, '--state', faulty, '--journal', join(dir, 'f.json')],
      {
        env: { TEAMS_OAUTH_FAKE_FAIL_WRITE: '5' },
      },
    )
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(/teams-oauth: .+: /)
    const resumed = await runCli([
      'apply',
      ...common,
      ...fake,
      '--state',
      faulty,
      '--journal',
      join(dir, 'f.json'),
    ])
    expect(resumed.code).toBe(0)
    expect(stateOf(faulty).state).toEqual(stateOf(reference).state)
  })
})

describe('bad input', () => {
  it.each([
    ['domain', ['--domain', 'not a domain']],
    ['domain', []],
    ['domainController', ['--domain', 'contoso.com', '--domain-controller', 'dc01']],
    ['profile', ['--domain', 'contoso.com', '--profile', 'skype']],
    ['certificate', ['--domain', 'contoso.com', '--certificate', 'no-such-file.cer']],
    ['exchange', ['--domain', 'contoso.com', '--exchange', 'ftp://ex01']],
    ...(process.platform === 'win32'
      ? []
      : [['exchange', ['--domain', 'contoso.com', '--exchange', 'local']] as [string, string[]]]),
  ])('a bad %s exits 2, names the field, and changes nothing', async (field, args) => {
    const dir = tempDir()
    const state = join(dir, 's.json')
    const run = await runCli(['apply', ...fake, ...args, '--state', state, '--yes'])
    expect(run.code).toBe(2)
    expect(run.stderr.toLowerCase()).toContain(field === 'domainController' ? 'domaincontroller' : field)
    if (existsSync(state)) expect(stateOf(state).changes).toEqual([])
  })

  it('an expired certificate file exits 2 with how to renew it', async () => {
    const dir = tempDir()
    const run = await runCli([
      'apply',
      '--domain',
      'contoso.com',
      ...fake,
      '--state',
      join(dir, 's.json'),
      '--certificate',
      new URL('../../core/test/fixtures/expired.pem', import.meta.url).pathname,
      '--yes',
    ])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('expired')
    expect(run.stderr).toContain('New-ExchangeCertificate')
    // refused before any target was opened
    expect(existsSync(join(dir, 's.json'))).toBe(false)
  })
})

describe('an expired auth certificate on Exchange (not a bad input)', () => {
  it('verify exits 3 with the step as drift, apply exits 1 and changes nothing', async () => {
    const { createFakeTenant, scenarios } = await import('@teams-oauth/fakes')
    const { writeFileSync } = await import('node:fs')
    const dir = tempDir()
    const state = join(dir, 's.json')
    const tenant = createFakeTenant(scenarios.expiredAuthCertificate())
    writeFileSync(
      state,
      JSON.stringify({ format: 'teams-oauth-fake-tenant', version: 1, state: tenant.state(), changes: [] }),
    )
    const verified = await runCli(['verify', '--domain', 'contoso.com', ...fake, '--state', state, '--json'])
    expect(verified.code).toBe(3)
    expect(
      JSON.parse(verified.stdout).steps.find((s: { id: string }) => s.id === 'exchange.authCertificate')
        .status,
    ).toBe('drift')
    const applied = await runCli(['apply', '--domain', 'contoso.com', ...fake, '--state', state, '--yes'])
    expect(applied.code).toBe(1)
    expect(applied.stdout).toContain('blocked: ')
    expect(applied.stderr).toContain('New-ExchangeCertificate')
    expect(stateOf(state).changes).toEqual([])
  })
})

describe('--teams-account', () => {
  it('names the application account the plan creates and links', async () => {
    const dir = tempDir()
    const run = await runCli([
      'plan',
      '--domain',
      'contoso.com',
      '--teams-account',
      'TeamsScheduler2',
      ...fake,
      '--state',
      join(dir, 's.json'),
      '--json',
    ])
    const actions = JSON.parse(run.stdout).actions.map(
      (a: { action: { cmdlet?: string; params?: Record<string, unknown> } }) => a.action,
    )
    expect(actions).toContainEqual(
      expect.objectContaining({
        cmdlet: 'New-MailUser',
        params: expect.objectContaining({ Name: 'TeamsScheduler2' }),
      }),
    )
    expect(actions).toContainEqual(
      expect.objectContaining({
        cmdlet: 'New-PartnerApplication',
        params: expect.objectContaining({ LinkedAccount: 'TeamsScheduler2' }),
      }),
    )
  })
})
