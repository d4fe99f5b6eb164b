import { createHash } from 'node:crypto'

/** A GUID derived from its parts (name-based, like a UUID v5): the same parts give the same id. */
export function deterministicGuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex')
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** An eight-digit hex code, as Exchange prefixes its FullyQualifiedErrorIds with. */
export function errorCode(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 8).toUpperCase()
}
