/** What the Graph door does to one request. */
export type GraphFault =
  | { kind: 'throttle'; status: 429 | 503; retryAfterSeconds: number }
  /** Drop the connection; for a PATCH, `afterWrite` says whether the write applies first. */
  | { kind: 'dropConnection'; afterWrite: boolean }

export interface FaultSwitches {
  /** The n-th write from now (1-based, Exchange and Entra writes counted together) fails once. */
  failWrite(n: number): void
  /** The next `times` Graph-door requests answer `status` with Retry-After. */
  throttle(options: { times: number; status?: 429 | 503; retryAfterSeconds?: number }): void
  /** Graph door: the n-th request from now has its connection dropped. */
  dropConnection(options: { atRequest: number; afterWrite?: boolean }): void
  /** PowerShell door: the n-th forwarded call from now makes the stand-in kill its own process. */
  killSession(options: { atCall: number }): void
  /**
   * Graph door: right after the n-th request from now is served (its answer already made), `run`
   * changes the tenant, as another administrator writing at that moment would.
   */
  afterGraphRequest(options: { atRequest: number; run: () => void }): void
  /**
   * The n-th Exchange write from now lands, then its answer is lost: the call fails (in process), or,
   * with `killSession`, the PowerShell stand-in kills its own process instead of answering.
   */
  loseAnswer(options: { atExchangeWrite: number; killSession?: boolean }): void
  /**
   * Every Exchange call from now takes this long before it answers, as a round trip to a real server
   * would; in process and through the PowerShell door alike. 0 turns it off.
   */
  latencyMs(ms: number): void
  /** The next `times` Exchange calls fail as Exchange's throttling policy fails them (the WS-Management quota). */
  throttleCmdlets(options: { times: number; retryAfterMs?: number }): void
  reset(): void
}

export interface FaultHooks {
  nextGraphRequest(): GraphFault | null
  /** Runs what afterGraphRequest armed for the request nextGraphRequest last counted. */
  graphRequestServed?(): void
  nextCmdletCall(): { kill: boolean }
}

/** How an answer is lost after its write landed. */
export type LostAnswer = 'error' | 'kill'
/** What an Exchange call meets before the model runs it: a delay, and maybe throttling. */
export interface ExchangeCallFault {
  delayMs: number
  throttledForMs: number | null
}

const positive = (n: number, what: string) => {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a whole number from 1`)
}

/** Counters and armed faults. Nothing here is part of the model's state. */
export class Faults implements FaultSwitches, FaultHooks {
  private writes = 0
  private graphRequests = 0
  private cmdletCalls = 0
  private failingWrites = new Set<number>()
  private throttles: { status: 429 | 503; retryAfterSeconds: number }[] = []
  private drops = new Map<number, boolean>()
  private kills = new Set<number>()
  private afterRequests = new Map<number, () => void>()
  private exchangeWrites = 0
  private lostAnswers = new Map<number, LostAnswer>()
  private latency = 0
  private cmdletThrottles: number[] = []

  failWrite(n: number): void {
    positive(n, 'failWrite(n)')
    this.failingWrites.add(this.writes + n)
  }

  throttle(options: { times: number; status?: 429 | 503; retryAfterSeconds?: number }): void {
    positive(options.times, 'throttle({ times })')
    for (let i = 0; i < options.times; i++) {
      this.throttles.push({
        status: options.status ?? 429,
        retryAfterSeconds: options.retryAfterSeconds ?? 1,
      })
    }
  }

  dropConnection(options: { atRequest: number; afterWrite?: boolean }): void {
    positive(options.atRequest, 'dropConnection({ atRequest })')
    this.drops.set(this.graphRequests + options.atRequest, options.afterWrite ?? false)
  }

  killSession(options: { atCall: number }): void {
    positive(options.atCall, 'killSession({ atCall })')
    this.kills.add(this.cmdletCalls + options.atCall)
  }

  afterGraphRequest(options: { atRequest: number; run: () => void }): void {
    positive(options.atRequest, 'afterGraphRequest({ atRequest })')
    this.afterRequests.set(this.graphRequests + options.atRequest, options.run)
  }

  /** Runs the change armed for the request just served, once. */
  graphRequestServed(): void {
    const run = this.afterRequests.get(this.graphRequests)
    this.afterRequests.delete(this.graphRequests)
    run?.()
  }

  loseAnswer(options: { atExchangeWrite: number; killSession?: boolean }): void {
    positive(options.atExchangeWrite, 'loseAnswer({ atExchangeWrite })')
    this.lostAnswers.set(
      this.exchangeWrites + options.atExchangeWrite,
      options.killSession ? 'kill' : 'error',
    )
  }

  latencyMs(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('latencyMs(ms) must be 0 or more')
    this.latency = ms
  }

  throttleCmdlets(options: { times: number; retryAfterMs?: number }): void {
    positive(options.times, 'throttleCmdlets({ times })')
    for (let i = 0; i < options.times; i++) this.cmdletThrottles.push(options.retryAfterMs ?? 50)
  }

  reset(): void {
    this.afterRequests.clear()
    this.lostAnswers.clear()
    this.latency = 0
    this.cmdletThrottles = []
    this.failingWrites.clear()
    this.throttles = []
    this.drops.clear()
    this.kills.clear()
  }

  /** Counts one write; true when this write is armed to fail. */
  nextWrite(): boolean {
    this.writes += 1
    return this.failingWrites.delete(this.writes)
  }

  /** Counts one Exchange write that landed; how its answer is lost, or null when it is not. */
  nextExchangeWriteLanded(): LostAnswer | null {
    this.exchangeWrites += 1
    const lost = this.lostAnswers.get(this.exchangeWrites) ?? null
    this.lostAnswers.delete(this.exchangeWrites)
    return lost
  }

  nextGraphRequest(): GraphFault | null {
    this.graphRequests += 1
    const drop = this.drops.get(this.graphRequests)
    if (drop !== undefined) {
      this.drops.delete(this.graphRequests)
      return { kind: 'dropConnection', afterWrite: drop }
    }
    const throttle = this.throttles.shift()
    return throttle ? { kind: 'throttle', ...throttle } : null
  }

  nextExchangeCall(): ExchangeCallFault {
    return { delayMs: this.latency, throttledForMs: this.cmdletThrottles.shift() ?? null }
  }

  nextCmdletCall(): { kill: boolean } {
    this.cmdletCalls += 1
    return { kill: this.kills.delete(this.cmdletCalls) }
  }
}
