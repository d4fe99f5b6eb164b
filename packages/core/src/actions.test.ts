import { describe, expect, it } from 'vitest'
import { actionSchema, entraActionSchema, exchangeActionSchema } from './actions'

const certificate = {
  thumbprint: 'AB',
  der: 'AAE=',
  subject: 'CN=x',
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2028-01-01T00:00:00Z',
}
const exchange = { system: 'exchange', cmdlet: 'New-MailUser', params: { Name: 'x' } }
const addKey = {
  system: 'entra',
  op: 'addKey',
  appId: 'a',
  servicePrincipalId: 'sp',
  displayName: 'd',
  certificate,
  dropKeyIds: [],
}
const removeKey = {
  system: 'entra',
  op: 'removeKey',
  appId: 'a',
  servicePrincipalId: 'sp',
  thumbprint: 'AB',
  restore: [],
}

describe('the actions a journal records', () => {
  it('read each kind of action as written', () => {
    for (const action of [exchange, addKey, removeKey]) expect(actionSchema.parse(action)).toEqual(action)
    expect(exchangeActionSchema.parse(exchange)).toEqual(exchange)
    expect(entraActionSchema.parse(removeKey)).toEqual(removeKey)
  })

  it('refuse an action of another system or intent, or with a field missing', () => {
    for (const action of [
      { ...exchange, system: 'entra' },
      { ...exchange, system: 'other' },
      { ...addKey, system: 'exchange' },
      { ...addKey, op: 'removeKey' },
      { ...addKey, op: 'dropAll' },
      { ...removeKey, system: 'other' },
      { ...removeKey, op: 'addKey' },
      { ...addKey, certificate: { ...certificate, der: undefined } },
      { ...addKey, certificate: {} },
      { ...addKey, appId: undefined },
      { ...removeKey, thumbprint: undefined },
    ])
      expect(actionSchema.safeParse(action).success, JSON.stringify(action)).toBe(false)
    expect(exchangeActionSchema.safeParse({ ...exchange, system: undefined }).success).toBe(false)
    expect(entraActionSchema.safeParse({ ...addKey, op: undefined }).success).toBe(false)
  })
})
