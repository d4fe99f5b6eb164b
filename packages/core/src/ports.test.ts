import { describe, expect, it } from 'vitest'
import { exchangeCmdletError, isExchangeNotFound } from './ports'

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
