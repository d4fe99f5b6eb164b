import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const packages = ['core', 'powershell', 'fakes', 'exchange', 'graph', 'msol', 'cli']
const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url))

export default defineConfig({
  resolve: {
    // `@teams-oauth/<package>` is its `src/index.ts`, and a subpath door `@teams-oauth/<package>/<name>` its `src/<name>.ts`.
    alias: [
      { find: /^@teams-oauth\/([a-z]+)\/([a-z-]+)$/, replacement: `${packagesDir}$1/src/$2.ts` },
      { find: /^@teams-oauth\/([a-z]+)$/, replacement: `${packagesDir}$1/src/index.ts` },
    ],
  },
  test: {
    projects: packages.map((name) => ({
      extends: true,
      test: {
        name,
        root: `packages/${name}`,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 30_000,
        hookTimeout: 60_000,
      },
    })),
  },
})
