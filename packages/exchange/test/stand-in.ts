import { createFakeTenant, type FakeTenant } from '@teams-oauth/fakes'
import {
  type FakeExchangeServer,
  type PwshDoorTenant,
  startFakeExchangeServer,
} from '@teams-oauth/fakes/pwsh'
import { afterAll, beforeAll } from 'vitest'
import { connectExchange, type ExchangeConnectionPort } from '../src/connect'

export interface StandIn {
  /** The session to the stand-in: one pwsh process for the whole file (after beforeAll). */
  readonly connection: ExchangeConnectionPort
  /** What connectExchange reported while connecting. */
  readonly progress: string[]
  /** Puts this organisation behind the door, for the next calls. */
  use(tenant?: FakeTenant): FakeTenant
}

/**
 * Starts the PowerShell stand-in's door and one connectExchange session to it for a test file,
 * with a fresh organisation swappable behind the door per test.
 */
export function standIn(executable: string, options: { env?: NodeJS.ProcessEnv } = {}): StandIn {
  let current: FakeTenant = createFakeTenant()
  const behindTheDoor: PwshDoorTenant = {
    invokeCmdlet: (call) => current.invokeCmdlet(call),
    exchange: { hasParameter: (cmdlet, parameter) => current.exchange.hasParameter(cmdlet, parameter) },
    get faultHooks() {
      return current.faultHooks
    },
  }
  let door: FakeExchangeServer | undefined
  let connection: ExchangeConnectionPort | undefined
  const progress: string[] = []

  beforeAll(async () => {
    door = await startFakeExchangeServer(behindTheDoor)
    connection = await connectExchange({
      mode: 'module',
      modulePath: door.modulePath,
      moduleArguments: [door.url],
      executable,
      env: options.env,
      onProgress: (message) => progress.push(message),
    })
  })
  afterAll(async () => {
    await connection?.close()
    await door?.close()
  })

  return {
    get connection() {
      if (!connection) throw new Error('the stand-in is not connected yet (use it inside a test)')
      return connection
    },
    progress,
    use(tenant = createFakeTenant()) {
      current = tenant
      return tenant
    },
  }
}
