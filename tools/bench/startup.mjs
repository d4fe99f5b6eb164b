// Benchmark: how long the built `teams-oauth` takes to start. Wall time of `node -e 0`,
// `teams-oauth --version`, `--help`, `plan --help` and `demo`, over N rounds (after 2 warm-up rounds);
// each round runs every command once, starting one further along each time, so a machine whose load
// changes during the run slows all of them alike. Each command's ratio to `node -e 0` is taken within
// its round; the goal is checked on the median of those ratios, and their middle half is printed as
// the spread. Goals: the three help and version commands at most 1.5x, `demo` at most 5x; exit 1
// when any is missed.
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

// rounds[r][i]: the time of cases[i] in round r
const rounds = []
for (let round = 0; round < warmups + runs; round++) {
  const times = new Array(cases.length)
  for (let k = 0; k < cases.length; k++) {
    const i = (round + k) % cases.length
    times[i] = once(cases[i])
  }
  if (round >= warmups) rounds.push(times)
}

const sorted = (values) => [...values].sort((a, b) => a - b)
const quantile = (values, q) => {
  const s = sorted(values)
  const at = (s.length - 1) * q
  return s[Math.floor(at)] + (s[Math.ceil(at)] - s[Math.floor(at)]) * (at - Math.floor(at))
}
const results = cases.map((one, i) => {
  const times = rounds.map((round) => round[i])
  const ratios = rounds.map((round) => round[i] / round[0])
  return {
    name: one.name,
    median: median(sorted(times)),
    min: Math.min(...times),
    max: Math.max(...times),
    ratio: median(sorted(ratios)),
    spread: [quantile(ratios, 0.25), quantile(ratios, 0.75)],
  }
})

const ms = (value) => value.toFixed(1).padStart(8)
console.log(`startup, ${runs} rounds after ${warmups} warm-up rounds (node ${process.version}), ms:`)
console.log(
  `${'command'.padEnd(24)}${'median'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}  × node -e 0 (middle half)`,
)
for (const row of results)
  console.log(
    `${row.name.padEnd(24)}${ms(row.median)}${ms(row.min)}${ms(row.max)}  ${row.ratio.toFixed(2)} (${row.spread.map((r) => r.toFixed(2)).join('-')})`,
  )

let missed = 0
for (const row of results.slice(1)) {
  const goal = goals[row.name]
  const met = row.ratio <= goal
  if (!met) missed++
  console.log(
    `${row.name}: ${row.ratio.toFixed(2)}x node -e 0 (goal at most ${goal}x): ${met ? 'met' : 'MISSED'}`,
  )
}
process.exit(missed === 0 ? 0 : 1)
