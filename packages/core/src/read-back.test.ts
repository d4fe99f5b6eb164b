import { describe, expect, it } from 'vitest'
import type { Action } from './actions'
import { emptyJournal, type JournalEntry } from './journal'
import type { CmdletCall, CmdletObject, EntraPort, ExchangePort, Targets } from './ports'
import { resolveUnconfirmed } from './read-back'

const guid = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
const step = {
  kind: 'mailUser' as const,
  id: 'mailUser.TeamsScheduler-ApplicationAccount',
  name: 'TeamsScheduler-ApplicationAccount',
  externalEmailAddress: 'TeamsScheduler-ApplicationAccount@contoso.com',
  applicationAccount: true,
}
const found: CmdletObject = {
  Name: step.name,
  Identity: `contoso.com/Users/${step.name}`,
  Alias: step.name,
  ExternalEmailAddress: `SMTP:${step.externalEmailAddress}`,
  HiddenFromAddressListsEnabled: false,
  RecipientTypeDetails: 'MailUser',
  Guid: guid,
}
const create = (params: Record<string, string | boolean> = {}): Action => ({
  system: 'exchange',
  cmdlet: 'New-MailUser',
  params: { Name: step.name, ExternalEmailAddress: step.externalEmailAddress, ...params },
})

const entry = (fields: Partial<JournalEntry> = {}): JournalEntry => ({
  seq: 1,
  at: '2027-01-01T00:00:00.000Z',
  step: step.id,
  spec: step,
  title: `mail user ${step.name}`,
  action: create(),
  before: null,
  result: null,
  undo: [],
  unconfirmed: true,
  hash: '',
  ...fields,
})

/** Exchange answering Get-MailUser with what `reads` says (an error thrown when it throws). */
function exchange(reads: () => CmdletObject[]) {
  const calls: CmdletCall[] = []
  const port = {
    async invoke(call: CmdletCall) {
      calls.push(call)
      return reads()
    },
  } as unknown as ExchangePort
  const entra = {} as EntraPort
  return { calls, targets: { exchange: port, entra } as Targets }
}

describe('resolveUnconfirmed', () => {
  it('journals a create that landed with the object read back, and its undo by that Guid', async () => {
    const { calls, targets } = exchange(() => [found])
    const journal = { ...emptyJournal(), entries: [entry({ action: create({ DomainController: 'dc1' }) })] }
    await expect(resolveUnconfirmed(journal, targets)).resolves.toBe(true)
    const [resolved] = journal.entries
    expect(resolved?.unconfirmed).toBeUndefined()
    expect(resolved?.notApplied).toBeUndefined()
    expect(resolved?.result).toEqual([found])
    expect(resolved?.undo).toEqual([
      {
        system: 'exchange',
        cmdlet: 'Remove-MailUser',
        params: { Identity: guid, Confirm: false, DomainController: 'dc1' },
      },
    ])
    // read where the change was made
    expect(calls).toEqual([
      { cmdlet: 'Get-MailUser', params: { Identity: step.name, DomainController: 'dc1' } },
    ])
  })

  it('marks a change that is not there as not applied, with nothing to undo', async () => {
    const { targets } = exchange(() => [])
    const journal = { ...emptyJournal(), entries: [entry({ undo: [create()] })] }
    await expect(resolveUnconfirmed(journal, targets)).resolves.toBe(true)
    const [resolved] = journal.entries
    expect(resolved?.unconfirmed).toBeUndefined()
    expect(resolved?.notApplied).toBe(true)
    expect(resolved?.result).toBeNull()
    expect(resolved?.undo).toEqual([])
  })

  it('leaves a change it cannot read unconfirmed and reports no change', async () => {
    const { targets } = exchange(() => {
      throw new Error('the session is gone')
    })
    const journal = { ...emptyJournal(), entries: [entry()] }
    await expect(resolveUnconfirmed(journal, targets)).resolves.toBe(false)
    expect(journal.entries[0]).toEqual(entry())
  })

  it('reads nothing for confirmed, undone or Entra entries, and reads an unpinned change without a domain controller', async () => {
    const { calls, targets } = exchange(() => [found])
    const entraAction: Action = {
      system: 'entra',
      op: 'removeKey',
      appId: 'a',
      servicePrincipalId: 'sp',
      thumbprint: 'AB',
      restore: [],
    }
    const untouched = [
      entry({ seq: 1, unconfirmed: undefined }),
      entry({ seq: 2, undoneAt: '2027-01-02T00:00:00.000Z' }),
      entry({ seq: 3, action: entraAction }),
    ]
    const journal = { ...emptyJournal(), entries: structuredClone(untouched) }
    await expect(resolveUnconfirmed(journal, targets)).resolves.toBe(false)
    expect(journal.entries).toEqual(untouched)
    expect(calls).toEqual([])
    journal.entries.push(entry({ seq: 4 }))
    await expect(resolveUnconfirmed(journal, targets)).resolves.toBe(true)
    expect(calls).toEqual([{ cmdlet: 'Get-MailUser', params: { Identity: step.name } }])
  })

  it('leaves unconfirmed a change of a step that cannot read its changes back', async () => {
    const { calls, targets } = exchange(() => [found])
    const certificateStep = { kind: 'authCertificate' as const, id: 'exchange.authCertificate' }
    const journal = {
      ...emptyJournal(),
      entries: [entry({ step: certificateStep.id, spec: certificateStep })],
    }
    await expect(resolveUnconfirmed(journal, targets)).resolves.toBe(false)
    expect(journal.entries[0]?.unconfirmed).toBe(true)
    expect(calls).toEqual([])
  })
})
