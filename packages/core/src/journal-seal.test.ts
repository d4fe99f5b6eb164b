import { describe, expect, it } from 'vitest'
import { brokenLink, emptyJournal, type Journal, type JournalEntry, sealJournal } from './journal'

const organisation = {
  exchange: { guid: '11111111-1111-4111-8111-111111111111', name: 'Contoso' },
  entra: { tenantId: '22222222-2222-4222-8222-222222222222' },
}

/** A journal of n entries; only the fields the hash covers matter here, not that they are real steps. */
function journalOf(n: number): Journal {
  const journal = emptyJournal(organisation)
  for (let seq = 1; seq <= n; seq++)
    journal.entries.push({
      seq,
      at: `2026-01-01T00:00:0${seq}.000Z`,
      step: `step-${seq}`,
      title: `Step ${seq}`,
      before: { seq },
      result: null,
      undo: [],
      hash: '',
    } as unknown as JournalEntry)
  return journal
}

describe('sealJournal', () => {
  it('from an entry on gives the hashes a whole seal gives, when the entries before it are sealed', () => {
    const whole = journalOf(5)
    sealJournal(whole)
    const stepwise = journalOf(5)
    // as the engine does: each entry sealed right after it is written
    for (let index = 0; index < 5; index++) {
      stepwise.entries[index]!.result = { written: index }
      whole.entries[index]!.result = { written: index }
      sealJournal(stepwise, index)
    }
    sealJournal(whole)
    expect(stepwise.entries.map((entry) => entry.hash)).toEqual(whole.entries.map((entry) => entry.hash))
    expect(new Set(whole.entries.map((entry) => entry.hash)).size).toBe(5)
    expect(brokenLink(stepwise)).toBeNull()
  })

  it('from the first entry hashes the header in, and an index past the end changes nothing', () => {
    const journal = journalOf(3)
    sealJournal(journal, 0)
    const sealed = journal.entries.map((entry) => entry.hash)
    sealJournal(journal, 7)
    expect(journal.entries.map((entry) => entry.hash)).toEqual(sealed)
    journal.organisation = { ...organisation, entra: { tenantId: null } }
    sealJournal(journal, 0)
    expect(journal.entries[0]!.hash).not.toBe(sealed[0])
  })

  it('leaves a change before `from` unsealed, so the journal check still finds it', () => {
    const journal = journalOf(4)
    sealJournal(journal)
    journal.entries[1]!.before = { edited: true }
    sealJournal(journal, 2)
    expect(brokenLink(journal)).toBe(2)
  })
})
