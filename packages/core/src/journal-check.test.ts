import { describe, expect, it } from 'vitest'
import { isTeamsOAuthError } from './errors'
import { emptyJournal, type JournalOrganisation } from './journal'
import { assertJournalOf, organisationOf } from './journal-check'
import type { Targets } from './ports'

const contoso: JournalOrganisation = {
  exchange: { guid: '11111111-1111-4111-8111-111111111111', name: 'Contoso' },
  entra: { tenantId: '22222222-2222-4222-8222-222222222222' },
}
const code = (run: () => void) => {
  try {
    run()
    return null
  } catch (error) {
    if (!isTeamsOAuthError(error)) throw error
    return error.code
  }
}

describe('assertJournalOf', () => {
  it('accepts the organisation the journal names, whatever the case of its Guids', () => {
    const upper = {
      exchange: { ...contoso.exchange, guid: contoso.exchange.guid.toUpperCase() },
      entra: contoso.entra,
    }
    expect(code(() => assertJournalOf(emptyJournal(contoso), upper))).toBeNull()
  })

  it('refuses another Exchange organisation, even of the same name and tenant, as bad input', () => {
    const other = { ...contoso, exchange: { guid: '33333333-3333-4333-8333-333333333333', name: 'Contoso' } }
    expect(code(() => assertJournalOf(emptyJournal(contoso), other))).toBe('JOURNAL_INVALID')
  })

  it('refuses another tenant behind the same Exchange organisation', () => {
    const other = { ...contoso, entra: { tenantId: '44444444-4444-4444-8444-444444444444' } }
    expect(code(() => assertJournalOf(emptyJournal(contoso), other))).toBe('JOURNAL_INVALID')
  })

  it('compares the tenant only where both sides know it (the MSOnline path does not)', () => {
    const msol = { ...contoso, entra: { tenantId: null } }
    expect(code(() => assertJournalOf(emptyJournal(contoso), msol))).toBeNull()
    expect(code(() => assertJournalOf(emptyJournal(msol), contoso))).toBeNull()
  })

  it('takes a journal without a header as not bound yet', () => {
    expect(code(() => assertJournalOf(emptyJournal(), contoso))).toBeNull()
  })
})

describe('organisationOf', () => {
  const targets = (config: Record<string, unknown>) =>
    ({
      exchange: { invoke: async () => [config] },
      entra: { tenantId: async () => null },
    }) as unknown as Targets

  it('names the organisation by its Guid (lower case) and Name', async () => {
    await expect(
      organisationOf(targets({ Guid: '11111111-1111-4111-8111-11111111111A', Name: 'Contoso' })),
    ).resolves.toEqual({
      exchange: { guid: '11111111-1111-4111-8111-11111111111a', name: 'Contoso' },
      entra: { tenantId: null },
    })
  })

  it('refuses an answer without a Guid as output it cannot read, naming the property', async () => {
    const failure = await organisationOf(targets({ Name: 'Contoso' })).catch((error: unknown) => error)
    expect(isTeamsOAuthError(failure, 'EXCHANGE_OUTPUT_INVALID')).toBe(true)
    expect(failure).toMatchObject({ data: { cmdlet: 'Get-OrganizationConfig', property: 'Guid' } })
  })
})
