import { describe, expect, it } from 'vitest'
import { runCli } from './run-cli'

/** The embedded fake as both targets: every command but demo names its targets. */
const fake = ['--exchange', 'fake', '--entra', 'fake']

const script = (...args: string[]) =>
  runCli(['script', '--domain', 'contoso.com', '--entra', 'graph', ...args])

describe('--graph-url, read one way by script, plan and apply', () => {
  it.each([
    ['https://graph.microsoft.us', 'USGov'],
    ['https://dod-graph.microsoft.us', 'USGovDoD'],
    ['https://microsoftgraph.chinacloudapi.cn', 'China'],
  ])('script --graph-url %s signs in with Connect-MgGraph -Environment %s', async (url, environment) => {
    const run = await script('--graph-url', url)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain(
      `Connect-MgGraph -Environment ${environment} -Scopes 'Application.ReadWrite.All'`,
    )
    expect(run.stdout).toContain(`$graph = '${url}'`)
  })

  it('script signs in to the global cloud without -Environment by default', async () => {
    const run = await script()
    expect(run.stdout).toContain("Connect-MgGraph -Scopes 'Application.ReadWrite.All' -NoWelcome")
    expect(run.stdout).toContain("$graph = 'https://graph.microsoft.com'")
  })

  it.each([
    'https://graph.microsoft.us/v1.0',
    'https://graph.microsoft.us/v1.0/',
    'https://graph.microsoft.us/',
  ])('script --graph-url %s never gives /v1.0/v1.0', async (url) => {
    const run = await script('--graph-url', url)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain("$graph = 'https://graph.microsoft.us'")
    expect(run.stdout).not.toMatch(/v1\.0\/+v1\.0/)
  })

  it.each([
    ['script', ['script', '--domain', 'contoso.com', '--entra', 'graph']],
    ['plan', ['plan', '--exchange', 'fake', '--entra', 'fake', '--domain', 'contoso.com']],
    ['apply', ['apply', '--exchange', 'fake', '--entra', 'fake', '--domain', 'contoso.com', '--yes']],
  ])('%s --graph-url https://graph.invalid exits 2 and says which hosts it takes', async (_name, args) => {
    const run = await runCli([...args, '--graph-url', 'https://graph.invalid'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('graph.microsoft.us')
    expect(run.stdout).not.toContain('Connect-MgGraph')
  })

  it('refuses the sovereign clouds Microsoft does not support the feature in, saying why', async () => {
    const run = await script('--graph-url', 'https://graph.svc.sovcloud.fr')
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('BleuCloud')
    expect(run.stderr).toContain('commercial, GCC and GCC High')
  })
})

describe('what plan and verify say about the run as a whole', () => {
  it('plan in GCC High says delegated scheduling for on-premises mailboxes is unsupported there', async () => {
    const run = await runCli([
      'plan',
      ...fake,
      '--domain',
      'contoso.com',
      '--graph-url',
      'https://graph.microsoft.us',
      '--json',
    ])
    expect(run.code, run.stderr).toBe(0)
    const notes: string[] = JSON.parse(run.stdout).notes
    expect(notes.join('\n')).toMatch(/GCC High.*does not support delegated Teams meeting scheduling/)
  })

  it('plan --profile sfbonline warns that Health Checker rates it Red', async () => {
    const run = await runCli(['plan', ...fake, '--profile', 'sfbonline', '--domain', 'contoso.com'])
    expect(run.stdout).toMatch(/Health Checker rates this configuration Red/)
    const teams = await runCli(['plan', ...fake, '--profile', 'teams', '--domain', 'contoso.com'])
    expect(teams.stdout).not.toMatch(/rates this configuration Red/)
  })

  it('plan and verify say hybrid OAuth is a prerequisite they do not check, and point to doctor', async () => {
    for (const command of ['plan', 'verify']) {
      const run = await runCli([command, ...fake, '--domain', 'contoso.com'])
      expect(run.stdout).toMatch(/hybrid OAuth .* prerequisite this does not check: run teams-oauth doctor/)
    }
  })

  it('plan without --domain-controller says Microsoft pins every command', async () => {
    const run = await runCli(['plan', ...fake, '--domain', 'contoso.com'])
    expect(run.stdout).toContain('no --domain-controller')
    const pinned = await runCli([
      'plan',
      ...fake,
      '--domain',
      'contoso.com',
      '--domain-controller',
      'dc01.contoso.com',
    ])
    expect(pinned.stdout).not.toContain('no --domain-controller')
  })
})

describe('doctor --graph-url', () => {
  it('warns in GCC High that Microsoft does not support delegated scheduling for on-premises mailboxes', async () => {
    const run = await runCli([
      'doctor',
      ...fake,
      '--domain',
      'contoso.com',
      '--graph-url',
      'https://graph.microsoft.us',
      '--json',
    ])
    const cloud = JSON.parse(run.stdout).checks.find((c: { id: string }) => c.id === 'cloud.support')
    expect(cloud).toMatchObject({ status: 'warn' })
    expect(cloud.explanation).toContain('GCC High')
  })
})
