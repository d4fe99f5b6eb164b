import { TeamsOAuthError } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { isPowerShellError, PowerShellError } from './errors'

describe('isPowerShellError', () => {
  it("knows a session's failure made by another copy of the package by its code", () => {
    // what a PowerShellError of the other build (ESM or CommonJS) looks like from here
    const crashed = new TeamsOAuthError('POWERSHELL_CRASHED', 'pwsh exited')
    expect(crashed instanceof PowerShellError).toBe(false)
    expect(isPowerShellError(crashed)).toBe(true)
  })

  it('knows its own class whatever the code, and no other error', () => {
    expect(isPowerShellError(new PowerShellError('INPUT_INVALID', 'bad call'))).toBe(true)
    expect(isPowerShellError(new TeamsOAuthError('ENTRA_PATH_UNAVAILABLE', 'no path', {}))).toBe(false)
    expect(isPowerShellError(new Error('POWERSHELL_CRASHED'))).toBe(false)
  })
})
