import type { FakeTenant } from '@teams-oauth/fakes'
import { type FakeExchangeServer, startFakeExchangeServer } from '@teams-oauth/fakes/pwsh'
import { createPowerShellSession, type PowerShellSession } from '@teams-oauth/powershell'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { afterAll, beforeAll, describe } from 'vitest'
import { entraPortContract } from '../../graph/test/entra-port-contract'
import { msolEntra } from '../src/msol-entra'

const pwsh = pwshTestGate()

describe.runIf(pwsh.run)('msolEntra through pwsh and the PowerShell stand-in', () => {
  // One stand-in server and one pwsh process for the whole suite; each test swaps in its own tenant.
  let current: FakeTenant | null = null
  const tenant = () => {
    if (!current) throw new Error('no tenant opened')
    return current
  }
  let door: FakeExchangeServer
  let session: PowerShellSession

  beforeAll(async () => {
    door = await startFakeExchangeServer({
      invokeCmdlet: (call) => tenant().invokeCmdlet(call),
      exchange: { hasParameter: (cmdlet, parameter) => tenant().exchange.hasParameter(cmdlet, parameter) },
      faultHooks: { nextCmdletCall: () => tenant().faultHooks.nextCmdletCall() },
    })
    session = createPowerShellSession({
      executable: pwsh.executable,
      env: { ...process.env, TEAMS_OAUTH_FAKE_URL: door.url },
    })
  })
  afterAll(async () => {
    await session?.close()
    await door?.close()
  })

  entraPortContract({
    name: 'msolEntra (MSOnline cmdlets in pwsh against the stand-in)',
    keepsKeyIdsOfRestoredKeys: false,
    storesCustomKeyIdentifier: false,
    refusesKeyForms: false,
    open: async (opened) => {
      current = opened
      return {
        entra: msolEntra({ session, modulePath: door.modulePath, allowCore: true }),
        close: async () => {
          current = null
        },
      }
    },
  })
})
