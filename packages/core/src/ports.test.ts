import { describe, expect, it } from 'vitest'
import { TeamsOAuthError } from './errors'
import {
  type ExchangePort,
  exchangeCmdletError,
  exchangeThrottling,
  isExchangeNotFound,
  readFound,
} from './ports'

const error = (category: string, reason: string, fullyQualifiedErrorId: string) =>
  exchangeCmdletError({
    cmdlet: 'Get-PartnerApplication',
    message: 'm',
    category,
    reason,
    fullyQualifiedErrorId,
  })

describe('isExchangeNotFound', () => {
  it("is true for Exchange's couldn't-be-found errors", () => {
    expect(
      isExchangeNotFound(
        error('NotSpecified', 'ManagementObjectNotFoundException', 'ABC,Microsoft.Exchange.GetX'),
      ),
    ).toBe(true)
    expect(isExchangeNotFound(error('ObjectNotFound', 'ItemNotFoundException', 'x'))).toBe(true)
  })

  it('is false for a cmdlet the session does not have, which is no absent object', () => {
    expect(
      isExchangeNotFound(error('ObjectNotFound', 'CommandNotFoundException', 'CommandNotFoundException')),
    ).toBe(false)
  })

  it('is false for other failures', () => {
    expect(isExchangeNotFound(error('NotSpecified', 'ADObjectAlreadyExistsException', 'x'))).toBe(false)
    expect(isExchangeNotFound(new Error('x'))).toBe(false)
  })
})

describe('isExchangeNotFound, by each part of the error', () => {
  it('knows an absent object by its category, its reason or its error id', () => {
    expect(isExchangeNotFound(error('ObjectNotFound', 'x', 'y'))).toBe(true)
    expect(isExchangeNotFound(error('NotSpecified', 'x', 'ManagementObjectNotFoundException,Get-X'))).toBe(
      true,
    )
    expect(isExchangeNotFound(error('NotSpecified', 'x', 'ObjectNotFound,Get-X'))).toBe(true)
    expect(isExchangeNotFound(error('NotSpecified', 'ObjectNotFound', 'y'))).toBe(true)
  })

  it('is false for a missing cmdlet named only in the error id', () => {
    expect(isExchangeNotFound(error('ObjectNotFound', 'x', 'CommandNotFoundException'))).toBe(false)
  })

  it('is false for another code with not-found data', () => {
    const other = new TeamsOAuthError('POWERSHELL_COMMAND_FAILED', 'x', {
      command: 'Get-PartnerApplication',
      message: 'not found',
      category: 'ObjectNotFound',
      reason: 'ManagementObjectNotFoundException',
      fullyQualifiedErrorId: 'x',
      target: null,
    })
    expect(isExchangeNotFound(other)).toBe(false)
  })
})

describe('exchangeThrottling', () => {
  const failure = (message: string, reason = 'x') =>
    exchangeCmdletError({
      cmdlet: 'Get-Mailbox',
      message,
      category: 'NotSpecified',
      reason,
      fullyQualifiedErrorId: 'x',
    })

  it.each([
    [
      'the user load quota of 10 requests per 1 seconds has been exceeded. Send requests at least 2500 milliseconds apart.',
      2500,
    ],
    [
      'Fail to create a runspace because you have exceeded the maximum number of connections allowed: 18',
      1000,
    ],
    ['you have exceeded the maximum number of cmdlets', 1000],
    ['The request was throttled', 1000],
    ['THROTTLED by policy', 1000],
  ])('reads %s as throttling, retrying after %i ms', (message, retryAfterMs) => {
    expect(exchangeThrottling(failure(message))).toEqual({ retryAfterMs })
  })

  it('reads OverBudget in the reason as throttling', () => {
    expect(exchangeThrottling(failure('no', 'OverBudgetException'))).toEqual({ retryAfterMs: 1000 })
  })

  it('is null for other failures, and for errors that are not a cmdlet failure', () => {
    expect(exchangeThrottling(failure("The operation couldn't be performed"))).toBeNull()
    expect(exchangeThrottling(new Error('throttled'))).toBeNull()
    expect(
      exchangeThrottling(
        new TeamsOAuthError('POWERSHELL_COMMAND_FAILED', 'x', {
          command: 'Get-Mailbox',
          message: 'throttled',
          category: 'x',
          reason: 'OverBudget',
          fullyQualifiedErrorId: 'x',
          target: null,
        }),
      ),
    ).toBeNull()
  })
})

describe('readFound', () => {
  const port = (invoke: ExchangePort['invoke']): ExchangePort => ({
    invoke,
    exportCertificate: async () => null,
    hasParameter: async () => false,
  })
  const call = { cmdlet: 'Get-MailUser', params: { Identity: 'TeamsScheduler' } }

  it('gives what the cmdlet answered', async () => {
    const user = {
      Name: 'TeamsScheduler',
      Identity: 'contoso.com/Users/TeamsScheduler',
      Alias: 'TeamsScheduler',
      ExternalEmailAddress: 'SMTP:TeamsScheduler@contoso.com',
      HiddenFromAddressListsEnabled: true,
      RecipientTypeDetails: 'MailUser',
      Guid: '3c67a56e-22c3-5b33-bd5c-f8e59adbc964',
    }
    let seen: unknown
    const found = await readFound(
      port(async (c) => {
        seen = c
        return [user]
      }),
      call,
    )
    expect(seen).toEqual(call)
    expect(found).toEqual([user])
  })

  it('gives nothing for an object Exchange does not know', async () => {
    const notFound = error('NotSpecified', 'ManagementObjectNotFoundException', 'x')
    expect(
      await readFound(
        port(async () => {
          throw notFound
        }),
        call,
      ),
    ).toEqual([])
  })

  it('passes on any other failure', async () => {
    const denied = error('PermissionDenied', 'UnauthorizedAccessException', 'x')
    await expect(
      readFound(
        port(async () => {
          throw denied
        }),
        call,
      ),
    ).rejects.toBe(denied)
  })

  it('refuses an answer that is not the shape the cmdlet gives', async () => {
    await expect(
      readFound(
        port(async () => [{ Name: 42 }]),
        call,
      ),
    ).rejects.toThrow(/^Get-MailUser returned output teams-oauth cannot read: /)
  })
})
