import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { isTeamsOAuthError, TeamsOAuthError, toTeamsOAuthError } from './errors'

describe('TeamsOAuthError', () => {
  it('is recognised by instanceof when it comes from another copy of the library', () => {
    const otherCopy = createRequire(import.meta.url)('../dist/index.cjs') as typeof import('./index')
    const error = new otherCopy.TeamsOAuthError('INPUT_INVALID', 'from the CommonJS build', { field: 'x' })
    expect(error).toBeInstanceOf(TeamsOAuthError)
    expect(isTeamsOAuthError(error)).toBe(true)
    expect(toTeamsOAuthError(error)).toBe(error)
  })

  it('is not claimed by an ordinary error that merely shares its name', () => {
    const impostor = Object.assign(new Error('plain'), { name: 'TeamsOAuthError', code: 'INPUT_INVALID' })
    expect(impostor).not.toBeInstanceOf(TeamsOAuthError)
    expect(toTeamsOAuthError(impostor).code).toBe('STEP_FAILED')
  })
})
