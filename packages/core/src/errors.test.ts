import { createRequire } from 'node:module'
import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  type ErrorCode,
  isTeamsOAuthError,
  TeamsOAuthError,
  type TeamsOAuthErrorData,
  type TeamsOAuthErrorOf,
  toTeamsOAuthError,
} from './errors'
import type { ExchangeErrorData, InputIssue } from './index'

const otherCopy = () => createRequire(import.meta.url)('../dist/index.cjs') as typeof import('./index')

const notFound: ExchangeErrorData = {
  cmdlet: 'Get-MailUser',
  message: "The operation couldn't be performed because object 'x' couldn't be found.",
  category: 'NotSpecified',
  reason: 'ManagementObjectNotFoundException',
  fullyQualifiedErrorId: 'x',
}

describe('TeamsOAuthError', () => {
  it('is recognised by instanceof when it comes from another copy of the library', () => {
    const error = new (otherCopy().TeamsOAuthError)('INPUT_INVALID', 'from the CommonJS build', {
      field: 'x',
    })
    expect(error).toBeInstanceOf(TeamsOAuthError)
    expect(isTeamsOAuthError(error)).toBe(true)
    expect(isTeamsOAuthError(error, 'INPUT_INVALID')).toBe(true)
    expect(toTeamsOAuthError(error)).toBe(error)
  })

  it('is not claimed by an ordinary error that merely shares its name', () => {
    const impostor = Object.assign(new Error('plain'), { name: 'TeamsOAuthError', code: 'INPUT_INVALID' })
    expect(impostor).not.toBeInstanceOf(TeamsOAuthError)
    expect(isTeamsOAuthError(impostor)).toBe(false)
    expect(isTeamsOAuthError(impostor, 'INPUT_INVALID')).toBe(false)
    expect(toTeamsOAuthError(impostor).code).toBe('STEP_FAILED')
  })

  it('keeps the ordinary instanceof for a subclass: not every TeamsOAuthError is one', () => {
    class NarrowError extends TeamsOAuthError {}
    const narrow = new NarrowError('POWERSHELL_CRASHED', 'gone')
    expect(narrow).toBeInstanceOf(NarrowError)
    expect(narrow).toBeInstanceOf(TeamsOAuthError)
    expect(new TeamsOAuthError('POWERSHELL_CRASHED', 'gone')).not.toBeInstanceOf(NarrowError)
    expect(new (otherCopy().TeamsOAuthError)('POWERSHELL_CRASHED', 'gone')).not.toBeInstanceOf(NarrowError)
  })

  it('serialises to its code, message and data', () => {
    const error = new TeamsOAuthError('EXCHANGE_CMDLET_FAILED', 'Get-MailUser: not found', notFound)
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'EXCHANGE_CMDLET_FAILED',
      message: 'Get-MailUser: not found',
      data: notFound,
    })
    expect(new TeamsOAuthError('STEP_FAILED', 'x').data).toEqual({})
  })
})

describe('isTeamsOAuthError with a code', () => {
  const error = new TeamsOAuthError('KEY_CONCURRENT_CHANGE', 'changing', { appId: 'a', rereads: 4 })

  it('holds only for that code, or one of those codes', () => {
    expect(isTeamsOAuthError(error, 'KEY_CONCURRENT_CHANGE')).toBe(true)
    expect(isTeamsOAuthError(error, 'KEY_WRITE_UNVERIFIED')).toBe(false)
    expect(isTeamsOAuthError(error, ['KEY_WRITE_UNVERIFIED', 'KEY_CONCURRENT_CHANGE'])).toBe(true)
    expect(isTeamsOAuthError(error, ['KEY_WRITE_UNVERIFIED', 'KEY_FORM_REFUSED'])).toBe(false)
    expect(isTeamsOAuthError(error, [])).toBe(false)
  })

  it('holds for an error of the other build too', () => {
    const cjs = new (otherCopy().TeamsOAuthError)('EXCHANGE_CMDLET_FAILED', 'x', notFound)
    expect(isTeamsOAuthError(cjs, 'EXCHANGE_CMDLET_FAILED')).toBe(true)
    expect(isTeamsOAuthError(cjs, 'EXCHANGE_OUTPUT_INVALID')).toBe(false)
  })
})

describe('the data of an error, typed by its code', () => {
  it('narrows when the code is checked', () => {
    const caught: unknown = new TeamsOAuthError('EXCHANGE_CMDLET_FAILED', 'x', notFound)
    if (!isTeamsOAuthError(caught)) throw new Error('not ours')
    expectTypeOf(caught.code).toEqualTypeOf<ErrorCode>()
    expectTypeOf(caught.data.step).toEqualTypeOf<string | undefined>()
    // a field one code's data does not declare reads as unknown, as before
    expectTypeOf(caught.data.anything).toEqualTypeOf<unknown>()
    if (caught.code === 'EXCHANGE_CMDLET_FAILED') {
      expectTypeOf(caught.data.reason).toEqualTypeOf<string>()
      expectTypeOf(caught.data.target).toEqualTypeOf<string | null | undefined>()
    }
    if (caught.code === 'KEY_VALUE_MISSING') expectTypeOf(caught.data.index).toEqualTypeOf<number>()
    expect(caught.data.reason).toBe('ManagementObjectNotFoundException')
  })

  it('narrows by the code given to isTeamsOAuthError, one or several', () => {
    const caught: unknown = new TeamsOAuthError('GRAPH_THROTTLED', 'x', { status: 429, retryAfterMs: 2000 })
    if (isTeamsOAuthError(caught, 'GRAPH_THROTTLED')) {
      expectTypeOf(caught.code).toEqualTypeOf<'GRAPH_THROTTLED'>()
      expectTypeOf(caught.data.retryAfterMs).toEqualTypeOf<number | null | undefined>()
      expect(caught.data.retryAfterMs).toBe(2000)
    } else throw new Error('not narrowed')
    const either: unknown = caught
    if (isTeamsOAuthError(either, ['INPUT_INVALID', 'GRAPH_THROTTLED'])) {
      expectTypeOf(either.code).toEqualTypeOf<'INPUT_INVALID' | 'GRAPH_THROTTLED'>()
      if (either.code === 'INPUT_INVALID')
        expectTypeOf(either.data.issues).toEqualTypeOf<
          (Omit<InputIssue, 'fix'> & { fix?: string })[] | undefined
        >()
    }
  })

  it("holds each code's fields to their types when an error is made", () => {
    // @ts-expect-error KEY_CONCURRENT_CHANGE carries the appId and the number of rereads
    expect(() => new TeamsOAuthError('KEY_CONCURRENT_CHANGE', 'x')).not.toThrow()
    const property = 1
    // @ts-expect-error EXCHANGE_OUTPUT_INVALID names its property as a string
    const wrong = new TeamsOAuthError('EXCHANGE_OUTPUT_INVALID', 'x', { cmdlet: 'c', property, issues: [] })
    expect(wrong.data.property).toBe(1)
    // an adapter may add a field of its own
    expect(new TeamsOAuthError('GRAPH_FORBIDDEN', 'x', { status: 403, tenant: 't' }).data.tenant).toBe('t')
  })

  it('has one data entry per code, and no other', () => {
    expectTypeOf<keyof TeamsOAuthErrorData>().toEqualTypeOf<ErrorCode>()
    expectTypeOf<TeamsOAuthErrorOf<'GRAPH_FORBIDDEN'>>().toEqualTypeOf<TeamsOAuthError<'GRAPH_FORBIDDEN'>>()
    const wide: TeamsOAuthError = new TeamsOAuthError('KEY_CONCURRENT_CHANGE', 'x', {
      appId: 'a',
      rereads: 1,
    })
    expect(wide.code).toBe('KEY_CONCURRENT_CHANGE')
  })
})
