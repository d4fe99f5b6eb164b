import { dirname } from 'node:path'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { runReadmeExample } from '../../../tools/test-support/readme-example'

const pwsh = pwshTestGate()

describe.runIf(pwsh.run)("the README's example", () => {
  it('runs as written and prints what its comment says', async () => {
    const path = process.env.PATH
    try {
      process.env.PATH = `${dirname(pwsh.executable)}:${path}`
      const [[length, hasApplicationAccount, reason] = []] = await runReadmeExample(
        'packages/exchange/README.md',
      )
      expect(length).toBeGreaterThan(500)
      expect(hasApplicationAccount).toBe(true)
      expect(reason).toBe('ManagementObjectNotFoundException')
    } finally {
      process.env.PATH = path
    }
  })
})
