import { type ExchangePort, TeamsOAuthError } from '@teams-oauth/core'
import { type LoadedFake, loadFake } from '../fake-state'
import type { CliIO } from '../io'

export interface AuditTarget {
  exchange: ExchangePort
  /** What the output names as the target: fake, fake-pwsh, local or the URI. */
  label: string
  fake: LoadedFake | null
  close(): Promise<void>
}

/**
 * Exchange for the audit, as a pool of `concurrency` sessions (one in process for the fake), with
 * reads retried on Exchange throttling.
 */
export async function openAuditTarget(
  target: string,
  options: { state?: string; concurrency: number; progress: (message: string) => void },
  io: CliIO,
): Promise<AuditTarget> {
  const { withThrottlingRetry, connectExchangePool } = await import('@teams-oauth/exchange')
  const onRetry = (event: { cmdlet: string; attempt: number; delayMs: number }) =>
    options.progress(
      `Exchange throttled ${event.cmdlet}; trying again in ${event.delayMs} ms (attempt ${event.attempt + 1})`,
    )
  const fake = target === 'fake' || target === 'fake-pwsh' ? await loadFake(options.state, io.env) : null
  if (fake) {
    options.progress(
      `Note: Exchange here is the embedded fake (${options.state ? `kept in ${options.state}` : 'not kept'}); nothing real is read. Real targets: --exchange local|<URI>.`,
    )
    // testing aid: every call of the fake takes this long, as a real server's round trip
    const latency = Number(io.env.TEAMS_OAUTH_FAKE_LATENCY_MS)
    if (Number.isFinite(latency) && latency > 0) fake.tenant.faults.latencyMs(latency)
  }
  if (target === 'fake' && fake)
    return {
      exchange: withThrottlingRetry(fake.tenant.exchange, { onRetry }),
      label: 'fake',
      fake,
      close: async () => fake.save(),
    }
  const { locatePwsh } = await import('@teams-oauth/powershell')
  if (target === 'fake-pwsh' && fake) {
    const { startFakeExchangeServer } = await import('@teams-oauth/fakes/pwsh')
    const door = await startFakeExchangeServer(fake.tenant)
    try {
      const pool = await connectExchangePool({
        mode: 'module',
        modulePath: door.modulePath,
        moduleArguments: [door.url],
        executable: locatePwsh() ?? 'pwsh',
        onProgress: options.progress,
        concurrency: options.concurrency,
      })
      return {
        exchange: withThrottlingRetry(pool, { onRetry }),
        label: 'fake-pwsh',
        fake,
        async close() {
          await pool.close()
          await door.close()
          fake.save()
        },
      }
    } catch (error) {
      await door.close()
      throw error
    }
  }
  if (target === 'local' && process.platform !== 'win32')
    throw new TeamsOAuthError(
      'INPUT_INVALID',
      '--exchange local runs on an Exchange server, in its Exchange Management Shell (Windows); from this machine connect remotely: --exchange https://ex01.contoso.com/PowerShell/',
      { field: 'exchange' },
    )
  const pool = await connectExchangePool({
    ...(target === 'local'
      ? { mode: 'local' as const }
      : { mode: 'remote' as const, connectionUri: target, executable: locatePwsh() ?? 'pwsh' }),
    onProgress: options.progress,
    concurrency: options.concurrency,
  })
  return {
    exchange: withThrottlingRetry(pool, { onRetry }),
    label: target,
    fake: null,
    close: () => pool.close(),
  }
}
