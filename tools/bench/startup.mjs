// Benchmark: how long the built `teams-oauth` takes to start. Median, min and max wall time over N
// runs (after 2 warm-ups) of `node -e 0`, `teams-oauth --version`, `--help`, `plan --help` and `demo`,
// each as a ratio to `node -e 0` measured in the same run. Goals: the three help and version commands
// at most 1.5x, `demo` at most 5x; exit 1 when any is missed.
//
// Needs the built packages (npm run build).
// Run: node tools/bench/startup.mjs [--runs 15]   (or: npm run bench -- startup)
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const runsFlag = process.argv.indexOf('--runs')
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15
const warmups = 2

const bin = fileURLToPath(new URL('../../packages/cli/bin/teams-oauth.js', import.meta.url))
const dist = fileURLToPath(new URL('../../packages/cli/dist/index.js', import.meta.url))
if (!existsSync(dist)) {
  console.error('packages/cli/dist is missing: build first (npm run build)')
  process.exit(2)
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error('--runs: expected a whole number of runs, 1 or more')
  process.exit(2)
}

const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'teams-oauth --version', args: [bin, '--version'] },
  { name: 'teams-oauth --help', args: [bin, '--help'] },
  { name: 'teams-oauth plan --help', args: [bin, 'plan', '--help'] },
  { name: 'teams-oauth demo', args: [bin, 'demo'] },
]
/** The most each may take, as a multiple of `node -e 0`. */
const goals = {
  'teams-oauth --version': 1.5,
  'teams-oauth --help': 1.5,
  'teams-oauth plan --help': 1.5,
  'teams-oauth demo': 5,
}

/** Wall time of one run in milliseconds: spawn to exit, stdout discarded. */
function once({ name, args }) {
  const began = process.hrtime.bigint()
  const { status, error, stderr } = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  })
  const ms = Number(process.hrtime.bigint() - began) / 1e6
  if (error || status !== 0) {
    console.error(`${name} failed (exit ${status}): ${error?.message ?? stderr}`)
    process.exit(1)
  }
  return ms
}

const median = (sorted) => {
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const results = cases.map((one) => {
  for (let i = 0; i < warmups; i++) once(one)
  const times = Array.from({ length: runs }, () => once(one)).sort((a, b) => a - b)
  return { name: one.name, median: median(times), min: times[0], max: times.at(-1) }
})

const baseline = results[0].median
const ms = (value) => value.toFixed(1).padStart(8)
console.log(`startup, ${runs} runs each after ${warmups} warm-ups (node ${process.version}), ms:`)
console.log(
  `${'command'.padEnd(24)}${'median'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}  × node -e 0`,
)
for (const row of results)
  console.log(
    `${row.name.padEnd(24)}${ms(row.median)}${ms(row.min)}${ms(row.max)}  ${(row.median / baseline).toFixed(2)}`,
  )

let missed = 0
for (const row of results.slice(1)) {
  const ratio = row.median / baseline
  const goal = goals[row.name]
  const met = ratio <= goal
  if (!met) missed++
  console.log(
    `${row.name}: ${ratio.toFixed(2)}x node -e 0 (goal at most ${goal}x): ${met ? 'met' : 'MISSED'}`,
  )
}
process.exit(missed === 0 ? 0 : 1)
