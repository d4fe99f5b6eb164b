import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { fake, keptFake, runCli, stateOf, tempDir } from './run-cli'
import { spawnCli } from './spawn-cli'

const lockOf = (file: string, pid: number) =>
  writeFileSync(
    `${file}.lock`,
    JSON.stringify({
      format: 'teams-oauth-lock',
      pid,
      host: hostname(),
      startedAt: '2026-12-01T08:00:00.000Z',
      command: 'apply',
    }),
  )

const pwsh = pwshTestGate()

/** A pid no process has any more: one that has just exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!

describe('a journal that cannot be written', () => {
  it('is found before the first change: exit 2, "Nothing was changed", the fake untouched', async () => {
    const { dir, state, common } = keptFake()
    await runCli(['plan', ...common])
    const run = await runCli(['apply', ...common, '--journal', join(dir, 'nodir', 'j.json'), '--yes'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('Nothing was changed.')
    expect(run.stderr).toContain('nodir')
    expect(stateOf(state).changes).toEqual([])
  })
})

describe('the lock beside the journal and the state', () => {
  const applyArgs = (dir: string) => [
    'apply',
    ...fake,
    '--profile',
    'teams',
    '--domain',
    'contoso.com',
    '--state',
    join(dir, 's.json'),
    '--journal',
    join(dir, 'j.json'),
    '--yes',
  ]

  it.each(['j.json', 's.json'])(
    'held by a running process on %s stops apply with exit 2 naming the holder',
    async (locked) => {
      const dir = tempDir()
      lockOf(join(dir, locked), process.ppid)
      const run = await runCli(applyArgs(dir))
      expect(run.code).toBe(2)
      expect(run.stderr).toContain(`in use by another teams-oauth run (pid ${process.ppid} on ${hostname()}`)
      expect(run.stderr).toContain('Nothing was changed.')
      expect(existsSync(join(dir, 's.json'))).toBe(false)
      // someone else's lock stays where it is
      expect(existsSync(join(dir, `${locked}.lock`))).toBe(true)
    },
  )

  it('stops plan on a state file another run holds', async () => {
    const dir = tempDir()
    lockOf(join(dir, 's.json'), process.ppid)
    const run = await runCli(['plan', ...fake, '--domain', 'contoso.com', '--state', join(dir, 's.json')])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`pid ${process.ppid}`)
  })

  it('of a run no longer alive is taken over with a note, and released at the end', async () => {
    const dir = tempDir()
    const pid = deadPid()
    lockOf(join(dir, 'j.json'), pid)
    const run = await runCli(applyArgs(dir))
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(`took over the lock ${join(dir, 'j.json')}.lock`)
    expect(run.stderr).toContain(`pid ${pid}`)
    expect(existsSync(join(dir, 'j.json.lock'))).toBe(false)
    expect(existsSync(join(dir, 's.json.lock'))).toBe(false)
  })

  it('holds the pid, host and start time of its holder while it runs', async () => {
    const dir = tempDir()
    const first = spawnCli(applyArgs(dir))
    await first.printed(/→ /)
    const lock = JSON.parse(readFileSync(join(dir, 'j.json.lock'), 'utf8'))
    expect(lock).toMatchObject({
      format: 'teams-oauth-lock',
      pid: first.child.pid,
      host: hostname(),
      command: 'apply',
    })
    expect(Number.isNaN(Date.parse(lock.startedAt))).toBe(false)
    expect((await first.done).code).toBe(0)
  })

  it.runIf(pwsh.run)(
    'lets one of two concurrent applies run and stops the other naming the holder, 10 rounds, nothing lost',
    async () => {
      for (let round = 1; round <= 10; round++) {
        const dir = tempDir()
        const state = join(dir, 's.json')
        await runCli(['plan', ...fake, '--domain', 'contoso.com', '--state', state])
        const start = stateOf(state).state
        // through the PowerShell stand-in, so the first run holds its locks for seconds
        const args = applyArgs(dir).map((a) => (a === 'fake' ? 'fake-pwsh' : a))
        args.splice(args.indexOf('--entra') + 1, 1, 'fake')
        const first = spawnCli(args)
        await first.printed(/Connecting to Exchange/)
        const second = await spawnCli(args).done
        const done = await first.done
        expect(done.code, done.stderr).toBe(0)
        expect(second.code, `round ${round}: ${second.stderr}`).toBe(2)
        expect(second.stderr).toContain(`in use by another teams-oauth run (pid ${first.child.pid}`)

        // the journal holds every change, and rollback restores the start
        const writes = stateOf(state).changes.length
        const journal = JSON.parse(readFileSync(join(dir, 'j.json'), 'utf8'))
        expect(journal.entries).toHaveLength(writes)
        const common = ['--profile', 'teams', '--domain', 'contoso.com', '--state', state]
        const planned = await runCli(['plan', ...fake, ...common, '--json'])
        expect(JSON.parse(planned.stdout).actions).toEqual([])
        const rolled = await runCli([
          'rollback',
          ...fake,
          '--state',
          state,
          '--journal',
          join(dir, 'j.json'),
          '--yes',
        ])
        expect(rolled.code, rolled.stderr).toBe(0)
        expect(stateOf(state).state).toEqual(start)
      }
    },
    300_000,
  )
})
