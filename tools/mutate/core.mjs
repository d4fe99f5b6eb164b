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
//
// `--sample 0.15 [--seed 1]` mutates only a random sample of the source lines, the same lines for the
// same seed: an estimate of the score in a fraction of the time. A mutant that spans several lines
// (a block emptied) is never in a sample; such mutants are mostly killed, so the estimate is low
// rather than high.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

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

const flag = (name, fallback) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback
const concurrency = flag('--concurrency', '2')
const sample = Number(flag('--sample', '1'))
const seed = Number(flag('--seed', '1'))
if (!(sample > 0 && sample <= 1) || !Number.isInteger(seed)) {
  console.error('--sample takes a fraction of the lines above 0 and at most 1, --seed a whole number')
  process.exit(2)
}

/** mulberry32: the same numbers for the same seed, on every machine */
function random(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** core's sources, or in a sample the chosen lines of each as Stryker's `file:from-to` ranges */
function toMutate() {
  const everything = 'packages/core/src/**/*.ts,!packages/core/src/**/*.test.ts'
  if (sample === 1) return everything
  const next = random(seed)
  const code = (line) => line.trim() !== '' && !/^\s*(\/\/|\/\*|\*|import )/.test(line)
  const ranges = []
  const sources = readdirSync('packages/core/src', { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .sort()
  for (const name of sources) {
    const file = `packages/core/src/${name}`
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (code(line) && next() < sample) ranges.push(`${file}:${index + 1}-${index + 1}`)
      })
  }
  console.log(`a sample of ${ranges.length} lines of ${sources.length} files (seed ${seed})`)
  return ranges.join(',')
}
const run = spawnSync(
  'npx',
  [
    'stryker',
    'run',
    '--mutate',
    toMutate(),
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
