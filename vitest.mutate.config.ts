import { defineConfig, mergeConfig } from 'vitest/config'
import base from './vitest.config'

// Mutation runs: the same projects, less the tests of the built bin's start-up (they load dist, never the mutated sources).
export default mergeConfig(
  base,
  defineConfig({
    test: { exclude: ['**/node_modules/**', '**/startup.test.ts', '**/html-report-in-chromium.test.ts'] },
  }),
)
