import { mkdirSync, mkdtempSync, readdirSync, readFileSync, type Stats, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type InputFile, kB, readInputFile, sameFile, writeFileAtomic } from './files'

type Fs = typeof import('node:fs')
/**
 * node:fs as the file system answers it, its descriptor calls logged in order; a test replaces one
 * call to give an answer the file system rarely gives (a short write, a failed rename, a socket).
 */
const hooks = vi.hoisted(() => ({
  log: [] as string[],
  openSync: null as null | ((real: Fs['openSync'], path: string, flags: string | number) => number),
  writeSync: null as
    | null
    | ((write: Fs['writeSync'], fd: number, bytes: Buffer, offset: number, length: number) => number),
  renameSync: null as null | (() => void),
  fstatSync: null as null | ((stat: Stats) => Stats),
  statSync: null as null | ((path: string, stat: Stats) => Stats),
}))
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<Fs>()
  return {
    ...real,
    openSync: (path: string, flags: string | number, mode?: number) => {
      const fd = hooks.openSync
        ? hooks.openSync(real.openSync, path, flags)
        : real.openSync(path, flags, mode)
      hooks.log.push(`open ${fd}`)
      return fd
    },
    // writeFileAtomic writes a Buffer: descriptor, bytes, offset, length
    writeSync: (fd: number, bytes: Buffer, offset: number, length: number) =>
      hooks.writeSync
        ? hooks.writeSync(real.writeSync, fd, bytes, offset, length)
        : real.writeSync(fd, bytes, offset, length),
    readSync: (...args: Parameters<Fs['readSync']>) => {
      hooks.log.push('read')
      return real.readSync(...args)
    },
    fsyncSync: (fd: number) => {
      hooks.log.push(`fsync ${fd}`)
      real.fsyncSync(fd)
    },
    closeSync: (fd: number) => {
      hooks.log.push(`close ${fd}`)
      real.closeSync(fd)
    },
    renameSync: (from: string, to: string) => {
      hooks.log.push('rename')
      if (hooks.renameSync) hooks.renameSync()
      else real.renameSync(from, to)
    },
    fstatSync: (fd: number) => (hooks.fstatSync ? hooks.fstatSync(real.fstatSync(fd)) : real.fstatSync(fd)),
    statSync: (path: string) =>
      hooks.statSync ? hooks.statSync(path, real.statSync(path)) : real.statSync(path),
  }
})

afterEach(() => {
  hooks.log = []
  hooks.openSync = null
  hooks.writeSync = null
  hooks.renameSync = null
  hooks.fstatSync = null
  hooks.statSync = null
})

const failing = (code: string) => Object.assign(new Error(code), { code })
const folder = () => mkdtempSync(join(tmpdir(), 'teams-oauth-answers-'))
const opened = () => Number(hooks.log[0]?.split(' ')[1])
const spec: InputFile = { field: 'state', maxBytes: 2 * kB, code: 'INPUT_INVALID', fix: 'give a state file' }
const refusal = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected a refusal')
}

describe('writeFileAtomic on the file system', () => {
  it('syncs the written data before it closes and renames, and only closes when told not to sync', () => {
    const file = join(folder(), 'j.json')
    writeFileAtomic(file, 'text')
    const fd = opened()
    expect(hooks.log).toEqual([`open ${fd}`, `fsync ${fd}`, `close ${fd}`, 'rename'])
    hooks.log = []
    writeFileAtomic(file, 'more', 0o600, false)
    expect(hooks.log).toEqual([`open ${opened()}`, `close ${opened()}`, 'rename'])
    expect(readFileSync(file, 'utf8')).toBe('more')
  })

  it('writes on from where a short write stopped, asking each time for the rest', () => {
    const asked: [number, number][] = []
    hooks.writeSync = (write, fd, bytes, offset, length) => {
      asked.push([offset, length])
      return write(fd, bytes, offset, Math.min(length, 7))
    }
    const file = join(folder(), 'j.json')
    const text = 'ü€😀 and some more' // 23 bytes of UTF-8: three writes of 7, then 2
    const size = Buffer.byteLength(text)
    writeFileAtomic(file, text)
    expect(readFileSync(file, 'utf8')).toBe(text)
    const expected: [number, number][] = []
    for (let offset = 0; offset < size; offset += 7) expected.push([offset, size - offset])
    expect(asked).toEqual(expected)
  })

  it('closes the file once and removes it when a write fails, and throws that failure', () => {
    hooks.writeSync = () => {
      throw failing('EIO')
    }
    const dir = folder()
    const file = join(dir, 'j.json')
    writeFileSync(file, 'old')
    expect(() => writeFileAtomic(file, 'new')).toThrow(expect.objectContaining({ code: 'EIO' }))
    expect(hooks.log).toEqual([`open ${opened()}`, `close ${opened()}`])
    expect(readdirSync(dir)).toEqual(['j.json'])
    expect(readFileSync(file, 'utf8')).toBe('old')
  })

  it('does not close the file a second time when the rename fails, and throws the rename’s failure', () => {
    hooks.renameSync = () => {
      throw failing('EACCES')
    }
    const dir = folder()
    const file = join(dir, 'j.json')
    expect(() => writeFileAtomic(file, 'new')).toThrow(expect.objectContaining({ code: 'EACCES' }))
    const fd = opened()
    expect(hooks.log).toEqual([`open ${fd}`, `fsync ${fd}`, `close ${fd}`, 'rename'])
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('readInputFile on the file system', () => {
  it('refuses a file over its limit by its size, without reading it', () => {
    const file = join(folder(), 's.json')
    writeFileSync(file, 'x'.repeat(3 * kB))
    expect(refusal(() => readInputFile(file, spec))).toContain('is larger than 2 kB')
    expect(hooks.log.filter((call) => call === 'read')).toEqual([])
  })

  it('says what a file is that is neither a file, a folder, a pipe nor a device', () => {
    const file = join(folder(), 's.json')
    writeFileSync(file, '{}')
    const as = (kind: 'socket' | 'block device') => (stat: Stats) =>
      Object.assign(Object.create(stat) as Stats, {
        isFile: () => false,
        isSocket: () => kind === 'socket',
        isBlockDevice: () => kind === 'block device',
      })
    hooks.fstatSync = as('socket')
    expect(refusal(() => readInputFile(file, spec))).toBe(
      `state: ${file} is not a regular file (not a file); give a state file`,
    )
    hooks.fstatSync = as('block device')
    expect(refusal(() => readInputFile(file, spec))).toBe(
      `state: ${file} is not a regular file (a device); give a state file`,
    )
  })

  it('names the failure to open a file even when the system gives no code', () => {
    hooks.openSync = () => {
      throw new Error('no code')
    }
    const file = join(folder(), 's.json')
    expect(refusal(() => readInputFile(file, spec))).toBe(
      `state: ${file} cannot be opened (error); give a state file`,
    )
  })
})

describe('sameFile on the file system', () => {
  it('tells apart two files of one inode number on two devices', () => {
    const dir = folder()
    mkdirSync(join(dir, 'a'))
    mkdirSync(join(dir, 'b'))
    const [a, b] = [join(dir, 'a', 'f'), join(dir, 'b', 'f')]
    writeFileSync(a, 'x')
    writeFileSync(b, 'x')
    hooks.statSync = (path, stat) =>
      Object.assign(Object.create(stat) as Stats, { ino: 7, dev: path === a ? 1 : 2 })
    expect(sameFile(a, b)).toBe(false)
    hooks.statSync = (_path, stat) => Object.assign(Object.create(stat) as Stats, { ino: 7, dev: 1 })
    expect(sameFile(a, b)).toBe(true)
  })
})
