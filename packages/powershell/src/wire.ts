import type { CmdletValue } from '@teams-oauth/core'
import { parameterNamePattern } from '@teams-oauth/core/adapter'
import { PowerShellError } from './errors'
import { isSecret, type Secret } from './secret'

/** A parameter value: JSON as in CmdletValue, bytes as Uint8Array, or a value wrapped by secret(). */
export type ParameterValue = CmdletValue | Uint8Array | Secret | undefined
export type Parameters = Record<string, ParameterValue>

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * The parameters as they travel to PowerShell (JSON, bytes as `{ $bytes: base64 }`, secrets
 * unwrapped); throws INPUT_INVALID for a name that is not a parameter name or a value that is not text.
 */
export function toWire(params: Parameters | undefined): Record<string, CmdletValue> {
  const wire: Record<string, CmdletValue> = {}
  for (const [name, value] of Object.entries(params ?? {})) {
    if (!parameterNamePattern.test(name)) {
      throw new PowerShellError('INPUT_INVALID', `not a parameter name: ${JSON.stringify(name)}`)
    }
    if (value === undefined) continue
    wire[name] = toWireValue(isSecret(value) ? value.value : value, name)
  }
  return wire
}

/**
 * PowerShell reads the payload as UTF-8, which cannot hold half of a surrogate pair: such a string
 * would make it fail before it knows the call's marker, so it is refused here, naming the parameter.
 */
function toWireValue(value: CmdletValue | Uint8Array, parameter: string): CmdletValue {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') }
  if (Array.isArray(value)) return value.map((item) => toWireValue(item, parameter))
  if (typeof value === 'string') {
    if (loneSurrogate.test(value)) {
      throw new PowerShellError(
        'INPUT_INVALID',
        `the value of parameter ${parameter} holds a lone UTF-16 surrogate, which is not text and cannot be sent to PowerShell`,
        { parameter },
      )
    }
    return value
  }
  if (typeof value === 'object' && value !== null) {
    const record: Record<string, CmdletValue> = {}
    for (const [key, item] of Object.entries(value)) {
      if (loneSurrogate.test(key)) {
        throw new PowerShellError(
          'INPUT_INVALID',
          `a key in the value of parameter ${parameter} holds a lone UTF-16 surrogate, which is not text and cannot be sent to PowerShell`,
          { parameter },
        )
      }
      record[key] = toWireValue(item, parameter)
    }
    return record
  }
  return value
}
