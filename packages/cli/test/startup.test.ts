import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { tempDir } from './run-cli'

const cli = fileURLToPath(new URL('..', import.meta.url))
const repository = resolve(cli, '../..')
const bin = join(cli, 'bin/teams-oauth.js')
const moduleLog = pathToFileURL(join(repository, 'tools/test-support/module-log.mjs')).href

/** Every command of the bin. */
const commands = ['demo', 'plan', 'apply', 'verify', 'doctor', 'delegates', 'script', 'rollback']

/** What only the commands that touch the systems need; none of it may load for `--version` or `--help`. */
const heavy = [
  '@teams-oauth/core',
  '@teams-oauth/powershell',
  '@teams-oauth/exchange',
  '@teams-oauth/graph',
  '@teams-oauth/msol',
  '@teams-oauth/fakes',
  '@azure/identity',
  'zod',
  'node-forge',
]

/** The package a file belongs to: the folder after the last node_modules, or a workspace package. */
function packageOf(file: string): string | undefined {
  const parts = file.split('/node_modules/')
  if (parts.length > 1) {
    const [scope, name] = parts.at(-1)!.split('/')
    return scope?.startsWith('@') ? `${scope}/${name}` : scope
  }
  const workspace = /^packages\/([^/]+)\//.exec(relative(repository, file).replaceAll('\\', '/'))
  return workspace ? `@teams-oauth/${workspace[1]}` : undefined
}

/** The packages esbuild bundled into a built file of the cli, read from its source map. */
function bundledInto(file: string): string[] {
  const map = `${file}.map`
  if (!existsSync(map)) throw new Error(`${map} is missing: the cli's build must write source maps`)
  const { sources, sourceRoot = '' } = JSON.parse(readFileSync(map, 'utf8')) as {
    sources: string[]
    sourceRoot?: string
  }
  return sources
    .map((source) => packageOf(resolve(dirname(file), sourceRoot, source)))
    .filter((p) => p !== undefined)
}

/** Runs the built bin with every loaded module logged; returns its output and the packages it loaded. */
function runBuilt(args: string[]) {
  if (!existsSync(join(cli, 'dist/index.js')) || !existsSync(join(cli, 'dist/version.js')))
    throw new Error('packages/cli/dist is missing or incomplete: build it first (npm run build)')
  const log = join(tempDir(), 'modules.log')
  const run = spawnSync(process.execPath, ['--import', moduleLog, bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', TEAMS_OAUTH_MODULE_LOG: log },
  })
  if (run.error) throw run.error
  const files = readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('file:') || line.startsWith('/'))
    .map((line) => (line.startsWith('file:') ? fileURLToPath(line) : line))
  const packages = new Set<string>()
  for (const file of files) {
    const name = packageOf(file)
    if (name) packages.add(name)
    if (name === '@teams-oauth/cli' && file.startsWith(join(cli, 'dist')))
      for (const bundled of bundledInto(file)) packages.add(bundled)
  }
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, packages: [...packages].sort() }
}

describe('starting the built teams-oauth', () => {
  it('prints the version in package.json for --version and -V, loading nothing but its own constant', () => {
    const { version } = JSON.parse(readFileSync(join(cli, 'package.json'), 'utf8')) as { version: string }
    for (const flag of ['--version', '-V']) {
      const run = runBuilt([flag])
      expect(run.code).toBe(0)
      expect(run.stdout).toBe(`${version}\n`)
      expect(run.packages).toEqual(['@teams-oauth/cli'])
    }
  })

  it.each([
    '--help',
    '-h',
    'help',
    ...commands.flatMap((command) => [`${command} --help`, `help ${command}`]),
    'plan -h',
  ])(
    'shows `teams-oauth %s` without loading the adapters, the core, zod, node-forge or @azure/identity',
    (line) => {
      const run = runBuilt(line.split(' '))
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('Usage: teams-oauth')
      expect(run.packages).toContain('commander')
      expect(run.packages.filter((name) => heavy.includes(name))).toEqual([])
    },
  )

  it('loads zod once a command runs: its options are read by its schema before anything else', () => {
    const run = runBuilt(['plan', '--exchange', 'fake', '--entra', 'fake'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--domain is required')
    expect(run.packages).toContain('zod')
    expect(run.packages).not.toContain('@teams-oauth/fakes')
  })

  it('does load the core, the fakes, zod and node-forge for demo, so the log above misses nothing', () => {
    const run = runBuilt(['demo'])
    expect(run.code).toBe(0)
    expect(run.packages).toEqual(
      expect.arrayContaining(['@teams-oauth/core', '@teams-oauth/fakes', 'zod', 'node-forge']),
    )
  })
})
