import { execFileSync } from 'node:child_process'
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { isTeamsOAuthError } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { type InputFile, kB, MB, readInputFile, sameFile, temporaryName, writeFileAtomic } from './files'
import { acquireLocks, lockFileOf } from './lock'

const posix = process.platform !== 'win32'
const folder = () => mkdtempSync(join(tmpdir(), 'teams-oauth-files-'))
const spec: InputFile = { field: 'state', maxBytes: 2 * kB, code: 'INPUT_INVALID', fix: 'give a state file' }

const refusal = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    expect(isTeamsOAuthError(error)).toBe(true)
    return error as Error & { code: string; data: Record<string, unknown> }
  }
  throw new Error('expected a refusal')
}

describe('temporaryName', () => {
  it('is a hidden name beside the file that no one can guess', () => {
    const a = temporaryName(join('dir', 'j.json'))
    expect(a).toMatch(/^dir[/\\]\.j\.json\.[0-9a-f]{16}\.tmp$/)
    expect(temporaryName(join('dir', 'j.json'))).not.toBe(a)
  })
})

describe('writeFileAtomic', () => {
  it('replaces the file with the text, readable by its owner only unless told, and leaves nothing beside it', () => {
    const dir = folder()
    const file = join(dir, 'j.json')
    writeFileSync(file, 'old')
    const text = `ü€😀${'x'.repeat(200 * kB)}`
    writeFileAtomic(file, text)
    expect(readFileSync(file, 'utf8')).toBe(text)
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600)
    writeFileAtomic(file, 'new', 0o640, false)
    expect(readFileSync(file, 'utf8')).toBe('new')
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o640)
    expect(readdirSync(dir)).toEqual(['j.json'])
  })

  it('removes its temporary file when the file cannot be replaced', () => {
    const dir = folder()
    const file = join(dir, 'taken')
    mkdirSync(join(file, 'inside'), { recursive: true })
    expect(() => writeFileAtomic(file, 'text')).toThrow()
    expect(readdirSync(dir)).toEqual(['taken'])
  })
})

describe('readInputFile', () => {
  it('reads a regular file up to its limit, and gives null for a missing one', () => {
    const dir = folder()
    const file = join(dir, 's.json')
    expect(readInputFile(file, spec)).toBeNull()
    writeFileSync(file, 'a'.repeat(2 * kB))
    expect(readInputFile(file, spec)?.toString()).toBe('a'.repeat(2 * kB))
    const large = Buffer.alloc(200 * kB, 7)
    writeFileSync(file, large)
    expect(readInputFile(file, { ...spec, maxBytes: MB })?.equals(large)).toBe(true)
  })

  it('refuses a file over its limit, naming the limit, never the content', () => {
    const dir = folder()
    const file = join(dir, 's.json')
    writeFileSync(file, 'secret'.repeat(400))
    const error = refusal(() => readInputFile(file, spec))
    expect(error.message).toBe(`state: ${file} is larger than 2 kB; give a state file`)
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.data).toEqual({
      field: 'state',
      issues: [{ field: 'state', problem: 'is larger than 2 kB', fix: 'give a state file' }],
    })
    writeFileSync(file, Buffer.alloc(3 * MB))
    expect(
      refusal(() => readInputFile(file, { ...spec, maxBytes: 2 * MB, code: 'CERTIFICATE_INVALID' })),
    ).toMatchObject({
      code: 'CERTIFICATE_INVALID',
      message: `state: ${file} is larger than 2 MB; give a state file`,
    })
  })

  it('names a limit of a whole MB in MB', () => {
    const file = join(folder(), 's.json')
    writeFileSync(file, Buffer.alloc(MB + 1))
    expect(refusal(() => readInputFile(file, { ...spec, maxBytes: MB })).message).toContain(
      'is larger than 1 MB;',
    )
  })

  it.runIf(process.platform === 'linux')('refuses a file that grows past its limit while it is read', () => {
    // /proc files say they are empty, and are not
    expect(refusal(() => readInputFile('/proc/self/status', { ...spec, maxBytes: 16 })).message).toContain(
      'is larger than 0.015625 kB',
    )
  })

  it.runIf(process.platform === 'linux')('closes the file it opened, read or refused', () => {
    const file = join(folder(), 's.json')
    writeFileSync(file, 'x'.repeat(3 * kB))
    const open = () => readdirSync('/proc/self/fd').length
    const before = open()
    for (let i = 0; i < 5; i++) {
      readInputFile(file, { ...spec, maxBytes: MB })
      refusal(() => readInputFile(file, spec))
    }
    expect(open()).toBe(before)
  })

  it('refuses what is not a regular file, saying what it is', () => {
    const dir = folder()
    expect(refusal(() => readInputFile(dir, spec)).message).toBe(
      `state: ${dir} is not a regular file (a folder); give a state file`,
    )
    if (!posix) return
    expect(refusal(() => readInputFile('/dev/null', spec)).message).toContain(
      'is not a regular file (a device)',
    )
    const fifo = join(dir, 'pipe')
    execFileSync('mkfifo', [fifo])
    expect(refusal(() => readInputFile(fifo, spec)).message).toContain('is not a regular file (a pipe)')
  })

  it.runIf(posix)('refuses a path it cannot open, with the reason', () => {
    const dir = folder()
    writeFileSync(join(dir, 'file'), 'x')
    expect(refusal(() => readInputFile(join(dir, 'file', 'below'), spec)).message).toBe(
      `state: ${join(dir, 'file', 'below')} cannot be opened (ENOTDIR); give a state file`,
    )
  })
})

describe('sameFile', () => {
  it('knows one file however it is spelt', () => {
    const dir = folder()
    const file = join(dir, 'j.json')
    writeFileSync(file, 'x')
    writeFileSync(join(dir, 'other'), 'x')
    expect(sameFile(file, relative(process.cwd(), file))).toBe(true)
    expect(sameFile(file, join(dir, '.', 'sub', '..', 'j.json'))).toBe(true)
    expect(sameFile(file, join(dir, 'other'))).toBe(false)
    expect(sameFile(join(dir, 'new'), join(dir, '.', 'new'))).toBe(true)
    expect(sameFile(join(dir, 'new'), join(dir, 'newer'))).toBe(false)
    expect(sameFile(join(dir, 'no', 'new'), join(dir, 'no', '.', 'new'))).toBe(true)
    expect(sameFile(join(dir, 'no', 'new'), join(dir, 'no', 'newer'))).toBe(false)
    if (!posix) return
    symlinkSync(file, join(dir, 'link'))
    expect(sameFile(file, join(dir, 'link'))).toBe(true)
    symlinkSync(dir, join(dir, 'here'))
    expect(sameFile(join(dir, 'here', 'new'), join(dir, 'new'))).toBe(true)
    linkSync(file, join(dir, 'hard'))
    expect(sameFile(join(dir, 'hard'), file)).toBe(true)
    expect(sameFile(join(dir, 'other'), join(dir, 'missing'))).toBe(false)
  })
})

describe('acquireLocks', () => {
  const startedAt = new Date('2027-01-01T00:00:00.000Z')
  const lockOf = (file: string) => JSON.parse(readFileSync(lockFileOf(file), 'utf8'))

  it('writes who holds each file beside it, once per file, and removes it on release', () => {
    const dir = folder()
    const journal = join(dir, 'j.json')
    const state = join(dir, 's.json')
    const held = acquireLocks(
      [
        { field: 'journal', file: journal },
        { field: 'state', file: state },
        { field: 'journal', file: join(dir, '.', 'j.json') },
      ],
      'apply',
      startedAt,
    )
    expect(held.notes).toEqual([])
    expect(lockOf(journal)).toEqual({
      format: 'teams-oauth-lock',
      pid: process.pid,
      host: hostname(),
      startedAt: startedAt.toISOString(),
      command: 'apply',
    })
    expect(readFileSync(lockFileOf(journal), 'utf8').endsWith('}\n')).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['j.json.lock', 's.json.lock'])
    if (posix) expect(statSync(lockFileOf(journal)).mode & 0o777).toBe(0o600)
    held.release()
    expect(readdirSync(dir)).toEqual([])
    held.release()
  })

  it('refuses a file another live run holds, naming it, and releases what it took', () => {
    const dir = folder()
    const [journal, state] = [join(dir, 'j.json'), join(dir, 's.json')]
    const first = acquireLocks([{ field: 'state', file: state }], 'plan', startedAt)
    const error = refusal(() =>
      acquireLocks(
        [
          { field: 'journal', file: journal },
          { field: 'state', file: state },
        ],
        'apply',
      ),
    )
    expect(error.message).toBe(
      `state: ${state} is in use by another teams-oauth run (pid ${process.pid} on ${hostname()}, plan started ${startedAt.toISOString()}; lock ${lockFileOf(state)}); wait for it to finish, or delete ${lockFileOf(state)} if that run is gone`,
    )
    expect(error.data).toEqual({ field: 'state', lock: lockFileOf(state), holder: lockOf(state) })
    expect(error.code).toBe('INPUT_INVALID')
    expect(existsSync(lockFileOf(journal))).toBe(false)
    first.release()
  })

  it('takes over the lock of a run no longer alive on this host, with a note', () => {
    const dir = folder()
    const state = join(dir, 's.json')
    const dead = {
      format: 'teams-oauth-lock',
      pid: 2 ** 22 + 17,
      host: hostname(),
      startedAt: 'then',
      command: 'apply',
    }
    writeFileSync(lockFileOf(state), JSON.stringify(dead))
    const held = acquireLocks([{ field: 'state', file: state }], 'plan', startedAt)
    expect(held.notes).toEqual([
      `Note: took over the lock ${lockFileOf(state)} of a run that is no longer running (pid ${dead.pid} on ${hostname()}, apply started then).`,
    ])
    expect(lockOf(state).pid).toBe(process.pid)
    held.release()
    expect(existsSync(lockFileOf(state))).toBe(false)
  })

  it('never takes over a lock of another host, nor one it cannot read', () => {
    const dir = folder()
    const state = join(dir, 's.json')
    const remote = {
      format: 'teams-oauth-lock',
      pid: 2 ** 22 + 17,
      host: 'elsewhere',
      startedAt: 'then',
      command: 'apply',
    }
    writeFileSync(lockFileOf(state), JSON.stringify(remote))
    expect(refusal(() => acquireLocks([{ field: 'state', file: state }], 'plan')).data.holder).toEqual(remote)
    for (const text of ['not json', JSON.stringify({ ...remote, format: 'other', host: hostname() })]) {
      writeFileSync(lockFileOf(state), text)
      expect(refusal(() => acquireLocks([{ field: 'state', file: state }], 'plan')).message).toContain(
        'in use by another teams-oauth run (a holder it does not name;',
      )
      expect(readFileSync(lockFileOf(state), 'utf8')).toBe(text)
    }
  })

  it('releases only its own lock, not one another run put there since', () => {
    for (const change of [{ pid: 1 }, { startedAt: 'later' }, { host: 'elsewhere' }]) {
      const state = join(folder(), 's.json')
      const held = acquireLocks([{ field: 'state', file: state }], 'plan', startedAt)
      const theirs = { ...lockOf(state), ...change }
      writeFileSync(lockFileOf(state), JSON.stringify(theirs))
      held.release()
      expect(lockOf(state)).toEqual(theirs)
    }
  })

  it('says so when it cannot write beside the file', () => {
    const dir = folder()
    const file = join(dir, 'missing', 's.json')
    const error = refusal(() => acquireLocks([{ field: 'state', file }], 'plan'))
    expect(error.message).toBe(
      `state: cannot write beside ${file} (ENOENT: its folder does not exist); give a path in a folder that exists and that you can write to`,
    )
    expect(error.data).toEqual({
      field: 'state',
      issues: [{ field: 'state', problem: 'cannot write (ENOENT)', fix: 'a path in a writable folder' }],
    })
    expect(error.code).toBe('INPUT_INVALID')
    writeFileSync(join(dir, 'plain'), 'x')
    expect(
      refusal(() => acquireLocks([{ field: 'state', file: join(dir, 'plain', 's.json') }], 'plan')).message,
    ).toBe(
      `state: cannot write beside ${join(dir, 'plain', 's.json')} (ENOTDIR); give a path in a folder that exists and that you can write to`,
    )
  })
})
