import { createPowerShellSession } from '@teams-oauth/powershell'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { seededTenant, sfbAppId } from '../../graph/test/entra-port-contract'
import { msolEntra } from '../src/msol-entra'
import { addKeyKeepingEvery, msolThroughDoor } from './msol-door'

const pwsh = pwshTestGate()

describe.runIf(pwsh.run)('msolEntra when the PowerShell process dies', () => {
  const door = msolThroughDoor(pwsh.executable)

  it('finishes a write in a fresh process of its own session, with the keys asked for', async () => {
    const tenant = seededTenant()
    const { entra, read } = await door.openEntra(tenant)
    tenant.faults.killSession({ atCall: 2 }) // call 1 reads the keys, call 2 adds the new certificate
    await addKeyKeepingEvery(entra, tenant, read)
    // the process died under the add, and the write was finished in the next one
    expect(door.crashRetries()).toBe(1)
  })

  it('imports and connects again in a given session before retrying a read', async () => {
    const tenant = seededTenant()
    const { env, modulePath } = await door.open(tenant)
    const session = createPowerShellSession({ executable: pwsh.executable, env })
    door.closeAfter(() => session.close())
    const entra = msolEntra({ session, allowCore: true, modulePath, onDebug: (line) => door.log.push(line) })
    await entra.ready()
    tenant.faults.killSession({ atCall: 1 })
    await expect(entra.getServicePrincipal(sfbAppId)).resolves.toMatchObject({ appId: sfbAppId })
    expect(door.crashRetries()).toBe(1)
    expect(session.stats.processesStarted).toBe(2)
  })
})
