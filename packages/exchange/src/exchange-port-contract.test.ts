import type { CmdletCall } from '@teams-oauth/core'
import { readFound } from '@teams-oauth/core/adapter'
import { createFakeTenant } from '@teams-oauth/fakes'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { standIn } from '../test/stand-in'
import { contractReads, exchangePortContract, failureOf } from './exchange-port-contract'

const pwsh = pwshTestGate()

exchangePortContract({
  name: 'the in-process fake',
  fresh: async () => {
    const tenant = createFakeTenant()
    return { port: tenant.exchange, tenant }
  },
})

describe.runIf(pwsh.run)('the Exchange port over pwsh and the PowerShell stand-in', () => {
  // One pwsh process for the whole file; each test swaps in a fresh organisation behind the door.
  // The server's clock is not UTC, as on most Exchange servers: its DateTimes are local time.
  const stand = standIn(pwsh.executable, { env: { ...process.env, TZ: 'America/Chicago' } })

  exchangePortContract({
    name: 'connectExchange (module mode)',
    fresh: async () => {
      const tenant = stand.use()
      return { port: stand.connection, tenant }
    },
  })

  it('says it is connecting before the first call', () => {
    expect(stand.progress[0]).toMatch(/^Connecting to Exchange/)
    expect(stand.progress.at(-1)).toBe('Connected to Exchange.')
  })

  it('reads exactly what the in-process door reads, though the stand-in hands over deserialized objects', async () => {
    stand.use()
    const local = createFakeTenant()
    for (const { call } of contractReads) {
      expect(await stand.connection.invoke(call), call.cmdlet).toEqual(await local.exchange.invoke(call))
    }
  })

  it('without the plain form, a read of deserialized output fails naming the cmdlet and the property, not with a ZodError', async () => {
    stand.use()
    const session = stand.connection.session
    const raw = {
      ...stand.connection,
      invoke: async (call: CmdletCall) =>
        (await session.invoke({ command: call.cmdlet, params: call.params })) as Record<string, unknown>[],
    }
    const failure = await failureOf(readFound(raw, { cmdlet: 'Get-ExchangeServer', params: {} }))
    expect(failure.code).toBe('EXCHANGE_OUTPUT_INVALID')
    expect(failure.data).toMatchObject({ cmdlet: 'Get-ExchangeServer', property: 'ServerRole' })
    expect(failure.message).toMatch(
      /^Get-ExchangeServer returned output teams-oauth cannot read: ServerRole is the number 2/,
    )
    const plain = await readFound(stand.connection, { cmdlet: 'Get-ExchangeServer', params: {} })
    expect(plain[0]).toMatchObject({
      ServerRole: 'Mailbox',
      AdminDisplayVersion: 'Version 15.2 (Build 1544.4)',
    })
  })

  it('fails exactly as the in-process door fails', async () => {
    stand.use()
    const local = createFakeTenant()
    const calls: CmdletCall[] = [
      { cmdlet: 'Get-MailUser', params: { Identity: 'nobody-here' } },
      {
        cmdlet: 'New-MailUser',
        params: { Name: 'Exchange Online-ApplicationAccount', ExternalEmailAddress: 'x@contoso.com' },
      },
      { cmdlet: 'Get-MailUser', params: { NoSuchParameter: 'x' } },
      { cmdlet: 'Get-ManagementRole', params: { Identity: 'NoSuchRole' } },
    ]
    for (const call of calls) {
      const [viaPwsh, inProcess] = [
        await failureOf(stand.connection.invoke(call)),
        await failureOf(local.exchange.invoke(call)),
      ]
      const shape = (error: typeof viaPwsh) => ({
        code: error.code,
        message: error.message,
        // PowerShell's own binding errors carry no target; the model names the parameter there.
        data:
          error.data.reason === 'ParameterBindingException'
            ? { ...error.data, target: undefined }
            : error.data,
      })
      expect(shape(viaPwsh), `${call.cmdlet} ${JSON.stringify(call.params)}`).toEqual(shape(inProcess))
    }
  })

  it('reports a session that dies mid-call as POWERSHELL_CRASHED and carries on in a fresh process', async () => {
    const current = stand.use()
    const connection = stand.connection
    const started = connection.session.stats.processesStarted
    current.faults.killSession({ atCall: 1 })
    const failure = await failureOf(connection.invoke({ cmdlet: 'Get-AuthConfig', params: {} }))
    expect(failure.code).toBe('POWERSHELL_CRASHED')
    const [config] = await connection.invoke({ cmdlet: 'Get-AuthConfig', params: {} })
    expect(config).toHaveProperty(
      'CurrentCertificateThumbprint',
      current.state().exchange.authConfig.currentCertificateThumbprint,
    )
    expect(connection.session.stats.processesStarted).toBe(started + 1)
  })
})
