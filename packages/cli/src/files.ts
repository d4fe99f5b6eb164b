import { randomBytes } from 'node:crypto'
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { type ErrorCode, TeamsOAuthError } from '@teams-oauth/core'

export const kB = 1024
export const MB = 1024 * kB

/** A temporary file beside `file`: same folder (so rename is atomic), a name no one can guess. */
export const temporaryName = (file: string) =>
  join(dirname(file), `.${basename(file)}.${randomBytes(8).toString('hex')}.tmp`)

/**
 * Replaces `file` with `text` at once: written to a temporary file created exclusively (never through
 * a planted symlink), synced (unless `sync` is false), then renamed over it; the temporary file is removed
 * when anything fails.
 */
export function writeFileAtomic(file: string, text: string, mode = 0o600, sync = true) {
  const temporary = temporaryName(file)
  const fd = openSync(temporary, 'wx', mode)
  let open = true
  try {
    const bytes = Buffer.from(text)
    let written = 0
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written)
    if (sync) fsyncSync(fd)
    closeSync(fd)
    open = false
    renameSync(temporary, file)
  } catch (error) {
    if (open) closeSync(fd)
    try {
      unlinkSync(temporary)
    } catch {}
    throw error
  }
}

export interface InputFile {
  /** The option that named the file (certificate, journal, state). */
  field: string
  maxBytes: number
  code: ErrorCode
  /** What to give instead, for the message. */
  fix: string
}

const sizeOf = (bytes: number) => (bytes >= MB ? `${bytes / MB} MB` : `${bytes / kB} kB`)

/**
 * Reads an input file the user named: a regular file no larger than `maxBytes`, checked on the open
 * descriptor (no race with a swapped path; O_NONBLOCK so a FIFO cannot hang the open). Null when it
 * does not exist. The message never holds the file's content.
 */
export function readInputFile(file: string, spec: InputFile): Buffer | null {
  const refuse = (problem: string) =>
    new TeamsOAuthError(spec.code, `${spec.field}: ${file} ${problem}; ${spec.fix}`, {
      field: spec.field,
      issues: [{ field: spec.field, problem, fix: spec.fix }],
    })
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    throw refuse(`cannot be opened (${code ?? 'error'})`)
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile())
      throw refuse(
        `is not a regular file (${stat.isFIFO() ? 'a pipe' : stat.isDirectory() ? 'a folder' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'not a file'})`,
      )
    if (stat.size > spec.maxBytes) throw refuse(`is larger than ${sizeOf(spec.maxBytes)}`)
    // read until the end, refusing as soon as it passes the limit (a file growing while read)
    const chunks: Buffer[] = []
    let length = 0
    for (;;) {
      const chunk = Buffer.alloc(64 * kB)
      const n = readSync(fd, chunk, 0, chunk.length, null)
      if (n === 0) break
      length += n
      if (length > spec.maxBytes) throw refuse(`is larger than ${sizeOf(spec.maxBytes)}`)
      chunks.push(chunk.subarray(0, n))
    }
    return Buffer.concat(chunks, length)
  } finally {
    closeSync(fd)
  }
}

/** A path as the file system names it: symlinks and `..` resolved, also for a file not created yet. */
function canonicalPath(file: string): string {
  const absolute = resolve(file)
  try {
    return realpathSync(absolute)
  } catch {
    try {
      return join(realpathSync(dirname(absolute)), basename(absolute))
    } catch {
      return absolute
    }
  }
}

/** Whether two paths name one file (however spelt: relative, through a symlink, a hard link). */
export function sameFile(a: string, b: string): boolean {
  if (canonicalPath(a) === canonicalPath(b)) return true
  if (!existsSync(a) || !existsSync(b)) return false
  const [x, y] = [statSync(a), statSync(b)]
  return x.dev === y.dev && x.ino === y.ino
}
