import type { ExchangePort } from '@teams-oauth/core'
import { exchangeThrottling } from '@teams-oauth/core/adapter'

export interface ThrottlingRetryOptions {
  /** Tries after the first (default 6). */
  retries?: number
  /** The first back-off (default 500 ms); doubled each time, never less than Exchange asks, at most maxDelayMs. */
  baseDelayMs?: number
  maxDelayMs?: number
  /** How to wait (tests pass their own). */
  sleep?: (ms: number) => Promise<void>
  onRetry?: (event: { cmdlet: string; attempt: number; delayMs: number }) => void
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * The port, with reads retried when Exchange's throttling policy turns them away (its user load quota),
 * backing off exponentially. Writes are never retried: a write that failed is the journal's business.
 */
export function withThrottlingRetry<P extends ExchangePort>(
  port: P,
  options: ThrottlingRetryOptions = {},
): P {
  const retries = options.retries ?? 6
  const base = options.baseDelayMs ?? 500
  const max = options.maxDelayMs ?? 30_000
  const sleep = options.sleep ?? wait
  const isRead = (cmdlet: string) => /^Get-/i.test(cmdlet)
  const invoke: ExchangePort['invoke'] = async (call, read) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await port.invoke(call, read)
      } catch (error) {
        const throttled = exchangeThrottling(error)
        if (!throttled || !isRead(call.cmdlet) || attempt > retries) throw error
        const delayMs = Math.min(max, Math.max(throttled.retryAfterMs, base * 2 ** (attempt - 1)))
        options.onRetry?.({ cmdlet: call.cmdlet, attempt, delayMs })
        await sleep(delayMs)
      }
    }
  }
  const wrapped: P = { ...port, invoke }
  // a stream that was throttled is read again whole: nothing of it was yielded yet
  if (port.stream) {
    const stream = port.stream.bind(port)
    wrapped.stream = async function* (call, read) {
      for (let attempt = 1; ; attempt++) {
        const iterator = stream(call, read)[Symbol.asyncIterator]()
        let first: IteratorResult<unknown>
        try {
          first = await iterator.next()
        } catch (error) {
          const throttled = exchangeThrottling(error)
          if (!throttled || attempt > retries) throw error
          const delayMs = Math.min(max, Math.max(throttled.retryAfterMs, base * 2 ** (attempt - 1)))
          options.onRetry?.({ cmdlet: call.cmdlet, attempt, delayMs })
          await sleep(delayMs)
          continue
        }
        if (first.done) return
        yield first.value as never
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
        return
      }
    }
  }
  return wrapped
}
