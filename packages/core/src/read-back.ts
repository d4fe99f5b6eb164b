import type { ValidInput } from './input'
import type { Journal, JournalEntry } from './journal'
import { undoOf } from './journal-check'
import type { Targets } from './ports'
import { kindOf, type StepContext } from './steps'

/** A context to read back one journaled change, pinned where the change was. */
const entryContext = (entry: JournalEntry, targets: Targets): StepContext => {
  const dc = entry.action.system === 'exchange' ? entry.action.params.DomainController : undefined
  return {
    input: { domainController: typeof dc === 'string' ? dc : undefined } as ValidInput,
    targets,
    now: new Date(),
    certificates: [],
    accounts: {},
  }
}

/**
 * Reads back each Exchange change whose answer never came: landed, it gets its result (a create's
 * Guid) and its undo; not there, it is marked notApplied. One that cannot be read stays unconfirmed.
 */
export async function resolveUnconfirmed(journal: Journal, targets: Targets): Promise<boolean> {
  let changed = false
  for (const entry of journal.entries) {
    if (!entry.unconfirmed || entry.action.system !== 'exchange' || entry.undoneAt) continue
    const kind = kindOf(entry.spec)
    const outcome = await kind.landed?.(entry.spec, entry.action, entryContext(entry, targets)).then(
      (landed) => ({ landed }),
      () => null,
    )
    if (!outcome) continue
    delete entry.unconfirmed
    if (outcome.landed) entry.result = outcome.landed.result ?? null
    else entry.notApplied = true
    entry.undo = undoOf(entry, journal.entries)
    changed = true
  }
  return changed
}
