import type { CmdletValue } from '@teams-oauth/core'
import { isSecret } from './secret'
import type { Parameters } from './wire'

/** How much of each parameter value the debug log shows. */
const loggedValueLength = 200

/**
 * The debug log's view of a call: `<what> {"Name": value, ...}`, with `***` for secret values
 * (wrapped by secret() or named in `secretNames`, lower case) and long values shortened.
 */
export function describeCall(what: string, params: Parameters | undefined, secretNames: Set<string>): string {
  const shown: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value === undefined) continue
    shown[name] =
      isSecret(value) || secretNames.has(name.toLowerCase())
        ? '***'
        : value instanceof Uint8Array
          ? `<${value.length} bytes>`
          : shortened(value)
  }
  return `${what} ${JSON.stringify(shown)}`
}

/** A value as the debug log shows it: at most loggedValueLength characters of it, and its length. */
function shortened(value: CmdletValue): CmdletValue {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  if (text === undefined || text.length <= loggedValueLength) return value
  // Cut before a surrogate pair rather than through it.
  const cut = /[\uD800-\uDBFF]/.test(text.charAt(loggedValueLength - 1))
    ? loggedValueLength - 1
    : loggedValueLength
  return `${text.slice(0, cut)}… (${text.length} characters)`
}
