import { type ExchangeErrorData, TeamsOAuthError } from '@teams-oauth/core'
import { expect } from 'vitest'

/** The error data of a cmdlet that must fail: Exchange's (or MSOnline's) words, as the doors throw them. */
export async function cmdletFailure(promise: Promise<unknown>): Promise<ExchangeErrorData> {
  const error = await promise.then(
    () => {
      throw new Error('expected the cmdlet to fail')
    },
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(TeamsOAuthError)
  expect((error as TeamsOAuthError).code).toBe('EXCHANGE_CMDLET_FAILED')
  return (error as TeamsOAuthError).data as ExchangeErrorData
}
