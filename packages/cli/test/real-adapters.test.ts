import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFakeTenant, makeTestCertificate } from '@teams-oauth/fakes'
import { type FakeGraphServer, startFakeGraphServer } from '@teams-oauth/fakes/graph'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keptFake, runCli, stateOf, tempDir } from './run-cli'

const pwsh = pwshTestGate()
const appIds = [
  '00000004-0000-0ff1-ce00-000000000000',
  '7557eb47-c689-4224-abcf-aef9bd7573df',
  'db7de2b5-2149-435e-8043-e080dd50afae',
]

describe('teams-oauth with --entra graph against a Graph-compatible server on loopback', () => {
  const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-graph-token-never-printed'
  const graphTenant = createFakeTenant()
  let graph: FakeGraphServer
  beforeAll(async () => {
    graph = await startFakeGraphServer(graphTenant)
  })
  afterAll(() => graph?.close())

  it('uploads a certificate file to every service principal, keeps every key byte for byte, and a rerun sends no PATCH', async () => {
    const dir = tempDir()
    const certificate = makeTestCertificate({ subject: 'CN=Microsoft Exchange Server Auth Certificate' })
    const file = join(dir, 'auth.cer')
    writeFileSync(file, certificate.der)
    const before = await Promise.all(appIds.map((id) => graphTenant.entra.getServicePrincipal(id)))
    const args = [
      'apply',
      '--profile',
      'all',
      '--domain',
      'contoso.com',
      '--exchange',
      'fake',
      '--state',
      join(dir, 's.json'),
      '--entra',
      'graph',
      '--graph-url',
      graph.url,
      '--certificate',
      file,
      '--any-certificate',
      '--journal',
      join(dir, 'j.json'),
      '--yes',
      '--json',
    ]
    const env = { TEAMS_OAUTH_GRAPH_TOKEN: token }

    const first = await runCli(args, { env })
    expect(first.code, first.stderr).toBe(0)
    expect(JSON.parse(first.stdout).command).toBe('apply')
    for (const [i, appId] of appIds.entries()) {
      const after = (await graphTenant.entra.getServicePrincipal(appId))!
      for (const key of before[i]!.keyCredentials) expect(after.keyCredentials).toContainEqual(key)
      expect(
        after.keyCredentials.filter((k) => k.key === Buffer.from(certificate.der).toString('base64')),
      ).toHaveLength(1)
      expect(after.keyCredentials).toHaveLength(before[i]!.keyCredentials.length + 1)
    }

    graph.stats.reset()
    const second = await runCli(args, { env })
    expect(second.code).toBe(0)
    expect(JSON.parse(second.stdout).changes).toBe(0)
    expect(graph.stats.byMethod.PATCH ?? 0).toBe(0)
    expect(graph.stats.byMethod.GET).toBeGreaterThan(0)

    for (const text of [
      first.stdout,
      first.stderr,
      second.stdout,
      second.stderr,
      readFileSync(join(dir, 'j.json'), 'utf8'),
      readFileSync(join(dir, 's.json'), 'utf8'),
    ])
      expect(text).not.toContain('secret-graph-token')
  })
})

describe('teams-oauth with --entra msol where Windows PowerShell is not available', () => {
  it("exits 2 before any change, naming the graph path and MSOnline's retirement", async () => {
    const dir = tempDir()
    const state = join(dir, 's.json')
    const run = await runCli([
      'apply',
      '--profile',
      'sfbonline',
      '--domain',
      'contoso.com',
      '--exchange',
      'fake',
      '--state',
      state,
      '--entra',
      'msol',
      '--yes',
    ])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--entra graph')
    expect(run.stderr).toMatch(/retire/i)
    expect(run.stderr).toContain('2025')
    if (existsSync(state)) expect(stateOf(state).changes).toEqual([])
  })
})

describe.runIf(pwsh.run)(
  'teams-oauth with --exchange fake-pwsh (the real adapter, a real pwsh, the stand-in)',
  () => {
    it('applies, plans zero actions and verifies, one pwsh process a run', async () => {
      const { common, journal } = keptFake({ exchange: 'fake-pwsh' })
      const applied = await runCli(['apply', ...common, '--journal', journal, '--yes'])
      expect(applied.code, applied.stderr).toBe(0)
      expect(applied.stderr).toContain('Connecting to Exchange')
      const planned = await runCli(['plan', ...common, '--json'])
      expect(JSON.parse(planned.stdout).actions).toEqual([])
      expect((await runCli(['verify', ...common])).code).toBe(0)
    })

    it('a pwsh killed mid-apply exits 1 with a typed error; the next apply finishes', async () => {
      const run = keptFake({ profile: 'all', exchange: 'fake-pwsh' })
      const common = [...run.common, '--journal', run.journal, '--yes']
      const killed = await runCli(['apply', ...common, '--json'], {
        env: { TEAMS_OAUTH_FAKE_KILL_SESSION: '30' },
      })
      expect(killed.code).toBe(1)
      expect(JSON.parse(killed.stdout).error.code).toBe('POWERSHELL_CRASHED')
      expect(killed.stderr).toContain('run the same command again to resume')
      const resumed = await runCli(['apply', ...common])
      expect(resumed.code, resumed.stderr).toBe(0)
      // the in-process fake reads the same state file: the organisation is as an uninterrupted apply leaves it
      const inProcess = keptFake({ profile: 'all', state: run.state })
      expect((await runCli(['verify', ...inProcess.common])).code).toBe(0)
    })
  },
)
