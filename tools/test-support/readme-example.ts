import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { vi } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Runs a README's TypeScript example as written (its first block, or the first after a heading),
 * with the package imports (and subpath doors) pointed at the sources; resolves to what the example logged.
 */
export async function runReadmeExample(
  readme: string,
  options: { after?: string } = {},
): Promise<unknown[][]> {
  let text = await readFile(join(root, readme), 'utf8')
  if (options.after) text = text.slice(text.indexOf(options.after))
  const code = (/```ts\n([\s\S]*?)```/.exec(text)?.[1] ?? '').replace(
    /'@teams-oauth\/([a-z]+)(?:\/([a-z-]+))?'/g,
    (_, name: string, door?: string) =>
      JSON.stringify(join(root, 'packages', name, 'src', `${door ?? 'index'}.ts`)),
  )
  if (!code)
    throw new Error(`${readme} has no TypeScript example${options.after ? ` after ${options.after}` : ''}`)
  const folder = await mkdtemp(join(root, '.readme-'))
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
