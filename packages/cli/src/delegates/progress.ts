import type { AuditProgress } from '@teams-oauth/core'

/** Progress on stderr: a bar redrawn in place on a TTY, a line now and then elsewhere; never stdout. */
export function progressReporter(
  write: (text: string) => void,
  isTTY: boolean,
  now: () => number = Date.now,
) {
  const started = now()
  let last = 0
  let lastLine = 0
  const line = (p: AuditProgress, final: boolean, t: number) => {
    const seconds = Math.max((t - started) / 1000, 0.001)
    const rate = p.audited / seconds
    const total = p.listingDone ? p.listed : null
    const eta = total !== null && rate > 0 ? Math.max(0, (total - p.audited) / rate) : null
    const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`
    const count = total !== null ? `${p.audited}/${total}` : `${p.audited} (${p.listed} listed so far)`
    const text = `${count} mailboxes, ${p.relationships} relationships, ${rate.toFixed(1)}/s, ${final ? `done in ${clock(seconds)}` : `ETA ${eta === null ? '?' : clock(eta)}`}`
    if (!isTTY) return `audit: ${text}\n`
    const width = 30
    const filled = total ? Math.round((width * p.audited) / Math.max(total, 1)) : 0
    return `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}\u001b[K${final ? '\n' : ''}`
  }
  return {
    update(p: AuditProgress) {
      const t = now()
      // a bar redrawn four times a second; a plain line every five seconds (a log is read, not watched)
      if (t - last < (isTTY ? 250 : 5000)) return
      last = t
      lastLine = t
      write(line(p, false, t))
    },
    done(p: AuditProgress) {
      if (isTTY || lastLine > 0 || p.audited > 0) write(line(p, true, now()))
    },
  }
}
