import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { acquireLocks, lockFileOf } from './lock'

type Write = (path: string, text: string, options: object) => void
/**
 * node:fs, with linkSync, renameSync and writeFileSync replaceable by a test (the file system's rare
 * answers), and node:crypto's randomBytes, so a test can know the temporary name a lock is written to.
 */
const hooks = vi.hoisted(() => ({
  linkSync: null as null | ((real: (a: string, b: string) => void, a: string, b: string) => void),
  renameSync: null as null | ((real: (a: string, b: string) => void, a: string, b: string) => void),
  writeFileSync: null as null | ((real: Write, path: string, text: string, options: object) => void),
  randomBytes: null as null | ((size: number) => Buffer),
}))
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>()
  return {
    ...real,
    linkSync: (a: string, b: string) =>
      hooks.linkSync ? hooks.linkSync(real.linkSync, a, b) : real.linkSync(a, b),
    renameSync: (a: string, b: string) =>
      hooks.renameSync ? hooks.renameSync(real.renameSync, a, b) : real.renameSync(a, b),
    writeFileSync: (path: string, text: string, options: object) =>
      hooks.writeFileSync
        ? hooks.writeFileSync(real.writeFileSync, path, text, options)
        : real.writeFileSync(path, text, options),
  }
})
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>()
  return {
    ...real,
    randomBytes: (size: number) => (hooks.randomBytes ? hooks.randomBytes(size) : real.randomBytes(size)),
  }
})

afterEach(() => {
  hooks.linkSync = null
  hooks.renameSync = null
  hooks.writeFileSync = null
  hooks.randomBytes = null
  vi.restoreAllMocks()
})

const failing = (code: string) => {
  const error = new Error(code) as NodeJS.ErrnoException
  error.code = code
  return error
}
const folder = () => mkdtempSync(join(tmpdir(), 'teams-oauth-lock-'))
const dead = (fields: Record<string, unknown> = {}) => ({
  format: 'teams-oauth-lock',
  pid: 2 ** 22 + 17,
  host: hostname(),
  startedAt: 'then',
  command: 'apply',
  ...fields,
})
const refused = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    return error as Error & { code: string }
  }
  throw new Error('expected a refusal')
}

describe('a lock on a file system without hard links', () => {
  it('is created exclusively at once, and refused when it exists', () => {
    for (const code of ['EPERM', 'ENOTSUP', 'EXDEV']) {
      hooks.linkSync = () => {
        throw failing(code)
      }
      const dir = folder()
      const state = join(dir, 's.json')
      const held = acquireLocks([{ field: 'state', file: state }], 'plan')
      expect(JSON.parse(readFileSync(lockFileOf(state), 'utf8')).pid).toBe(process.pid)
      expect(refused(() => acquireLocks([{ field: 'state', file: state }], 'apply')).message).toContain(
        'is in use by another teams-oauth run',
      )
      held.release()
      expect(readdirSync(dir)).toEqual([])
    }
  })

  it('says it cannot write when the exclusive create fails otherwise, and leaves nothing behind', () => {
    hooks.linkSync = () => {
      throw failing('EPERM')
    }
    const dir = folder()
    const state = join(dir, 's.json')
    hooks.writeFileSync = (real, path, text, options) => {
      if (path === lockFileOf(state)) throw failing('EIO')
      real(path, text, options)
    }
    const error = refused(() => acquireLocks([{ field: 'state', file: state }], 'plan'))
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.message).toContain('cannot write beside')
    expect(error.message).toContain('(EIO)')
    expect(readdirSync(dir)).toEqual([])
  })

  it('says it cannot write on any other answer of the file system, and leaves nothing behind', () => {
    hooks.linkSync = () => {
      throw failing('EIO')
    }
    const dir = folder()
    const error = refused(() => acquireLocks([{ field: 'state', file: join(dir, 's.json') }], 'plan'))
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.message).toContain('cannot write beside')
    expect(error.message).toContain('(EIO)')
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('a stale lock', () => {
  it('is not taken over when another run replaced it in the meantime, and theirs stays', () => {
    const dir = folder()
    const state = join(dir, 's.json')
    writeFileSync(lockFileOf(state), JSON.stringify(dead()))
    for (const theirs of [dead({ pid: process.pid }), dead({ startedAt: 'now' }), { other: true }]) {
      writeFileSync(lockFileOf(state), JSON.stringify(dead()))
      hooks.renameSync = (real, from, to) => {
        writeFileSync(from, JSON.stringify(theirs))
        real(from, to)
      }
      expect(refused(() => acquireLocks([{ field: 'state', file: state }], 'plan')).message).toContain(
        'is in use by another teams-oauth run',
      )
      expect(JSON.parse(readFileSync(lockFileOf(state), 'utf8'))).toEqual(theirs)
      expect(readdirSync(dir)).toEqual(['s.json.lock'])
    }
  })

  it('is not taken over when the fresh lock of another run it moved aside cannot be put back', () => {
    const dir = folder()
    const state = join(dir, 's.json')
    writeFileSync(lockFileOf(state), JSON.stringify(dead()))
    const theirs = dead({ startedAt: 'now' })
    hooks.renameSync = (real, from, to) => {
      writeFileSync(from, JSON.stringify(theirs))
      real(from, to)
      // the next link is the one that would put theirs back
      hooks.linkSync = () => {
        hooks.linkSync = null
        throw failing('EIO')
      }
    }
    expect(refused(() => acquireLocks([{ field: 'state', file: state }], 'plan')).message).toContain(
      'is in use by another teams-oauth run',
    )
    // no lock of this run either: it took nothing
    expect(existsSync(lockFileOf(state))).toBe(false)
  })

  it('is not taken over when it was gone before it could be moved aside: the run that removed it may be taking it', () => {
    const dir = folder()
    const state = join(dir, 's.json')
    writeFileSync(lockFileOf(state), JSON.stringify(dead()))
    hooks.renameSync = (real, from, to) => {
      hooks.renameSync = null
      real(from, join(dir, 'taken by another run'))
      real(from, to)
    }
    expect(refused(() => acquireLocks([{ field: 'state', file: state }], 'plan')).message).toContain(
      'is in use by another teams-oauth run',
    )
    expect(readdirSync(dir)).toEqual(['taken by another run'])
  })

  it('is not taken over when it cannot be moved aside', () => {
    const dir = folder()
    const state = join(dir, 's.json')
    writeFileSync(lockFileOf(state), JSON.stringify(dead()))
    hooks.renameSync = () => {
      throw failing('EACCES')
    }
    expect(refused(() => acquireLocks([{ field: 'state', file: state }], 'plan')).message).toContain(
      'is in use by another teams-oauth run',
    )
    expect(existsSync(lockFileOf(state))).toBe(true)
  })

  it('belongs to a live run when its process exists but is someone else’s', () => {
    const dir = folder()
    const state = join(dir, 's.json')
    writeFileSync(lockFileOf(state), JSON.stringify(dead()))
    vi.spyOn(process, 'kill').mockImplementation(() => {
      throw failing('EPERM')
    })
    expect(refused(() => acquireLocks([{ field: 'state', file: state }], 'plan')).message).toContain(
      'is in use by another teams-oauth run',
    )
    vi.spyOn(process, 'kill').mockImplementation(() => {
      throw failing('ESRCH')
    })
    acquireLocks([{ field: 'state', file: state }], 'plan').release()
  })
})

describe('the lock written aside', () => {
  it.runIf(process.platform !== 'win32')(
    'is never written through a link planted at its temporary name',
    () => {
      const dir = folder()
      const state = join(dir, 's.json')
      const victim = join(dir, 'victim')
      writeFileSync(victim, 'precious')
      hooks.randomBytes = (size) => Buffer.alloc(size, 0xab)
      symlinkSync(victim, join(dir, `.s.json.lock.${'ab'.repeat(8)}.tmp`))
      const error = refused(() => acquireLocks([{ field: 'state', file: state }], 'plan'))
      expect(error.code).toBe('INPUT_INVALID')
      expect(error.message).toContain('(EEXIST)')
      expect(readFileSync(victim, 'utf8')).toBe('precious')
      expect(existsSync(lockFileOf(state))).toBe(false)
    },
  )
})
