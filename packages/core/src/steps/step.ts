import { z } from 'zod'
import type { Action, ExchangeAction } from '../actions'
import type { CertificateInfo } from '../certificate'
import type { EntraPath, ValidInput } from '../input'
import type { CmdletCall, CmdletObject, CmdletValue, Targets } from '../ports'
import { readFound } from '../ports'

/** What a run knows: its input, its targets, the clock, and what earlier steps found. */
export interface StepContext {
  input: ValidInput
  targets: Targets
  now: Date
  /** Set by the auth certificate step: the certificates to upload ('current' first, then 'next'). */
  certificates: { role: 'current' | 'next'; certificate: CertificateInfo }[]
  /**
   * Set by the mail user step: the procedure's account name → the account the partner application
   * already acts as, when that is another one. Later steps give the role to, hide and link that one.
   */
  accounts: Record<string, string>
}

export interface PlannedAction {
  action: Action
  reason: string
}

/** What decide concluded: the actions (none when in the desired state), and both states in words. */
export interface Decision {
  actions: PlannedAction[]
  desired: string
  actual: string
  /** Things the plan must say that are not actions (dropped expired keys, a build without a switch, …). */
  notes?: string[]
  /** Why the desired state cannot be reached now without a person's action (apply refuses; verify reports it). */
  blocked?: string
  /** Results passed forward to later steps. */
  provides?: Partial<Pick<StepContext, 'certificates' | 'accounts'>>
}

export interface PrintOptions {
  entra: EntraPath
  /** The run's input, as decide sees it (account names, dropExpiredKeys, allowPlainMailUser, …). */
  input: ValidInput
}

/**
 * A step kind: what to observe (reads only), how to decide (pure: observation → actions), how to print
 * itself as PowerShell, and how to undo an action it planned (given what the action replaced).
 */
export interface StepKind<S, O> {
  kind: string
  title(step: S): string
  observe(step: S, context: StepContext): Promise<O>
  decide(step: S, observed: O, context: StepContext): Decision
  /** PowerShell that only reads and adds to $blocked what decide would block on (or throws where decide throws). */
  printCheck?(step: S, options: PrintOptions): string
  /** PowerShell that makes the changes decide would plan, deciding nothing decide does not. */
  print(step: S, options: PrintOptions): string
  /** The state an action is about to replace, read just before it runs (for the journal). */
  before?(step: S, action: Action, context: StepContext): Promise<unknown>
  /**
   * The actions that undo `action`, given the state it replaced, its result, and the changes its step
   * made before it, as journaled (an entry removed from a role teams-oauth created needs no undo of its own).
   */
  undo(step: S, action: Action, before: unknown, result: unknown, earlier: readonly Action[]): Action[]
  /**
   * Reads back whether an Exchange action landed, for a write whose answer was lost: null when it did
   * not; else the result to journal (for a create, the object read back, with its Guid).
   */
  landed?(step: S, action: Action, context: StepContext): Promise<{ result: unknown } | null>
  /** The object this change's undo acts on, by Guid, as recorded: rollback reads it back first. */
  target?(step: S, action: Action, before: unknown, result: unknown): UndoTarget | null
  /** Whether an action is one this step plans (its names are the step's), so an edited journal is refused. */
  fits?(step: S, action: Action, before: unknown): boolean
}

/** An object an undo acts on: read with `read -Identity guid`, it must still carry `name`. */
export interface UndoTarget {
  read: string
  guid: string
  name: string
  /** In words, for the rollback prompt: "mail user TeamsScheduler". */
  what: string
}

/** A step kind's schema: its kind, its id, and the fields of its own. */
export const stepObject = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.object({ kind: z.literal(kind), id: z.string(), ...shape })

/** Adds -DomainController to a call when the run pins one. */
export function pinned(
  context: StepContext,
  params: Record<string, CmdletValue>,
): Record<string, CmdletValue> {
  return context.input.domainController
    ? { ...params, DomainController: context.input.domainController }
    : params
}

export const exchangeAction = (cmdlet: string, params: Record<string, CmdletValue>): ExchangeAction => ({
  system: 'exchange',
  cmdlet,
  params,
})

/** Reads with a cmdlet; Exchange's "couldn't be found" becomes an empty list. */
export const read = (context: StepContext, call: CmdletCall): Promise<CmdletObject[]> =>
  readFound(context.targets.exchange, call)

/** The last segment of an Exchange identity ("contoso.com/Users/TeamsScheduler" → "TeamsScheduler"). */
export const identityName = (identity: string | null | undefined): string =>
  (identity ?? '').split(/[/\\]/).pop()?.trim() ?? ''

export const sameName = (a: string | null | undefined, b: string | null | undefined): boolean =>
  identityName(a).toLowerCase() === identityName(b).toLowerCase()

/** The account a step's procedure account name stands for in this run (see StepContext.accounts). */
export const accountFor = (context: StepContext, name: string): string =>
  context.accounts[name.toLowerCase()] ?? name
