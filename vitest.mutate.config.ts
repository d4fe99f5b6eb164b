import { defineConfig, mergeConfig } from 'vitest/config'
import base from './vitest.config'

// Mutation runs: the same projects, less the tests that load the built packages (the bin's start-up, what the
// fakes' main entry loads): they run dist, never the mutated sources.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        '**/node_modules/**',
        '**/startup.test.ts',
        '**/main-entry-loads-no-door.test.ts',
        '**/html-report-in-chromium.test.ts',
      ],
    },
  }),
)
