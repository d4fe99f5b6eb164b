import { keepKey } from '@teams-oauth/core'
import { type FakeExchangeServer, type FakeTenant, startFakeExchangeServer } from '@teams-oauth/fakes'
import { createPowerShellSession } from '@teams-oauth/powershell'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { newKey, seededTenant, sfbAppId, truth } from '../../graph/test/entra-port-contract'
import { msolEntra } from '../src/msol-entra'

const pwsh = pwshTestGate()

describe.runIf(pwsh.run)('msolEntra when the PowerShell process dies', () => {
  let door: FakeExchangeServer | null = null
  let tenant: FakeTenant
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step()
    await door?.close()
  })

  async function open() {
    tenant = seededTenant()
    door = await startFakeExchangeServer(tenant)
    return { env: { ...process.env, TEAMS_OAUTH_FAKE_URL: door.url }, modulePath: door.modulePath }
  }

  it('finishes a write in a fresh process of its own session, with the keys asked for', async () => {
    const { env, modulePath } = await open()
    const entra = msolEntra({ executable: pwsh.executable, allowCore: true, modulePath, env })
    cleanup.push(() => entra.close())
    const read = await entra.getServicePrincipal(sfbAppId)
    if (!read) throw new Error('seeded service principal not found')
    const before = truth(tenant, sfbAppId)
    tenant.faults.killSession({ atCall: 2 }) // the New-MsolServicePrincipalCredential call
    await entra.setKeyCredentials(read.id, [...read.keyCredentials.map(keepKey), newKey()])
    const after = truth(tenant, sfbAppId)
    expect(after?.keyCredentials).toHaveLength(3)
    for (const key of before?.keyCredentials ?? []) expect(after?.keyCredentials).toContainEqual(key)
  })

  it('imports and connects again in a given session before retrying a read', async () => {
    const { env, modulePath } = await open()
    const session = createPowerShellSession({ executable: pwsh.executable, env })
    cleanup.push(() => session.close())
    const entra = msolEntra({ session, allowCore: true, modulePath })
    await entra.ready()
    tenant.faults.killSession({ atCall: 1 })
    await expect(entra.getServicePrincipal(sfbAppId)).resolves.toMatchObject({ appId: sfbAppId })
    expect(session.stats.processesStarted).toBe(2)
  })
})
