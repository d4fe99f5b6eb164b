import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

// These run the built package (dist), as a consumer gets it: `@teams-oauth/fakes` resolved by Node through
// the package's exports, in a child process whose every resolved module a resolve hook writes down.
const fakes = fileURLToPath(new URL('..', import.meta.url))
const repository = resolve(fakes, '../..')
const moduleLog = pathToFileURL(join(repository, 'tools/test-support/module-log.mjs')).href

/** The sources of the doors: none of them may be part of what the main entry loads. */
const doorSources = ['graph-handlers.ts', 'graph-handlers-route.ts', 'pwsh-door.ts', 'pwsh-shapes.ts']
const isMsw = (file: string) => /\/node_modules\/(msw|@mswjs)\//.test(file)

const logs = mkdtempSync(join(tmpdir(), 'teams-oauth-fakes-modules-'))
afterAll(() => rmSync(logs, { recursive: true, force: true }))
let runs = 0

function assertBuilt() {
  const built = join(fakes, 'dist/index.js')
  if (!existsSync(built)) throw new Error('packages/fakes/dist is missing: build it first (npm run build)')
  const sources = readdirSync(join(fakes, 'src')).filter(
    (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
  )
  const newer = sources.filter((name) => statSync(join(fakes, 'src', name)).mtimeMs > statSync(built).mtimeMs)
  if (newer.length > 0)
    throw new Error(`packages/fakes/dist is older than src/${newer[0]}: build it again (npm run build)`)
}

/** The sources esbuild bundled into a built file of the fakes, read from its source map. */
function sourcesOf(file: string): string[] {
  const { sources } = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }
  return sources.map((source) => resolve(dirname(file), source))
}

/**
 * Runs `script` (an ES module) in a child node with the module log; `readFileSync` is watched, so the
 * script can tell when the fakes read their cmdlet parameters. Returns what it printed and what it loaded.
 */
function runLogged(script: string) {
  assertBuilt()
  const log = join(logs, `modules-${++runs}.log`)
  const watched = `import fs from 'node:fs'
import { createRequire, syncBuiltinESMExports } from 'node:module'
const require = createRequire(${JSON.stringify(join(repository, 'package.json'))})
const reads = []
const readFileSync = fs.readFileSync
fs.readFileSync = function (path, ...rest) {
  reads.push(String(path))
  return readFileSync.call(this, path, ...rest)
}
syncBuiltinESMExports()
const parameterReads = () => reads.filter((path) => path.endsWith('cmdlet-parameters.json')).length
${script}`
  const run = spawnSync(process.execPath, ['--import', moduleLog, '--input-type=module', '-e', watched], {
    cwd: repository,
    encoding: 'utf8',
    env: { ...process.env, TEAMS_OAUTH_MODULE_LOG: log },
  })
  if (run.error) throw run.error
  expect(run.stderr).toBe('')
  expect(run.status).toBe(0)
  const files = readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('file:') || line.startsWith('/'))
    .map((line) => (line.startsWith('file:') ? fileURLToPath(line) : line))
  const builtFakes = [...new Set(files.filter((file) => file.startsWith(join(fakes, 'dist'))))]
  return {
    printed: JSON.parse(run.stdout) as Record<string, unknown>,
    files,
    builtFakes,
    fakesSources: builtFakes.flatMap(sourcesOf).map((file) => file.slice(join(fakes, 'src/').length)),
  }
}

describe.each([
  ['import', "await import('@teams-oauth/fakes')", 'dist/index.js'],
  ['require', "require('@teams-oauth/fakes')", 'dist/index.cjs'],
])('%s of @teams-oauth/fakes, built', (_, load, entry) => {
  const script = `const atStart = parameterReads()
const { createFakeTenant } = ${load}
const atImport = parameterReads()
const tenant = createFakeTenant()
const [app] = await tenant.exchange.invoke({ cmdlet: 'get-partnerapplication', params: { identity: 'Exchange Online' } })
const unknown = await tenant.exchange.invoke({ cmdlet: 'Get-AuthConfig', params: { Nonsense: 1 } }).catch((e) => e.data.fullyQualifiedErrorId)
await tenant.exchange.invoke({ cmdlet: 'Get-AuthConfig', params: {} })
process.stdout.write(JSON.stringify({ atStart, atImport, afterCalls: parameterReads(), app: app?.Name, unknown }))`
  // one child process for both cases
  let ran: ReturnType<typeof runLogged> | undefined
  const logged = () => {
    ran ??= runLogged(script)
    return ran
  }

  it('loads no msw module and no part of the Graph or PowerShell door', () => {
    const run = logged()
    expect(run.builtFakes).toContain(join(fakes, entry))
    expect(run.files.filter(isMsw)).toEqual([])
    expect(run.fakesSources).toContain('tenant.ts')
    expect(run.fakesSources.filter((source) => doorSources.includes(source))).toEqual([])
  })

  it('gives a working createFakeTenant, which reads the cmdlet parameters at its first call and only once', () => {
    const { printed } = logged()
    expect(printed).toEqual({
      atStart: 0,
      atImport: 0,
      afterCalls: 1,
      app: 'Exchange Online',
      unknown: 'NamedParameterNotFound,Get-AuthConfig',
    })
  })
})

describe('the doors of @teams-oauth/fakes, built', () => {
  it('@teams-oauth/fakes/graph serves Graph through msw, and the log sees msw load', () => {
    const run =
      runLogged(`const { graphHandlers, startFakeGraphServer } = await import('@teams-oauth/fakes/graph')
process.stdout.write(JSON.stringify({ handlers: typeof graphHandlers, server: typeof startFakeGraphServer }))`)
    expect(run.printed).toEqual({ handlers: 'function', server: 'function' })
    expect(run.files.filter(isMsw)).not.toEqual([])
    expect(run.fakesSources).toContain('graph-handlers.ts')
  })

  it('@teams-oauth/fakes/pwsh is the PowerShell door, with the stand-in module beside it', () => {
    const run =
      runLogged(`const { fakeModulePath, startFakeExchangeServer } = await import('@teams-oauth/fakes/pwsh')
process.stdout.write(JSON.stringify({ module: fakeModulePath(), server: typeof startFakeExchangeServer }))`)
    expect(run.printed).toEqual({
      module: join(fakes, 'pwsh/TeamsOAuth.Fake.psm1'),
      server: 'function',
    })
    expect(existsSync(String(run.printed['module']))).toBe(true)
    expect(run.fakesSources).toContain('pwsh-door.ts')
    expect(run.files.filter(isMsw)).toEqual([])
  })
})
