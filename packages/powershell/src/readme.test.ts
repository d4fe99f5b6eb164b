import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import { pwshTestGate } from './index'

const pwsh = pwshTestGate()
const packages = fileURLToPath(new URL('../../', import.meta.url))

/** The README's first TypeScript block, with package imports pointed at the sources. */
async function readmeExample(readme: string): Promise<string> {
  const text = await readFile(readme, 'utf8')
  const code = /```ts\n([\s\S]*?)```/.exec(text)?.[1] ?? ''
  return code.replace(/'@teams-oauth\/([a-z]+)'/g, (_, name: string) =>
    JSON.stringify(join(packages, name, 'src', 'index.ts')),
  )
}

describe.runIf(pwsh.run)("the README's example", () => {
  it('runs as written and prints what its comments say', async () => {
    const folder = await mkdtemp(join(packages, 'powershell', '.readme-'))
    const file = join(folder, 'example.ts')
    const path = process.env.PATH
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      process.env.PATH = `${dirname(pwsh.executable)}:${path}`
      await writeFile(file, await readmeExample(join(packages, 'powershell', 'README.md')))
      await import(/* @vite-ignore */ file)
      expect(log.mock.calls[0]).toEqual([
        'POWERSHELL_COMMAND_FAILED',
        'ObjectNotFound',
        'ItemNotFoundException',
      ])
      expect(log.mock.calls[1]).toEqual(['2025-06-02T00:00:00.000Z', { processesStarted: 1, calls: 3 }])
    } finally {
      process.env.PATH = path
      vi.restoreAllMocks()
      await rm(folder, { recursive: true, force: true })
    }
  })
})
