import type { ServicePrincipal } from '@teams-oauth/core'
import { keepKey } from '@teams-oauth/core/adapter'
import type { FakeTenant } from '@teams-oauth/fakes'
import { type FakeExchangeServer, startFakeExchangeServer } from '@teams-oauth/fakes/pwsh'
import { afterEach, expect } from 'vitest'
import { newKey, sfbAppId, truth } from '../../graph/test/entra-port-contract'
import { type MsolEntra, msolEntra } from '../src/msol-entra'

/** What msolEntra logs when a call met a dead PowerShell process and it tries again in a new one. */
const crashRetry = 'msol: POWERSHELL_CRASHED, retrying once in a fresh process'

/**
 * msolEntra in pwsh against a fake tenant through the PowerShell door: one door per test, closed
 * after it with every adapter and session the test opened. Call it inside a describe.
 */
export function msolThroughDoor(executable: string) {
  let door: FakeExchangeServer | null = null
  const cleanup: (() => Promise<void>)[] = []
  const log: string[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step()
    await door?.close()
    door = null
  })

  return {
    /** What the adapters opened here logged. */
    log,
    /** How many times an adapter found its PowerShell process dead and ran the call again. */
    crashRetries: () => log.filter((line) => line === crashRetry).length,
    /** Closes this after the test. */
    closeAfter(close: () => Promise<void>) {
      cleanup.push(close)
    },
    /** Starts the door for the tenant: its module and the environment a pwsh needs to reach it. */
    async open(tenant: FakeTenant) {
      log.length = 0
      door = await startFakeExchangeServer(tenant)
      return { env: { ...process.env, TEAMS_OAUTH_FAKE_URL: door.url }, modulePath: door.modulePath }
    },
    /** The door for the tenant and msolEntra in a session of its own, and the Skype for Business principal read. */
    async openEntra(tenant: FakeTenant): Promise<{ entra: MsolEntra; read: ServicePrincipal }> {
      const { env, modulePath } = await this.open(tenant)
      const entra = msolEntra({
        executable,
        allowCore: true,
        modulePath,
        env,
        onDebug: (line) => log.push(line),
      })
      cleanup.push(() => entra.close())
      const read = await entra.getServicePrincipal(sfbAppId)
      if (!read) throw new Error('seeded service principal not found')
      return { entra, read }
    },
  }
}

/** Writes every key read plus a new certificate, and checks that the tenant then holds each key it held and the new one. */
export async function addKeyKeepingEvery(entra: MsolEntra, tenant: FakeTenant, read: ServicePrincipal) {
  const before = truth(tenant, sfbAppId)?.keyCredentials ?? []
  await entra.setKeyCredentials(read.id, [...read.keyCredentials.map(keepKey), newKey()])
  const after = truth(tenant, sfbAppId)?.keyCredentials ?? []
  expect(after).toHaveLength(before.length + 1)
  for (const key of before) expect(after).toContainEqual(key)
  expect(after.map((key) => key.key)).toContain(newKey().key)
}
