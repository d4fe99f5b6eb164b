import type { CmdletValue } from '../ports'

/** PowerShell's five single-quote characters: ' ‘ ’ ‚ ‛. Inside a single-quoted literal each is doubled. */
const singleQuotes = /['\u2018\u2019\u201A\u201B]/g
const doubled = (text: string) => text.replace(singleQuotes, (q) => q + q)

/**
 * The bytes Windows-1252 reads as a single quote (0x82 ‚, 0x91 ‘, 0x92 ’; the other Windows ANSI code
 * pages, 1250 to 1258, read them so too). Windows PowerShell 5.1 reads a script without a BOM in the
 * ANSI code page, where a character whose UTF-8 bytes hold one (В is D0 92: Ð’) ends the literal.
 */
const ansiQuoteBytes = new Set([0x82, 0x91, 0x92])
const utf8 = new TextEncoder()
/** A surrogate that is not half of a pair: it has no UTF-8. */
const loneSurrogate = /\p{Cs}/u

/** Text that cannot stand as itself in a literal: part of its UTF-8 reads as a quote, or it has no UTF-8. */
const needsEscape = (text: string): boolean =>
  loneSurrogate.test(text) || utf8.encode(text).some((byte) => ansiQuoteBytes.has(byte))

/** \uXXXX for each UTF-16 unit of the character (a surrogate pair is two). */
const escaped = (c: string) =>
  c
    .split('')
    .map((unit) => `\\u${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)
    .join('')

/**
 * The one quoting function for every literal teams-oauth prints as PowerShell: a verbatim string,
 * single-quoted, each of the five single quotes doubled. Its text stays one string, holding no code,
 * when its UTF-8 is read in Windows-1252 as well: a character that would read as a quote there (or a
 * lone surrogate) is written \uXXXX instead, and the literal read back by [regex]::Unescape, with \
 * written \\ (PowerShell 5.1 has no escape for a character inside a literal).
 */
export function quote(value: string): string {
  if (!needsEscape(value)) return `'${doubled(value)}'`
  const text = [...value].map((c) => {
    if (c === '\\') return '\\\\'
    if (needsEscape(c)) return escaped(c)
    return doubled(c)
  })
  return `([regex]::Unescape('${text.join('')}'))`
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
