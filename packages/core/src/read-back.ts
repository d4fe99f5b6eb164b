import type { ExchangeAction } from './actions'
import type { ValidInput } from './input'
import type { Journal } from './journal'
import { undoOf } from './journal-check'
import { contextFor } from './plan'
import type { Targets } from './ports'
import { kindOf, type StepContext } from './steps'

/** A context to read back one journaled Exchange change, pinned where the change was. */
const entryContext = (action: ExchangeAction, targets: Targets): StepContext => {
  const dc = action.params.DomainController
  return contextFor(
    { domainController: typeof dc === 'string' ? dc : undefined } as ValidInput,
    targets,
    new Date(),
  )
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
    if (!kind.landed) continue
    const [read] = await Promise.allSettled([
      kind.landed(entry.spec, entry.action, entryContext(entry.action, targets)),
    ])
    if (read.status !== 'fulfilled') continue
    delete entry.unconfirmed
    if (read.value) entry.result = read.value.result ?? null
    else entry.notApplied = true
    entry.undo = undoOf(entry, journal.entries)
    changed = true
  }
  return changed
}
