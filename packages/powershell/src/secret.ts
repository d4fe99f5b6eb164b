import type { CmdletValue } from '@teams-oauth/core'

const secretBrand = Symbol('teams-oauth.secret')

/** A parameter value that is sent to PowerShell but never shown in a log. */
export interface Secret {
  readonly [secretBrand]: true
  readonly value: CmdletValue
  toJSON(): string
  toString(): string
}

export function secret(value: CmdletValue): Secret {
  return {
    [secretBrand]: true,
    value,
    toJSON: () => '***',
    toString: () => '***',
  }
}

export const isSecret = (value: unknown): value is Secret =>
  typeof value === 'object' && value !== null && (value as { [secretBrand]?: true })[secretBrand] === true
