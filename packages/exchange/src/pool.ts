import {
  type CmdletCall,
  type CmdletObject,
  maxAuditConcurrency,
  type ReadOptions,
  TeamsOAuthError,
} from '@teams-oauth/core'
import { type ConnectExchangeOptions, connectExchange, type ExchangeConnectionPort } from './connect'

/** Exchange over several PowerShell sessions at once: each call goes to a free one. */
export interface ExchangePoolPort {
  invoke(call: CmdletCall, options?: ReadOptions): Promise<CmdletObject[]>
  exportCertificate(thumbprint: string): Promise<Uint8Array | null>
  hasParameter(cmdlet: string, parameter: string): Promise<boolean>
  close(): Promise<void>
  readonly size: number
}

export type ConnectExchangePoolOptions = ConnectExchangeOptions & {
  /**
   * Sessions opened (default 4). At most 16: Exchange's default throttling policy allows 18
   * PowerShell connections per admin (PowerShellMaxConcurrency), and the admin's own shells need some.
   */
  concurrency?: number
}

/** Opens `concurrency` sessions in parallel and spreads calls over them, first free first served. */
export async function connectExchangePool(options: ConnectExchangePoolOptions): Promise<ExchangePoolPort> {
  const size = options.concurrency ?? 4
  if (!Number.isInteger(size) || size < 1 || size > maxAuditConcurrency)
    throw new TeamsOAuthError(
      'INPUT_INVALID',
      `concurrency: ${size} is not a whole number from 1 to ${maxAuditConcurrency} (Exchange's default throttling policy allows 18 PowerShell connections per admin)`,
      { issues: [{ field: 'concurrency', problem: `${size} is out of range`, fix: '--concurrency 4' }] },
    )
  const opened = await Promise.allSettled(
    Array.from({ length: size }, (_, i) =>
      connectExchange({ ...options, ...(i > 0 ? { onProgress: () => {} } : {}) }),
    ),
  )
  const sessions = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))
  const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected')
  if (failed) {
    await Promise.all(sessions.map((s) => s.close().catch(() => {})))
    throw failed.reason
  }
  const idle: ExchangeConnectionPort[] = [...sessions]
  const waiting: ((session: ExchangeConnectionPort) => void)[] = []
  const acquire = () =>
    new Promise<ExchangeConnectionPort>((resolve) => {
      const free = idle.pop()
      if (free) resolve(free)
      else waiting.push(resolve)
    })
  const release = (session: ExchangeConnectionPort) => {
    const next = waiting.shift()
    if (next) next(session)
    else idle.push(session)
  }
  const on = async <T>(work: (session: ExchangeConnectionPort) => Promise<T>): Promise<T> => {
    const session = await acquire()
    try {
      return await work(session)
    } finally {
      release(session)
    }
  }
  return {
    size,
    invoke: (call, read) => on((s) => s.invoke(call, read)),
    exportCertificate: (thumbprint) => on((s) => s.exportCertificate(thumbprint)),
    hasParameter: (cmdlet, parameter) => on((s) => s.hasParameter(cmdlet, parameter)),
    async close() {
      await Promise.all(sessions.map((s) => s.close()))
    },
  }
}
