import { type ExchangeErrorData, TeamsOAuthError } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { makeTestCertificate } from './certificates'
import { appIds, scenarios } from './seed'
import { createFakeTenant, type FakeTenant } from './tenant'

const base64 = (der: Uint8Array) => Buffer.from(der).toString('base64')

/** The teams profile's writes, roughly as core will issue them. */
async function configureTeams(tenant: FakeTenant) {
  await tenant.exchange.invoke({
    cmdlet: 'New-MailUser',
    params: {
      Name: 'TeamsScheduler',
      ApplicationAccount: true,
      ExternalEmailAddress: 'TeamsScheduler@contoso.com',
    },
  })
  await tenant.exchange.invoke({
    cmdlet: 'Set-MailUser',
    params: { Identity: 'TeamsScheduler', HiddenFromAddressListsEnabled: true },
  })
  await tenant.exchange.invoke({
    cmdlet: 'New-ManagementRole',
    params: { Name: 'TeamsSchedulerRole', Parent: 'UserApplication' },
  })
  await tenant.exchange.invoke({
    cmdlet: 'New-ManagementRoleAssignment',
    params: { Role: 'TeamsSchedulerRole', User: 'TeamsScheduler' },
  })
  const sp = await tenant.entra.getServicePrincipal(appIds.teamsScheduler)
  const cert = makeTestCertificate({ subject: 'CN=Determinism' })
  await tenant.entra.setKeyCredentials(sp!.id, [
    ...sp!.keyCredentials.map((k) => ({ ...k, key: k.key! })),
    { type: 'AsymmetricX509Cert', usage: 'Verify', key: base64(cert.der), displayName: 'Exchange auth' },
  ])
}

describe('state', () => {
  it('round-trips through JSON and restores exactly', async () => {
    const tenant = createFakeTenant()
    await configureTeams(tenant)
    const saved = JSON.parse(JSON.stringify(tenant.state()))
    const restored = createFakeTenant({ state: saved })
    expect(restored.state()).toEqual(tenant.state())
    expect(
      await restored.exchange.invoke({ cmdlet: 'Get-MailUser', params: { Identity: 'TeamsScheduler' } }),
    ).toEqual(
      await tenant.exchange.invoke({ cmdlet: 'Get-MailUser', params: { Identity: 'TeamsScheduler' } }),
    )
  })

  it('is a copy: changing it changes nothing in the tenant', () => {
    const tenant = createFakeTenant()
    const copy = tenant.state()
    copy.exchange.mailUsers = []
    expect(tenant.state().exchange.mailUsers.length).toBeGreaterThan(0)
  })

  it('refuses a state that is not one', () => {
    expect(() => createFakeTenant({ state: { version: 1 } as never })).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID' }),
    )
  })

  it('ends two tenants doing the same writes in deep-equal states', async () => {
    const a = createFakeTenant()
    const b = createFakeTenant()
    await configureTeams(a)
    await configureTeams(b)
    expect(a.state()).toEqual(b.state())
    expect(a.changes).toEqual(b.changes)
  })
})

describe('change log', () => {
  it('records every write and nothing for reads', async () => {
    const tenant = createFakeTenant()
    await tenant.exchange.invoke({ cmdlet: 'Get-AuthConfig', params: {} })
    await tenant.entra.getServicePrincipal(appIds.teamsScheduler)
    tenant.graph.listServicePrincipals()
    expect(tenant.changes).toEqual([])
    await configureTeams(tenant)
    expect(tenant.changes.map((c) => [c.seq, c.system, c.operation])).toEqual([
      [1, 'exchange', 'New-MailUser'],
      [2, 'exchange', 'Set-MailUser'],
      [3, 'exchange', 'New-ManagementRole'],
      [4, 'exchange', 'New-ManagementRoleAssignment'],
      [5, 'entra', 'setKeyCredentials'],
    ])
    expect(tenant.changes[3]?.target).toBe('TeamsSchedulerRole-TeamsScheduler')
  })

  it('does not record a failed cmdlet', async () => {
    const tenant = createFakeTenant()
    await tenant.exchange
      .invoke({ cmdlet: 'Remove-MailUser', params: { Identity: 'ghost' } })
      .catch(() => undefined)
    expect(tenant.changes).toEqual([])
  })
})

describe('faults', () => {
  it('fails the n-th write once, Exchange and Entra counted together, changing nothing', async () => {
    const tenant = createFakeTenant()
    tenant.faults.failWrite(2)
    await tenant.exchange.invoke({
      cmdlet: 'New-MailUser',
      params: { Name: 'A', ExternalEmailAddress: 'a@contoso.com' },
    })
    await tenant.exchange.invoke({ cmdlet: 'Get-MailUser', params: {} })
    const before = tenant.state()
    const error = await tenant.exchange
      .invoke({ cmdlet: 'Set-MailUser', params: { Identity: 'A', HiddenFromAddressListsEnabled: true } })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TeamsOAuthError)
    expect((error as TeamsOAuthError).code).toBe('EXCHANGE_CMDLET_FAILED')
    expect(((error as TeamsOAuthError).data as ExchangeErrorData).cmdlet).toBe('Set-MailUser')
    expect(tenant.state()).toEqual(before)
    await tenant.exchange.invoke({
      cmdlet: 'Set-MailUser',
      params: { Identity: 'A', HiddenFromAddressListsEnabled: true },
    })
    expect(tenant.changes.map((c) => c.operation)).toEqual(['New-MailUser', 'Set-MailUser'])
  })

  it('fails an Entra write with FAULT_INJECTED in process and 500 through the Graph operations', async () => {
    const tenant = createFakeTenant()
    const sp = tenant.graph.getServicePrincipal({ appId: appIds.cloudVoicemail })!
    const keys = sp.keyCredentials.map((k) => ({ ...k, key: k.key! }))
    tenant.faults.failWrite(1)
    await expect(tenant.entra.setKeyCredentials(sp.id, keys)).rejects.toMatchObject({
      code: 'FAULT_INJECTED',
    })
    tenant.faults.failWrite(1)
    expect(() => tenant.graph.patchKeyCredentials(sp.id, { keyCredentials: keys })).toThrow(
      expect.objectContaining({ status: 500 }),
    )
    tenant.graph.patchKeyCredentials(sp.id, { keyCredentials: keys })
    expect(tenant.changes).toHaveLength(1)
  })

  it('throttles the next Graph requests, then answers normally', () => {
    const tenant = createFakeTenant()
    tenant.faults.throttle({ times: 2, status: 503, retryAfterSeconds: 7 })
    expect(tenant.faultHooks.nextGraphRequest()).toEqual({
      kind: 'throttle',
      status: 503,
      retryAfterSeconds: 7,
    })
    expect(tenant.faultHooks.nextGraphRequest()).toEqual({
      kind: 'throttle',
      status: 503,
      retryAfterSeconds: 7,
    })
    expect(tenant.faultHooks.nextGraphRequest()).toBeNull()
  })

  it('drops the n-th Graph request from now, after the write when asked', () => {
    const tenant = createFakeTenant()
    tenant.faultHooks.nextGraphRequest()
    tenant.faults.dropConnection({ atRequest: 2, afterWrite: true })
    expect(tenant.faultHooks.nextGraphRequest()).toBeNull()
    expect(tenant.faultHooks.nextGraphRequest()).toEqual({ kind: 'dropConnection', afterWrite: true })
    expect(tenant.faultHooks.nextGraphRequest()).toBeNull()
  })

  it('kills the session at the n-th forwarded call, and reset disarms everything', () => {
    const tenant = createFakeTenant()
    tenant.faults.killSession({ atCall: 2 })
    expect(tenant.faultHooks.nextCmdletCall()).toEqual({ kill: false })
    expect(tenant.faultHooks.nextCmdletCall()).toEqual({ kill: true })
    tenant.faults.killSession({ atCall: 1 })
    tenant.faults.throttle({ times: 1 })
    tenant.faults.reset()
    expect(tenant.faultHooks.nextCmdletCall()).toEqual({ kill: false })
    expect(tenant.faultHooks.nextGraphRequest()).toBeNull()
  })
})

describe('seeds', () => {
  it('let a test replace a whole section', async () => {
    const tenant = createFakeTenant({ exchange: { authServers: [] } })
    expect(await tenant.exchange.invoke({ cmdlet: 'Get-AuthServer', params: {} })).toEqual([])
  })

  it('hold Microsoft keys on every first-party service principal, one of them expired', async () => {
    const tenant = createFakeTenant(scenarios.fresh())
    for (const appId of Object.values(appIds)) {
      const sp = await tenant.entra.getServicePrincipal(appId)
      expect(sp?.keyCredentials.length).toBeGreaterThan(0)
    }
    const sp = await tenant.entra.getServicePrincipal(appIds.skypeForBusinessOnline)
    const ends = sp!.keyCredentials.map((k) => new Date(k.endDateTime!).getTime())
    expect(ends.some((end) => end < Date.now())).toBe(true)
    expect(ends.some((end) => end > Date.now())).toBe(true)
  })
})
