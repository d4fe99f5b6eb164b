import type { CmdletObject } from '@teams-oauth/core'
import type { BoundParameters } from './binding'
import { exchangeError, objectAlreadyExists, objectNotFound, parameterBindingError } from './exchange-errors'
import { deterministicGuid } from './ids'
import type { ExchangeState } from './state'

/** What a cmdlet handler sees: the organisation, its bound parameters, and the one way to write. */
export interface CmdletContext {
  state: ExchangeState
  cmdlet: string
  params: BoundParameters
  /** The -DomainController asked for, or the organisation's first. */
  domainController: string
  /**
   * Applies one change unless -WhatIf: counts it for failWrite (which may throw before anything
   * changes) and records it in the change log. Returns false when -WhatIf skipped it.
   */
  write(target: string, mutate: () => void): boolean
}

export type Handler = (ctx: CmdletContext) => CmdletObject[]

export const required = (ctx: CmdletContext, name: string): string => ctx.params.string(name) ?? ''
/** An identity given as a Guid, as Exchange's identity parameters accept one. */
export const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.toLowerCase()
export const hasWildcard = (value: string) => value.includes('*')

export function invalidOperation(ctx: CmdletContext, message: string, target: string): Error {
  return exchangeError(ctx.cmdlet, 'InvalidOperationException', message, {
    category: 'InvalidOperation',
    target,
  })
}

export function notFound(ctx: CmdletContext, identity: string): Error {
  return objectNotFound(ctx.cmdlet, identity, ctx.domainController)
}

/** A new object's Guid: fixed per organisation and name (for determinism), unlike any other organisation's. */
export const createdGuid = (state: ExchangeState, kind: string, name: string) =>
  deterministicGuid(kind, state.organization.guid, name.toLowerCase())

/** PowerShell's refusal of a value its parameter's type cannot take. */
export function cannotConvert(
  ctx: Pick<CmdletContext, 'cmdlet'>,
  parameter: string,
  value: string,
  type: string,
  id = 'CannotConvertArgumentNoMessage',
): Error {
  return parameterBindingError(
    ctx.cmdlet,
    id,
    `Cannot bind parameter '${parameter}'. Cannot convert value "${value}" to type "${type}".`,
    parameter,
  )
}

type Find<T> = (state: ExchangeState, identity: string) => T | null

/** The object -Identity (or another parameter) names, or Exchange's not-found error. */
export function existing<T>(ctx: CmdletContext, find: Find<T>, parameter = 'Identity'): T {
  const identity = required(ctx, parameter)
  const found = find(ctx.state, identity)
  if (found === null) throw notFound(ctx, identity)
  return found
}

/** A Get-* whose -Identity is optional: every object without it, else the one it names. */
export function getHandler<T>(
  list: (state: ExchangeState) => readonly T[],
  find: Find<T>,
  print: (state: ExchangeState, item: T) => CmdletObject,
): Handler {
  return (ctx) => {
    if (ctx.params.string('Identity') === undefined) return list(ctx.state).map((i) => print(ctx.state, i))
    return [print(ctx.state, existing(ctx, find))]
  }
}

/** A Remove-* of the object -Identity names, from the list that holds it; `also` cleans what refers to it. */
export function removeHandler<T extends { name: string }>(
  list: (state: ExchangeState) => T[],
  find: Find<T>,
  also?: (state: ExchangeState, removed: T) => void,
): Handler {
  return (ctx) => {
    const item = existing(ctx, find)
    ctx.write(item.name, () => {
      const items = list(ctx.state)
      items.splice(items.indexOf(item), 1)
      also?.(ctx.state, item)
    })
    return []
  }
}

/**
 * A Set-* of the object -Identity names: `check` may refuse before anything changes, and returns what
 * else the write applies; the parameters in `fields` are copied onto the object, -Name (if listed) last.
 */
export function setHandler<T extends { name: string }>(
  find: Find<T>,
  fields: Settable,
  check?: (ctx: CmdletContext, item: T) => (() => void) | undefined,
): Handler {
  return (ctx) => {
    const item = existing(ctx, find)
    const more = check?.(ctx, item)
    ctx.write(item.name, () => {
      more?.()
      assignParameters(ctx, item, fields)
    })
    return []
  }
}

/** Refuses a -Name that another object already has (a rename to the object's own name is no rename). */
export function assertRenameFree(
  ctx: CmdletContext,
  item: { name: string },
  taken: (name: string) => boolean,
  dn: (name: string) => string,
): void {
  const rename = ctx.params.string('Name')
  if (rename === undefined || rename.toLowerCase() === item.name.toLowerCase() || !taken(rename)) return
  throw objectAlreadyExists(ctx.cmdlet, dn(rename), ctx.domainController)
}

/** A Set-* parameter copied onto the model's property of the same name (its first letter lower case). */
type Settable = Record<string, 'string' | 'boolean'>

/**
 * Copies each given parameter of `fields` onto `target`; call it inside ctx.write. Parameters not
 * given leave their property as it is.
 */
function assignParameters<T extends object>(ctx: CmdletContext, target: T, fields: Settable): void {
  const record = target as Record<string, unknown>
  for (const [parameter, type] of Object.entries(fields)) {
    const value = type === 'boolean' ? ctx.params.boolean(parameter) : ctx.params.string(parameter)
    if (value !== undefined) record[parameter[0]!.toLowerCase() + parameter.slice(1)] = value
  }
}
