import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runReadmeExample } from '../../../tools/test-support/readme-example'
import { pwshTestGate } from './testing'

const pwsh = pwshTestGate()

describe.runIf(pwsh.run)("the README's example", () => {
  it('runs as written and prints what its comments say', async () => {
    const path = process.env.PATH
    try {
      process.env.PATH = `${dirname(pwsh.executable)}:${path}`
      const calls = await runReadmeExample('packages/powershell/README.md')
      expect(calls[0]).toEqual(['POWERSHELL_COMMAND_FAILED', 'ObjectNotFound', 'ItemNotFoundException'])
      expect(calls[1]).toEqual(['2025-06-02T00:00:00.000Z', { processesStarted: 1, calls: 3 }])
    } finally {
      process.env.PATH = path
    }
  })
})
