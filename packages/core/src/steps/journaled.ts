import type { CmdletValue } from '../ports'
import type { UndoTarget } from './step'

/** What the journal keeps of the Exchange objects a step changed, and what an undo acts on. */

export const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** An Exchange object as the journal keeps it: one that names itself by a Guid and a Name. */
export type IdentifiedObject = { Guid: string; Name: string; [key: string]: unknown }

/** The value as an object with a Guid and a Name (what an undo and its read-back act on); null otherwise. */
export function identifiedObject(value: unknown): IdentifiedObject | null {
  const object = value as Record<string, unknown> | null | undefined
  if (!object || typeof object !== 'object') return null
  if (typeof object.Guid !== 'string' || !guidPattern.test(object.Guid)) return null
  if (typeof object.Name !== 'string') return null
  return object as IdentifiedObject
}

/** The first object of a cmdlet's recorded result, with a Guid and a Name; null otherwise. */
export const createdObject = (result: unknown): IdentifiedObject | null =>
  Array.isArray(result) ? identifiedObject(result[0]) : null

/** What a change's undo acts on, read back by its Guid first: null when the journal holds no such object. */
export const undoTarget = (
  read: string,
  object: IdentifiedObject | null,
  what: (name: string) => string,
): UndoTarget | null =>
  object ? { read, guid: object.Guid, name: object.Name, what: what(object.Name) } : null

/** The -DomainController an action was pinned to, for the action that undoes it. */
export function pinOf(action: { params?: Record<string, CmdletValue> }): Record<string, CmdletValue> {
  const dc = action.params?.DomainController
  return dc != null ? { DomainController: dc } : {}
}
