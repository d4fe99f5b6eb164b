import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { TeamsOAuthError } from '@teams-oauth/core'
import { z } from 'zod'
import { sameFile, temporaryName } from './files'

/** What a lock file holds: who holds it, so a second run can name them and a dead holder be replaced. */
const lockSchema = z.object({
  format: z.literal('teams-oauth-lock'),
  pid: z.number().int(),
  host: z.string(),
  startedAt: z.string(),
  command: z.string(),
})
type LockRecord = z.infer<typeof lockSchema>

export const lockFileOf = (file: string) => `${file}.lock`

export interface HeldLocks {
  /** Notes for the user: a stale lock taken over. */
  notes: string[]
  release(): void
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const holderOf = (record: LockRecord) =>
  `pid ${record.pid} on ${record.host}, ${record.command} started ${record.startedAt}`

function readLock(path: string): LockRecord | null {
  let value: unknown = null
  try {
    // Stryker disable next-line StringLiteral: JSON.parse reads the Buffer given without an encoding as UTF-8 too
    value = JSON.parse(readFileSync(path, 'utf8'))
  } catch {}
  // gone, unreadable, not JSON or not a lock: a holder it cannot name
  return lockSchema.safeParse(value).data ?? null
}

/** Creates the lock file whole or not at all: written aside, then hard-linked into place (fails if it exists). */
function tryCreate(path: string, text: string): boolean {
  const temporary = temporaryName(path)
  writeFileSync(temporary, text, { flag: 'wx', mode: 0o600 })
  try {
    linkSync(temporary, path)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error
    // a file system without hard links: exclusive create, written at once
    try {
      writeFileSync(path, text, { flag: 'wx', mode: 0o600 })
      return true
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw fallback
    }
  } finally {
    unlinkSync(temporary)
  }
}

/** Moves a dead holder's lock aside; true when what was moved is that very lock (no one else's fresh one). */
function removeStale(path: string, stale: LockRecord): boolean {
  const aside = temporaryName(path)
  try {
    renameSync(path, aside)
  } catch {
    return false
  }
  const moved = readLock(aside)
  if (moved && moved.pid === stale.pid && moved.startedAt === stale.startedAt) {
    unlinkSync(aside)
    return true
  }
  // another run took it over in between: put theirs back
  try {
    linkSync(aside, path)
  } catch {}
  unlinkSync(aside)
  return false
}

/**
 * Locks each file (its `<file>.lock` beside it) for this run, or throws INPUT_INVALID naming the holder
 * (exit 2, nothing changed). A lock whose holder is no longer running on this host is taken over.
 */
export function acquireLocks(
  files: { field: string; file: string }[],
  command: string,
  now = new Date(),
): HeldLocks {
  const held = new Set<string>()
  const notes: string[] = []
  const mine: LockRecord = {
    format: 'teams-oauth-lock',
    pid: process.pid,
    host: hostname(),
    startedAt: now.toISOString(),
    command,
  }
  const text = `${JSON.stringify(mine)}\n`
  const release = () => {
    for (const path of held) {
      const record = readLock(path)
      if (
        record &&
        record.pid === mine.pid &&
        record.startedAt === mine.startedAt &&
        record.host === mine.host
      )
        try {
          unlinkSync(path)
        } catch {}
    }
    held.clear()
  }
  const unique = files.filter((f, i) => files.findIndex((g) => sameFile(g.file, f.file)) === i)
  try {
    for (const { field, file } of unique) {
      const path = lockFileOf(file)
      let created: boolean
      try {
        created = tryCreate(path, text)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
        throw new TeamsOAuthError(
          'INPUT_INVALID',
          `${field}: cannot write beside ${file} (${code}${code === 'ENOENT' ? ': its folder does not exist' : ''}); give a path in a folder that exists and that you can write to`,
          {
            field,
            issues: [{ field, problem: `cannot write (${code})`, fix: 'a path in a writable folder' }],
          },
        )
      }
      if (!created) {
        const holder = readLock(path)
        const stale = holder && holder.host === mine.host && !alive(holder.pid)
        if (stale && removeStale(path, holder) && tryCreate(path, text))
          notes.push(
            `Note: took over the lock ${path} of a run that is no longer running (${holderOf(holder)}).`,
          )
        else {
          const who = holder ? holderOf(holder) : 'a holder it does not name'
          throw new TeamsOAuthError(
            'INPUT_INVALID',
            `${field}: ${file} is in use by another teams-oauth run (${who}; lock ${path}); wait for it to finish, or delete ${path} if that run is gone`,
            { field, lock: path, holder: holder ?? null },
          )
        }
      }
      held.add(path)
    }
  } catch (error) {
    release()
    throw error
  }
  return { notes, release }
}
