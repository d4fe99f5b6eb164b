import { defineConfig, mergeConfig } from 'vitest/config'
import { UnloadableFileFails } from './tools/mutate/unloadable-file-fails'
import base from './vitest.config'

// Mutation runs: the same projects, less the tests that load the built packages (the bin's start-up, what
// the fakes' main entry loads: they run dist, never the mutated sources) and the browser tests.
const exclude = [
  '**/node_modules/**',
  '**/startup.test.ts',
  '**/main-entry-loads-no-door.test.ts',
  '**/*-in-chromium.test.ts',
]

// MUTATE_TESTS narrows a run to some test files, paths from the repository root separated by commas
// (`MUTATE_TESTS=packages/core/src/key-credentials.test.ts npx stryker run --mutate ...`): on a busy
// machine a run per file against the tests written for it finishes, where the whole suite does not.
const only = (process.env.MUTATE_TESTS ?? '')
  .split(',')
  .map((path) => path.trim())
  .filter(Boolean)

// MUTATE_SHARE_MODULES=1 imports each module once per run instead of once per test file. Only for a run
// with --ignoreStatic: a static mutant is activated when its module loads, so with shared modules it
// would never be, and would survive falsely.
const shareModules = process.env.MUTATE_SHARE_MODULES === '1'

const narrowed = only.length
  ? defineConfig({
      test: {
        projects: ['core', 'powershell', 'fakes', 'exchange', 'graph', 'msol', 'cli']
          .map((name) => ({
            name,
            include: only
              .filter((path) => path.startsWith(`packages/${name}/`))
              .map((path) => path.slice(`packages/${name}/`.length)),
          }))
          .filter((project) => project.include.length > 0)
          .map(({ name, include }) => ({
            extends: true,
            test: {
              name,
              root: `packages/${name}`,
              include,
              exclude,
              testTimeout: 30_000,
              hookTimeout: 60_000,
              ...(shareModules ? { isolate: false } : {}),
            },
          })),
      },
    })
  : defineConfig({ test: { exclude } })

// a test file that cannot load counts as a failed test (see UnloadableFileFails)
const reporting = defineConfig({ test: { reporters: ['default', new UnloadableFileFails()] } })

export default mergeConfig(
  only.length
    ? mergeConfig({ ...base, test: { ...base.test, projects: [] } }, narrowed)
    : mergeConfig(base, narrowed),
  reporting,
)
