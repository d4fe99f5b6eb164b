import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, vi } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))

/** A TypeScript block of a README (the nth, or the one after a heading), with package imports pointed at the sources. */
async function example(readme: string, after?: string): Promise<string> {
  let text = await readFile(join(root, readme), 'utf8')
  if (after) text = text.slice(text.indexOf(after))
  const code = /```ts\n([\s\S]*?)```/.exec(text)?.[1] ?? ''
  return code.replace(/'@teams-oauth\/([a-z]+)'/g, (_, name: string) =>
    JSON.stringify(join(root, 'packages', name, 'src', 'index.ts')),
  )
}

async function run(code: string) {
  const folder = await mkdtemp(join(root, 'packages', 'fakes', '.readme-'))
  const file = join(folder, 'example.ts')
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  vi.spyOn(console, 'error').mockImplementation(() => {})
  try {
    await writeFile(file, code)
    await import(/* @vite-ignore */ file)
    return log.mock.calls
  } finally {
    vi.restoreAllMocks()
    await rm(folder, { recursive: true, force: true })
  }
}

describe('the README examples', () => {
  it("core's example runs as written: verify passes, rollback undoes, the script is printed", async () => {
    const calls = await run(await example('packages/core/README.md'))
    expect(calls[0]).toEqual([true])
    expect(String(calls[1]?.[0])).toContain('# teams-oauth: profile teams, domain contoso.com')
  })

  it("the main README's testing example runs as written", async () => {
    await run(await example('README.md', '### Testing your code against the fakes'))
  })
})
