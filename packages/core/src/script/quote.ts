import type { CmdletValue } from '../ports'

const printableAscii = /^[\x20-\x7E]*$/
const outsidePrintableAscii = /[^\x20-\x7E]/g

/**
 * The one quoting function for every literal teams-oauth prints as PowerShell: a verbatim string,
 * written in printable ASCII only, so that it means the same whatever code page reads the text.
 * Windows PowerShell 5.1 reads a file without a BOM in the ANSI code page: there, the UTF-8 bytes of
 * a character such as В (D0 92) read as Ð and ’, and ’ ends a single-quoted literal as ' does.
 *
 * Printable ASCII is a single-quoted literal with ' doubled (the other four single quotes PowerShell
 * knows, ‘ ’ ‚ ‛, are not ASCII). Anything else (non-ASCII, control characters) is written as
 * \uXXXX in one such literal, read back by [regex]::Unescape, with \ written as \\; PowerShell 5.1
 * has no escape for a character inside a literal, and a single-quoted one stays verbatim.
 */
export function quote(value: string): string {
  const doubled = value.replace(/'/g, "''")
  if (printableAscii.test(value)) return `'${doubled}'`
  const escaped = doubled
    .replace(/\\/g, '\\\\')
    .replace(
      outsidePrintableAscii,
      (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
    )
  return `([regex]::Unescape('${escaped}'))`
}

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
