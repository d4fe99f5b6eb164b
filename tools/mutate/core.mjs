#!/usr/bin/env node
// Mutation-tests core as a whole (`npm run mutate:core`) against the tests that exercise it in-process:
// core's own and the fakes' (steps, doctor, delegates and rollback are tested there, against the fake
// tenant). Left out: the tests that run the built packages or a pwsh (they would not see a mutant, or
// would take minutes per mutant); the script renderer is measured apart, with its pwsh tests
// (`npm run mutate:guards -- script`).
//
// Static mutants (code that runs when its module loads: tables, schemas) are ignored here, so that each
// module is imported once per run and not once per test file: on two cores this takes about two hours
// instead of ten. The guards' static mutants are measured by `npm run mutate:guards`, which keeps them.
// The run writes each mutant's result as it is tested (reports/mutation/events); read the score so far
// with `node tools/mutate/score.mjs reports/mutation/events`, and at the end from
// reports/mutation/mutation.json.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

const testsIn = (folder) =>
  readdirSync(folder, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => `${folder}/${name}`)

/** the tests that load dist, start a pwsh or read a generated file: none of them sees a mutant of core */
const outOfProcess = [
  'core/test/main-entry.test.ts',
  'core/test/quote-round-trips-in-pwsh.test.ts',
  'core/test/script-parses-in-pwsh.test.ts',
  'fakes/src/pwsh-door.test.ts',
  'fakes/test/main-entry-loads-no-door.test.ts',
  'fakes/test/cmdlet-parameters-are-current.test.ts',
].map((path) => `packages/${path}`)

const tests = ['packages/core/src', 'packages/core/test', 'packages/fakes/src', 'packages/fakes/test']
  .flatMap(testsIn)
  .filter((path) => !outOfProcess.includes(path))
  .sort()

const concurrency = process.argv.includes('--concurrency')
  ? process.argv[process.argv.indexOf('--concurrency') + 1]
  : '2'
const run = spawnSync(
  'npx',
  [
    'stryker',
    'run',
    '--mutate',
    'packages/core/src/**/*.ts,!packages/core/src/**/*.test.ts',
    '--ignoreStatic',
    '--concurrency',
    concurrency,
    // half an hour: on a busy (or paused) machine a slow run must not count as a kill by timeout; a
    // mutant that loops forever is stopped sooner by Stryker's count of hits
    '--timeoutMS',
    '1800000',
    '--reporters',
    'clear-text,progress,json,html,event-recorder',
  ],
  {
    stdio: 'inherit',
    env: { ...process.env, MUTATE_TESTS: tests.join(','), MUTATE_SHARE_MODULES: '1' },
    shell: process.platform === 'win32',
  },
)
process.exit(run.status ?? 1)
