import { describe, expect, it } from 'vitest'
import { z } from 'zod'
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

describe('what parseCmdletOutput says came instead', () => {
  const schema = exchangeServerObject
  const good = {
    Name: 'EX01',
    Fqdn: 'ex01.contoso.com',
    AdminDisplayVersion: 'Version 15.2 (Build 1544.4)',
    ServerRole: 'Mailbox',
  }
  const failure = (value: unknown) => {
    try {
      parseCmdletOutput('Get-ExchangeServer', schema, value)
    } catch (error) {
      return error as TeamsOAuthErrorOf
    }
    throw new Error('parsed')
  }

  it.each([
    [{ ...good, ServerRole: undefined }, 'ServerRole is missing: '],
    [{ ...good, ServerRole: null }, 'ServerRole is null: '],
    [{ ...good, ServerRole: ['Mailbox'] }, 'ServerRole is an array: '],
    [{ ...good, ServerRole: { Value: 'Mailbox' } }, 'ServerRole is an object: '],
    [{ ...good, ServerRole: true }, 'ServerRole is the boolean true: '],
    ['EX01', '(the object) is the string "EX01": '],
    [null, '(the object) is null: '],
  ])('%j: %s', (value, problem) => {
    const error = failure(value)
    expect(
      error.message.startsWith(`Get-ExchangeServer returned output teams-oauth cannot read: ${problem}`),
    ).toBe(true)
    const issue = (error.data as { issues: { field: string; problem: string; fix: string }[] }).issues[0]!
    expect(issue.problem.startsWith(problem)).toBe(true)
    const property = problem.split(' is ')[0]
    expect(issue.field).toBe(`Get-ExchangeServer.${property}`)
    expect((error.data as { property: string }).property).toBe(property)
    expect(issue.fix).toBe(
      `the Exchange port must return Get-ExchangeServer's ${property} in the plain form core reads (enum names, identities and versions as strings, dates as ISO 8601 UTC)`,
    )
    expect(error.cause).toBeDefined()
  })

  it('cuts a long value it quotes to 60 characters', () => {
    try {
      parseCmdletOutput('Get-MailUser', z.object({ Hidden: z.boolean() }), { Hidden: 'x'.repeat(100) })
      throw new Error('parsed')
    } catch (error) {
      expect((error as Error).message).toContain(`Hidden is the string "${'x'.repeat(59)}: `)
    }
  })

  it('names every property that does not parse, the first in the message', () => {
    const error = failure({ ...good, Name: 1, Fqdn: 2 })
    const issues = (error.data as { issues: { field: string }[] }).issues
    expect(issues.map((i) => i.field)).toEqual(['Get-ExchangeServer.Name', 'Get-ExchangeServer.Fqdn'])
    expect(error.message).toMatch(/cannot read: Name is the number 1: /)
  })
})
