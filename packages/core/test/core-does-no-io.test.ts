import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const forbidden =
  /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|tls|dns|os|worker_threads|cluster|readline|timers\/promises)$/
const src = new URL('../src', import.meta.url).pathname

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
        ? [join(dir, entry.name)]
        : [],
  )

describe('@teams-oauth/core', () => {
  it('imports no Node I/O module and no other package of ours', () => {
    const offending: string[] = []
    for (const file of sources(src)) {
      const text = readFileSync(file, 'utf8')
      for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        if (forbidden.test(specifier!) || specifier!.startsWith('@teams-oauth/'))
          offending.push(`${file}: ${specifier}`)
      }
    }
    expect(offending).toEqual([])
  })

  it('does not wait on timers', () => {
    const waits = sources(src).filter((file) =>
      /\b(setTimeout|setInterval|setImmediate)\s*\(/.test(readFileSync(file, 'utf8')),
    )
    expect(waits).toEqual([])
  })
})
