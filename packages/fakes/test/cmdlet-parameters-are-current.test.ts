import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const generate = fileURLToPath(new URL('../../../tools/cmdlet-parameters/generate.mjs', import.meta.url))

describe('cmdlet-parameters.json', () => {
  it('is what tools/cmdlet-parameters/generate.mjs makes of cmdlet-reference.json', () => {
    const check = spawnSync(process.execPath, [generate, '--check'], { encoding: 'utf8' })
    expect(check.stderr).toBe('')
    expect(check.status).toBe(0)
  })
})
