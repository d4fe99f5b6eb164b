import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { writeFileAtomic } from './files'

/** node:fs, its descriptor calls logged in order, writeSync and renameSync replaceable by a test. */
const hooks = vi.hoisted(() => ({
  log: [] as string[],
  writeSync: null as
    | null
    | ((
        write: typeof import('node:fs').writeSync,
        fd: number,
        bytes: Buffer,
        offset: number,
        length: number,
      ) => number),
  renameSync: null as null | (() => void),
}))
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>()
  return {
    ...real,
    openSync: (...args: Parameters<typeof real.openSync>) => {
      const fd = real.openSync(...args)
      hooks.log.push(`open ${fd}`)
      return fd
    },
    // writeFileAtomic writes a Buffer: descriptor, bytes, offset, length
    writeSync: (fd: number, bytes: Buffer, offset: number, length: number) =>
      hooks.writeSync
        ? hooks.writeSync(real.writeSync, fd, bytes, offset, length)
        : real.writeSync(fd, bytes, offset, length),
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
  }
})

afterEach(() => {
  hooks.log = []
  hooks.writeSync = null
  hooks.renameSync = null
})

const failing = (code: string) => Object.assign(new Error(code), { code })
const folder = () => mkdtempSync(join(tmpdir(), 'teams-oauth-atomic-'))
const opened = () => Number(hooks.log[0]?.split(' ')[1])

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
