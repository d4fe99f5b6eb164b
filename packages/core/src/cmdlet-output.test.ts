import { describe, expect, it } from 'vitest'
import { parseCmdletOutput } from './cmdlet-output'
import { diagnose } from './doctor'
import { plan } from './engine'
import { isTeamsOAuthError, TeamsOAuthError, type TeamsOAuthErrorOf } from './errors'
import { exchangeServerObject } from './exchange-objects'
import type { CmdletCall, CmdletObject, EntraPort, ExchangePort } from './ports'
import { buildRunbook } from './runbook'

/** An Exchange that answers every read with these objects (or nothing). */
const exchangeAnswering = (answers: Record<string, CmdletObject[]>): ExchangePort => ({
  invoke: async (call: CmdletCall) => answers[call.cmdlet] ?? [],
  exportCertificate: async () => null,
  hasParameter: async () => true,
})
const noEntra: EntraPort = { getServicePrincipal: async () => null, setKeyCredentials: async () => {} }

const failureOf = async (promise: Promise<unknown>): Promise<TeamsOAuthErrorOf> => {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  )
  if (!isTeamsOAuthError(outcome)) throw new Error(`expected a TeamsOAuthError, got ${String(outcome)}`)
  return outcome
}

describe('cmdlet output core cannot read', () => {
  it('is EXCHANGE_OUTPUT_INVALID naming the cmdlet, the property and what came instead', () => {
    const server = {
      Name: 'EX01',
      Fqdn: 'ex01.contoso.com',
      AdminDisplayVersion: 'Version 15.2 (Build 1544.4)',
      ServerRole: 2,
    }
    let failure: unknown
    try {
      parseCmdletOutput('Get-ExchangeServer', exchangeServerObject, server)
    } catch (error) {
      failure = error
    }
    expect(failure).toBeInstanceOf(TeamsOAuthError)
    expect(failure).toMatchObject({
      code: 'EXCHANGE_OUTPUT_INVALID',
      message: expect.stringMatching(
        /^Get-ExchangeServer returned output teams-oauth cannot read: ServerRole is the number 2/,
      ),
      data: {
        cmdlet: 'Get-ExchangeServer',
        property: 'ServerRole',
        issues: [
          { field: 'Get-ExchangeServer.ServerRole', problem: expect.any(String), fix: expect.any(String) },
        ],
      },
    })
  })

  it('gives the plain object back when it parses', () => {
    const server = {
      Name: 'EX01',
      Fqdn: 'ex01.contoso.com',
      AdminDisplayVersion: 'Version 15.2 (Build 1544.4)',
      ServerRole: 'Mailbox',
    }
    expect(parseCmdletOutput('Get-ExchangeServer', exchangeServerObject, server)).toEqual(server)
  })

  it('stops doctor with a typed error, never a raw ZodError', async () => {
    const exchange = exchangeAnswering({
      'Get-PartnerApplication': [
        {
          Name: 'TeamsScheduler',
          ApplicationIdentifier: '7557eb47-c689-4224-abcf-aef9bd7573df',
          Enabled: 'True',
          LinkedAccount: null,
          Realm: '',
          UseAuthServer: true,
        },
      ],
    })
    const failure = await failureOf(
      diagnose({ exchange, entra: noEntra }, { profile: 'teams', domain: 'contoso.com' }),
    )
    expect(failure.code).toBe('EXCHANGE_OUTPUT_INVALID')
    expect(failure.data).toMatchObject({ cmdlet: 'Get-PartnerApplication', property: 'Enabled' })
  })

  it('stops plan with a typed error naming the step', async () => {
    const exchange = exchangeAnswering({
      'Get-MailUser': [{ Name: 'TeamsScheduler', Identity: { Name: 'TeamsScheduler' } }],
    })
    const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com' })
    const failure = await failureOf(plan(runbook, { exchange, entra: noEntra }))
    expect(failure.code).toBe('EXCHANGE_OUTPUT_INVALID')
    expect(failure.message).toMatch(/^mail user TeamsScheduler: Get-MailUser returned output/)
    expect(failure.data).toMatchObject({ cmdlet: 'Get-MailUser', step: 'mailUser.TeamsScheduler' })
  })
})
