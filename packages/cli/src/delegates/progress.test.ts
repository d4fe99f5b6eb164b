import { describe, expect, it } from 'vitest'
import { progressReporter } from './progress'

const at = (...times: number[]) => {
  const queue = [...times]
  return () => queue.shift() ?? times[times.length - 1]!
}

describe('audit progress on stderr', () => {
  it('draws a bar with count, rate and ETA in place on a terminal', () => {
    const out: string[] = []
    const reporter = progressReporter((t) => out.push(t), true, at(0, 10_000, 20_000))
    reporter.update({ listed: 400, listingDone: true, audited: 100, relationships: 30 })
    reporter.done({ listed: 400, listingDone: true, audited: 400, relationships: 90 })
    expect(out[0]).toBe(
      `\r[########----------------------] 100/400 mailboxes, 30 relationships, 10.0/s, ETA 0:30\u001b[K`,
    )
    expect(out[1]).toBe(
      `\r[${'#'.repeat(30)}] 400/400 mailboxes, 90 relationships, 20.0/s, done in 0:20\u001b[K\n`,
    )
  })

  it('writes plain lines, at most one every five seconds, when stderr is not a terminal', () => {
    const out: string[] = []
    const reporter = progressReporter((t) => out.push(t), false, at(0, 6000, 7000, 12_000))
    const p = { listed: 50, listingDone: false, audited: 6, relationships: 2 }
    reporter.update(p)
    reporter.update({ ...p, audited: 7 })
    reporter.update({ ...p, audited: 12 })
    expect(out).toEqual([
      'audit: 6 (50 listed so far) mailboxes, 2 relationships, 1.0/s, ETA ?\n',
      'audit: 12 (50 listed so far) mailboxes, 2 relationships, 1.0/s, ETA ?\n',
    ])
  })
})
