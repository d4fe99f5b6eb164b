#!/usr/bin/env node
// Prints the mutation score per package and per file from a Stryker report, and lists the survivors:
// `node tools/mutate/score.mjs [reports/mutation/mutation.json]`. Given the folder of a run's
// `event-recorder` reporter instead (`reports/mutation/events`), it scores the mutants tested so far,
// so a long run can be read while it goes on. Given several reports of runs over the same sources
// (a whole run, then a run of some files against more tests), a mutant counts as killed when any run
// killed it: it is the same mutant (same file, place, mutator and replacement), and some test kills it.
// Score: killed (timeouts included) over every mutant that ran or had no test, as Stryker counts it.
// Ignored mutants (a run with --ignoreStatic) and those that did not compile are counted apart.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const sources = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
const listSurvivors = !process.argv.includes('--no-survivors')

function readMutants(path) {
  if (statSync(path).isDirectory()) {
    return readdirSync(path)
      .filter((name) => name.endsWith('-onMutantTested.json'))
      .map((name) => JSON.parse(readFileSync(join(path, name), 'utf8')))
      .map((mutant) => ({ ...mutant, file: relative(process.cwd(), mutant.fileName) }))
  }
  const report = JSON.parse(readFileSync(path, 'utf8'))
  return Object.entries(report.files).flatMap(([file, { mutants }]) =>
    mutants.map((mutant) => ({ ...mutant, file: relative(process.cwd(), file) })),
  )
}

const detected = new Set(['Killed', 'Timeout'])
const undetected = new Set(['Survived', 'NoCoverage'])

function tally(mutants) {
  const count = { killed: 0, undetected: 0, ignored: 0, invalid: 0 }
  for (const { status } of mutants) {
    if (detected.has(status)) count.killed++
    else if (undetected.has(status)) count.undetected++
    else if (status === 'Ignored') count.ignored++
    else count.invalid++
  }
  const scored = count.killed + count.undetected
  return { ...count, scored, score: scored ? (100 * count.killed) / scored : 100 }
}

const line = (name, t) =>
  `${name.padEnd(56)} ${`${t.killed}/${t.scored}`.padStart(11)} ${t.score.toFixed(1).padStart(6)}%` +
  (t.ignored ? `  (${t.ignored} ignored)` : '') +
  (t.invalid ? `  (${t.invalid} did not compile or crashed)` : '')

const rank = (status) =>
  detected.has(status) ? 3 : undetected.has(status) ? 2 : status === 'Ignored' ? 1 : 0
const identity = (m) =>
  [
    m.file,
    m.location.start.line,
    m.location.start.column,
    m.location.end.line,
    m.location.end.column,
    m.mutatorName,
    m.replacement,
  ].join('|')
/** Each mutant once, with the best of its results over the runs: killed over survived over ignored. */
function union(runs) {
  const best = new Map()
  for (const mutant of runs.flat()) {
    const key = identity(mutant)
    const known = best.get(key)
    if (!known || rank(mutant.status) > rank(known.status)) best.set(key, mutant)
  }
  return [...best.values()]
}

const mutants = union(
  (sources.length ? sources : ['reports/mutation/mutation.json']).map((source) => readMutants(source)),
)
const byKey = (key) => {
  const groups = new Map()
  for (const mutant of mutants) {
    const k = key(mutant)
    const group = groups.get(k)
    if (group) group.push(mutant)
    else groups.set(k, [mutant])
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))
}

console.log('per package')
for (const [name, group] of byKey((m) => m.file.split('/').slice(0, 2).join('/')))
  console.log(line(name, tally(group)))
console.log('\nper file')
for (const [name, group] of byKey((m) => m.file)) console.log(line(name, tally(group)))
console.log(`\n${line('all', tally(mutants))}`)

if (listSurvivors) {
  const survivors = mutants
    .filter((m) => undetected.has(m.status))
    .sort((a, b) => a.file.localeCompare(b.file) || a.location.start.line - b.location.start.line)
  console.log(`\nsurvivors (${survivors.length})`)
  for (const m of survivors) {
    const replacement = (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60)
    console.log(`${m.file}:${m.location.start.line} ${m.status} ${m.mutatorName} → ${replacement}`)
  }
}
