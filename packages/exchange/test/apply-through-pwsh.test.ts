import { apply, buildRunbook, plan, profileNames, TeamsOAuthError, verify } from '@teams-oauth/core'
import { isExchangeNotFound } from '@teams-oauth/core/adapter'
import { createFakeTenant } from '@teams-oauth/fakes'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { standIn } from './stand-in'

const pwsh = pwshTestGate()

describe.runIf(pwsh.run)('the engine through a real pwsh and the stand-in', () => {
  // one door and one session for the file; each test gets a fresh tenant behind them
  const stand = standIn(pwsh.executable)

  it.each(profileNames)(
    'applies profile %s, then plans zero actions and verifies, in one pwsh process',
    async (profile) => {
      const current = stand.use()
      const exchange = stand.connection
      const targets = { exchange, entra: current.entra }
      const runbook = buildRunbook({ profile, domain: 'contoso.com' })
      const started = exchange.session.stats.processesStarted
      const result = await apply(await plan(runbook, targets), targets)
      expect(result.changes).toBeGreaterThan(0)
      expect((await plan(runbook, targets)).actions).toEqual([])
      expect((await verify(runbook, targets)).ok).toBe(true)
      expect(exchange.session.stats.processesStarted).toBe(started)
      // what went through pwsh is what the in-process door would have done
      const reference = createFakeTenant({ state: createFakeTenant().state() })
      await apply(await plan(runbook, reference), reference)
      expect(current.state().exchange).toEqual(reference.state().exchange)
    },
  )

  it("reports an Exchange error naming the step, the cmdlet and Exchange's own words, without PowerShell noise", async () => {
    const current = stand.use()
    const exchange = stand.connection
    const targets = { exchange, entra: current.entra }
    const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com' })
    const planned = await plan(runbook, targets)
    // between plan and apply, another admin gives the address the account would get to someone else
    await current.invokeCmdlet({
      cmdlet: 'New-MailUser',
      params: { Name: 'Someone', ExternalEmailAddress: 'TeamsScheduler-ApplicationAccount@contoso.com' },
    })
    const error = await apply(planned, targets).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(TeamsOAuthError)
    const failure = error as TeamsOAuthError
    expect(failure.code).toBe('EXCHANGE_CMDLET_FAILED')
    expect(failure.message).toMatch(
      /^mail user TeamsScheduler: New-MailUser: The proxy address "SMTP:TeamsScheduler-ApplicationAccount@contoso.com" is already being used/,
    )
    expect(failure.message).not.toMatch(/At line|CategoryInfo|FullyQualifiedErrorId|\+ ~~~|ScriptStackTrace/)
    expect(failure.data).toMatchObject({
      step: 'mailUser.TeamsScheduler',
      cmdlet: 'New-MailUser',
      reason: 'ProxyAddressExistsException',
    })
  })

  it('a session killed mid-apply fails with a typed error; the next apply finishes on a fresh process', async () => {
    const current = stand.use()
    const exchange = stand.connection
    const targets = { exchange, entra: current.entra }
    const runbook = buildRunbook({ profile: 'all', domain: 'contoso.com' })
    const planned = await plan(runbook, targets)
    current.faults.killSession({ atCall: 5 })
    const started = exchange.session.stats.processesStarted
    const error = await apply(planned, targets).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(TeamsOAuthError)
    expect((error as TeamsOAuthError).code).toBe('POWERSHELL_CRASHED')
    await apply(await plan(runbook, targets), targets)
    // one fresh process: started to read back the write whose answer died, and kept by the next apply
    expect(exchange.session.stats.processesStarted).toBe(started + 1)
    expect((await verify(runbook, targets)).ok).toBe(true)
  })

  it('does not take a cmdlet the session lacks for an absent object, on either door', async () => {
    const current = stand.use()
    const call = { cmdlet: 'Get-PartnerApplicationX', params: {} }
    for (const port of [stand.connection, current.exchange]) {
      const error = await port.invoke(call).then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(TeamsOAuthError)
      expect(isExchangeNotFound(error)).toBe(false)
    }
  })
})
