import type { CmdletValue } from '../ports'

/** PowerShell's five single-quote characters: ' ‘ ’ ‚ ‛. Inside a single-quoted literal each is doubled. */
const singleQuotes = /['\u2018\u2019\u201A\u201B]/g

/** The one quoting function for every literal of the exported script: a single-quoted, verbatim string. */
export const quote = (value: string): string => `'${value.replace(singleQuotes, (q) => q + q)}'`

/** A value as a PowerShell expression (literals only: strings quoted, no expansion anywhere). */
export function psValue(value: CmdletValue): string {
  if (value === null) return '$null'
  if (typeof value === 'string') return quote(value)
  if (typeof value === 'boolean') return value ? '$true' : '$false'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot print ${value} as PowerShell`)
    return String(value)
  }
  if (Array.isArray(value)) return `@(${value.map(psValue).join(', ')})`
  if ('$bytes' in value && typeof value.$bytes === 'string')
    return `[System.Convert]::FromBase64String(${quote(value.$bytes)})`
  return `@{ ${Object.entries(value)
    .map(([k, v]) => `${quote(k)} = ${psValue(v as CmdletValue)}`)
    .join('; ')} }`
}

const parameterName = /^[A-Za-z][A-Za-z0-9]*$/

/** A cmdlet call as a readable line: switches as -Name, Confirm:$false as -Confirm:$false, the rest -Name value. */
export function psCall(cmdlet: string, params: Record<string, CmdletValue>, splat?: string): string {
  const parts = [cmdlet]
  for (const [name, value] of Object.entries(params)) {
    if (!parameterName.test(name)) throw new Error(`not a parameter name: ${name}`)
    if (value === true && /^(ApplicationAccount|Force|Recurse)$/.test(name)) parts.push(`-${name}`)
    else if (typeof value === 'boolean' && /^(Confirm|WhatIf)$/.test(name))
      parts.push(`-${name}:${psValue(value)}`)
    else parts.push(`-${name} ${psValue(value)}`)
  }
  if (splat) parts.push(`@${splat}`)
  return parts.join(' ')
}
