import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadFake } from '../src/fake-state'
import { temporaryName, writeFileAtomic } from '../src/files'
import { fake, keptFake, runCli, stateOf, tempDir } from './run-cli'

const posix = process.platform !== 'win32'
const modeOf = (file: string) => statSync(file).mode & 0o777

describe('files teams-oauth writes', () => {
  it.runIf(posix)('follows no symlink planted at the old predictable temporary name', async () => {
    const dir = tempDir()
    const journal = join(dir, 'j.json')
    const victim = join(dir, 'victim.txt')
    writeFileSync(victim, 'not yours\n')
    for (const file of [journal, join(dir, 's.json')]) symlinkSync(victim, `${file}.${process.pid}.tmp`)
    const run = await runCli([
      'apply',
      ...keptFake({ state: join(dir, 's.json') }).common,
      '--journal',
      journal,
      '--yes',
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(readFileSync(victim, 'utf8')).toBe('not yours\n')
  })

  it('names each temporary file at random, in the folder of the file it replaces', () => {
    const file = join(tempDir(), 'j.json')
    const names = new Set(Array.from({ length: 20 }, () => temporaryName(file)))
    expect(names.size).toBe(20)
    for (const name of names) expect(name.startsWith(join(file, '..'))).toBe(true)
  })

  it('leaves no temporary file behind when the write fails', () => {
    const dir = tempDir()
    const target = join(dir, 'a-folder')
    mkdirSync(join(target, 'not-empty'), { recursive: true })
    expect(() => writeFileAtomic(target, 'text')).toThrow()
    expect(readdirSync(dir)).toEqual(['a-folder'])
  })

  it.runIf(posix)(
    'writes the journal, the state and the HTML report readable by their owner only (0600)',
    async () => {
      const dir = tempDir()
      const common = [...fake, '--domain', 'contoso.com', '--state', join(dir, 's.json')]
      expect((await runCli(['apply', ...common, '--journal', join(dir, 'j.json'), '--yes'])).code).toBe(0)
      expect((await runCli(['doctor', ...common, '--html', join(dir, 'r.html')])).code).toBe(0)
      for (const file of ['j.json', 's.json', 'r.html']) expect(modeOf(join(dir, file)), file).toBe(0o600)
    },
  )

  it("saves the fake's state after each write, not only when the run ends", async () => {
    const file = join(tempDir(), 's.json')
    const loaded = await loadFake(file, {})
    await loaded.tenant.exchange.invoke({
      cmdlet: 'New-ManagementRole',
      params: { Name: 'RoleOne', Parent: 'UserApplication' },
    })
    expect(stateOf(file).changes).toHaveLength(1)
    // the PowerShell stand-in's door
    await loaded.tenant.invokeCmdlet({
      cmdlet: 'New-ManagementRole',
      params: { Name: 'RoleTwo', Parent: 'UserApplication' },
    })
    expect(stateOf(file).changes).toHaveLength(2)
  })
})

describe('input files', () => {
  const applyWith = (dir: string, extra: string[]) =>
    runCli([
      'apply',
      ...fake,
      '--domain',
      'contoso.com',
      ...(extra.includes('--state') ? [] : ['--state', join(dir, 's.json')]),
      ...(extra.includes('--journal') ? [] : ['--journal', join(dir, 'j.json')]),
      ...extra,
      '--yes',
    ])

  it.runIf(posix).each(['--certificate', '--journal', '--state'])(
    'a FIFO or a device as %s exits 2 at once, without reading it',
    async (option) => {
      const dir = tempDir()
      const fifo = join(dir, 'fifo')
      execFileSync('mkfifo', [fifo])
      for (const file of [fifo, '/dev/zero']) {
        const run = await applyWith(dir, [option, file])
        expect(run.code, run.stderr).toBe(2)
        expect(run.stderr).toContain('is not a regular file')
        expect(run.stderr).toContain('Nothing was changed.')
      }
    },
  )

  it.each([
    ['--certificate', 64 * 1024 + 1, '64 kB'],
    ['--journal', 50 * 1024 * 1024 + 1, '50 MB'],
    ['--state', 50 * 1024 * 1024 + 1, '50 MB'],
  ])('%s larger than its limit exits 2 naming the limit', async (option, size, limit) => {
    const dir = tempDir()
    const big = join(dir, 'big')
    writeFileSync(big, Buffer.alloc(size, 0x20))
    const run = await applyWith(dir, [option, big])
    expect(run.code, run.stderr).toBe(2)
    expect(run.stderr).toContain(`is larger than ${limit}`)
  })

  it.each(['--certificate', '--journal', '--state'])(
    'a %s that does not parse exits 2 without echoing its content',
    async (option) => {
      const dir = tempDir()
      const file = join(dir, 'garbage')
      writeFileSync(file, 'PRIVATE-CONTENT-4711 {"not": json')
      const run = await applyWith(dir, [option, file, '--json'])
      expect(run.code).toBe(2)
      expect(run.stderr + run.stdout).not.toContain('PRIVATE')
      expect(run.stderr).toContain(option.slice(2))
    },
  )

  it.runIf(posix)(
    'refuses one file as both --state and --journal, however it is spelt, and leaves it as it was',
    async () => {
      const dir = tempDir()
      const state = join(dir, 's.json')
      expect((await runCli(['plan', ...fake, '--domain', 'contoso.com', '--state', state])).code).toBe(0)
      const before = readFileSync(state, 'utf8')
      mkdirSync(join(dir, 'sub'))
      symlinkSync(state, join(dir, 'link.json'))
      for (const journal of [state, join(dir, 'sub', '..', 's.json'), join(dir, 'link.json')]) {
        const run = await applyWith(dir, ['--state', state, '--journal', journal])
        expect(run.code, journal).toBe(2)
        expect(run.stderr).toContain('--state and --journal name one file')
        for (const command of [['rollback', ...fake, '--state', state, '--journal', journal, '--yes']]) {
          const rolled = await runCli(command)
          expect(rolled.code).toBe(2)
          expect(rolled.stderr).toContain('--state and --journal name one file')
        }
      }
      expect(readFileSync(state, 'utf8')).toBe(before)
    },
  )
})
