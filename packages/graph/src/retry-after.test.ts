import { describe, expect, it } from 'vitest'
import { parseRetryAfter } from './retry-after'

describe('parseRetryAfter', () => {
  it('reads delay-seconds as milliseconds', () => {
    expect(parseRetryAfter('7')).toBe(7000)
  })

  it('reads fractional seconds and ignores surrounding spaces', () => {
    expect(parseRetryAfter('1.5')).toBe(1500)
    expect(parseRetryAfter('1.25')).toBe(1250)
    expect(parseRetryAfter(' 7 ')).toBe(7000)
  })

  it('reads an HTTP date as the time left until it', () => {
    const now = Date.parse('2025-06-01T10:00:00Z')
    expect(parseRetryAfter('Sun, 01 Jun 2025 10:00:12 GMT', now)).toBe(12_000)
  })

  it('never returns a negative wait for a date in the past', () => {
    const now = Date.parse('2025-06-01T10:00:00Z')
    expect(parseRetryAfter('Sun, 01 Jun 2025 09:00:00 GMT', now)).toBe(0)
  })

  it('returns null for a missing or unreadable header', () => {
    expect(parseRetryAfter(null)).toBeNull()
    expect(parseRetryAfter(undefined)).toBeNull()
    expect(parseRetryAfter('')).toBeNull()
    expect(parseRetryAfter('soon')).toBeNull()
  })

  it('does not read a number with words around it as seconds', () => {
    expect(parseRetryAfter('5s')).toBeNull()
    expect(parseRetryAfter('x5')).toBeNull()
  })
})
