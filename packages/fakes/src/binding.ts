import { readFileSync } from 'node:fs'
import type { CmdletValue } from '@teams-oauth/core'
import { parameterBindingError } from './exchange-errors'
import { packageFile } from './package-file'

export interface ParameterSpec {
  name: string
  type: string
  mandatory: boolean
}
export interface ParameterSetSpec {
  name: string
  parameters: ParameterSpec[]
}
export interface CmdletSpec {
  sets: ParameterSetSpec[]
}

/** PowerShell's common parameters: every cmdlet accepts them. */
const commonParameters = [
  'Verbose',
  'Debug',
  'ErrorAction',
  'WarningAction',
  'InformationAction',
  'ErrorVariable',
  'WarningVariable',
  'InformationVariable',
  'OutVariable',
  'OutBuffer',
  'PipelineVariable',
  'ProgressAction',
]

let reference: Map<string, { name: string; spec: CmdletSpec }> | undefined

/**
 * The cmdlets the fakes implement, by lower-case name, with their on-premises parameter sets:
 * cmdlet-parameters.json (generated from cmdlet-reference.json), read at the first call, not at import.
 */
function cmdlets(): Map<string, { name: string; spec: CmdletSpec }> {
  if (reference) return reference
  const { cmdlets: listed } = JSON.parse(readFileSync(packageFile('cmdlet-parameters.json'), 'utf8')) as {
    cmdlets: Record<string, CmdletSpec>
  }
  reference = new Map(Object.entries(listed).map(([name, spec]) => [name.toLowerCase(), { name, spec }]))
  return reference
}

/** The cmdlet's on-premises parameter sets as the reference lists them, plus what this build adds. */
export function cmdletSpec(cmdlet: string, extra: ParameterSpec[] = []): CmdletSpec | null {
  // the same spec object per cmdlet, so bindParameters can keep its lookup table
  const cached = extra.length === 0 ? specs.get(cmdlet.toLowerCase()) : undefined
  if (cached !== undefined) return cached
  const spec = buildSpec(cmdlet, extra)
  if (extra.length === 0) specs.set(cmdlet.toLowerCase(), spec)
  return spec
}

const specs = new Map<string, CmdletSpec | null>()

function buildSpec(cmdlet: string, extra: ParameterSpec[]): CmdletSpec | null {
  const spec = cmdlets().get(cmdlet.toLowerCase())?.spec
  if (!spec) return null
  return { sets: spec.sets.map((set) => ({ ...set, parameters: [...set.parameters, ...extra] })) }
}

export function canonicalCmdletName(cmdlet: string): string | null {
  return cmdlets().get(cmdlet.toLowerCase())?.name ?? null
}

export function knownCmdlets(): string[] {
  return [...cmdlets().values()].map(({ name }) => name)
}

/** Parameters bound to their canonical names, with typed readers. */
export class BoundParameters {
  constructor(
    readonly cmdlet: string,
    readonly set: string,
    readonly values: ReadonlyMap<string, CmdletValue>,
  ) {}

  has(name: string): boolean {
    return this.values.has(name)
  }

  string(name: string): string | undefined {
    const value = this.values.get(name)
    if (value === undefined || value === null) return undefined
    if (Array.isArray(value)) return value.map(String).join(',')
    return typeof value === 'object' ? JSON.stringify(value) : String(value)
  }

  boolean(name: string): boolean | undefined {
    const value = this.values.get(name)
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string') return value.toLowerCase() === 'true' || value === '1'
    return Boolean(value)
  }

  /** A switch is on when present and not `-Switch:$false`. */
  switch(name: string): boolean {
    return this.boolean(name) === true
  }

  strings(name: string): string[] | undefined {
    const value = this.values.get(name)
    if (value === undefined || value === null) return undefined
    const list = Array.isArray(value) ? value : [value]
    return list.flatMap((item) =>
      typeof item === 'string' ? item.split(',').map((s) => s.trim()) : [String(item)],
    )
  }

  /** Every bound parameter except the ones named, as plain JSON (for change records). */
  detail(): Record<string, CmdletValue> {
    return Object.fromEntries(this.values)
  }
}

const knownTables = new WeakMap<CmdletSpec, Map<string, string>>()

/** Every parameter name of the cmdlet, by its lower-case spelling. */
function knownParameters(spec: CmdletSpec): Map<string, string> {
  const cached = knownTables.get(spec)
  if (cached) return cached
  const known = new Map<string, string>()
  for (const set of spec.sets) for (const p of set.parameters) known.set(p.name.toLowerCase(), p.name)
  for (const name of commonParameters) known.set(name.toLowerCase(), name)
  knownTables.set(spec, known)
  return known
}

/**
 * Binds named parameters as PowerShell does: names match case-insensitively (or by a unique
 * prefix), unknown names and missing mandatory parameters fail with PowerShell's words, and
 * the parameter set is the first that holds every given parameter and its mandatory ones.
 */
export function bindParameters(
  cmdlet: string,
  spec: CmdletSpec,
  params: Record<string, CmdletValue>,
): BoundParameters {
  const known = knownParameters(spec)

  const values = new Map<string, CmdletValue>()
  for (const [given, value] of Object.entries(params)) {
    const lower = given.toLowerCase()
    let canonical = known.get(lower)
    if (!canonical) {
      const matches = [
        ...new Set([...known.entries()].filter(([key]) => key.startsWith(lower)).map(([, n]) => n)),
      ]
      if (matches.length > 1) {
        throw parameterBindingError(
          cmdlet,
          'AmbiguousParameter',
          `Parameter cannot be processed because the parameter name '${given}' is ambiguous. Possible matches include: ${matches.map((m) => `-${m}`).join(' ')}.`,
          given,
        )
      }
      canonical = matches[0]
    }
    if (!canonical) {
      throw parameterBindingError(
        cmdlet,
        'NamedParameterNotFound',
        `A parameter cannot be found that matches parameter name '${given}'.`,
        given,
      )
    }
    values.set(canonical, value)
  }

  const given = [...values.keys()].filter((name) => !commonParameters.includes(name))
  const candidates = spec.sets.filter((set) =>
    given.every((name) => set.parameters.some((p) => p.name === name)),
  )
  if (candidates.length === 0) {
    throw parameterBindingError(
      cmdlet,
      'AmbiguousParameterSet',
      'Parameter set cannot be resolved using the specified named parameters. One or more parameters issued cannot be used together or an insufficient number of parameters were provided.',
    )
  }
  const complete = candidates.find((set) =>
    set.parameters.filter((p) => p.mandatory).every((p) => values.has(p.name)),
  )
  if (!complete) {
    const missing = candidates[0]!.parameters
      .filter((p) => p.mandatory && !values.has(p.name))
      .map((p) => p.name)
    throw parameterBindingError(
      cmdlet,
      'MissingMandatoryParameter',
      `Cannot process command because of one or more missing mandatory parameters: ${missing.join(' ')}.`,
    )
  }
  for (const p of complete.parameters) {
    if (!p.mandatory || !values.has(p.name)) continue
    const value = values.get(p.name)
    if (value === null || value === '') {
      throw parameterBindingError(
        cmdlet,
        value === null
          ? 'ParameterArgumentValidationErrorNullNotAllowed'
          : 'ParameterArgumentValidationErrorEmptyStringNotAllowed',
        `Cannot bind argument to parameter '${p.name}' because it is ${value === null ? 'null' : 'an empty string'}.`,
        p.name,
      )
    }
  }
  return new BoundParameters(cmdlet, complete.name, values)
}
