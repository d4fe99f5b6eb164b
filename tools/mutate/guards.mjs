#!/usr/bin/env node
// Mutation-tests each safety guard against the tests written for it, one guard at a time, one
// process: on a machine of two cores this finishes where `npm run mutate` over the whole tree does
// not. `npm run mutate:guards` runs them all; `npm run mutate:guards -- journal quoting` some (a word
// names a guard, or picks every guard whose name holds it).
// The goal for a guard is 100: every survivor killed, or named as equivalent where it is known.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const core = 'packages/core/src'
/**
 * Part of a file as Stryker's `file:from-to`: from the line that starts with `first` to the end of the
 * declaration that starts with `last` (the line before the next blank one). Found by name at each run,
 * so the range follows the code as lines move.
 */
function part(file, first, last = first) {
  const lines = readFileSync(file, 'utf8').split('\n')
  const start = lines.findIndex((line) => line.startsWith(first))
  let end = lines.findIndex((line, index) => index >= start && line.startsWith(last))
  if (start < 0 || end < 0) throw new Error(`${file} has no ${first}${last === first ? '' : ` … ${last}`}`)
  while (end + 1 < lines.length && lines[end + 1].trim() !== '') end++
  return `${file}:${start + 1}-${end + 1}`
}
/** Part of a file from the line that starts with `first` to the line before the next that starts with `next`. */
function until(file, first, next) {
  const lines = readFileSync(file, 'utf8').split('\n')
  const start = lines.findIndex((line) => line.startsWith(first))
  const end = lines.findIndex((line, index) => index > start && line.startsWith(next))
  if (start < 0 || end < 0) throw new Error(`${file} has no ${first} … ${next}`)
  return `${file}:${start + 1}-${end}`
}
const shared = 'packages/cli/src/commands/shared.ts'
/** guard → the files it lives in, and the tests that must kill every mutant of them */
const guards = {
  'key merge and null-key refusal': {
    mutate: [`${core}/key-credentials.ts`],
    tests: [
      `${core}/key-credentials.test.ts`,
      `${core}/key-credentials-rules.test.ts`,
      `${core}/entra-actions.test.ts`,
    ],
  },
  'Entra write and its read-back': {
    mutate: [`${core}/entra-actions.ts`],
    tests: [`${core}/entra-actions.test.ts`, `${core}/entra-actions-rules.test.ts`],
  },
  'read-back of unconfirmed changes': {
    mutate: [`${core}/read-back.ts`],
    tests: [`${core}/read-back.test.ts`],
  },
  'write allow-list': {
    mutate: [`${core}/execute.ts`, `${core}/actions.ts`],
    tests: [`${core}/execute.test.ts`, `${core}/actions.test.ts`],
  },
  journal: {
    mutate: [`${core}/journal.ts`, `${core}/journal-check.ts`],
    tests: [
      `${core}/journal-check.test.ts`,
      `${core}/journal-refusals.test.ts`,
      `${core}/journal-seal.test.ts`,
    ],
  },
  'role-group rule': {
    // decide: which assignment is enabled again, or none and one is created
    mutate: [until(`${core}/steps/role-assignment.ts`, '  decide(', '  print(')],
    tests: [`${core}/steps/role-assignment.test.ts`],
  },
  quoting: {
    mutate: [`${core}/script/quote.ts`],
    tests: [`${core}/script/quote-literals.test.ts`, `${core}/script/quote-escapes.test.ts`],
  },
  'Graph key write': {
    // graphEntra: the reads, the PATCH of keyCredentials and the read-back of a write whose answer
    // was lost (setKeyCredentials, with its null-key refusal), and which 400 refuses a key form
    mutate: [
      'packages/graph/src/graph-entra.ts:39-86',
      'packages/graph/src/graph-entra.ts:118-140',
      'packages/graph/src/graph-errors.ts:72-81',
    ],
    tests: ['packages/graph/src/key-write.test.ts', 'packages/graph/src/graph-errors.test.ts'],
  },
  'MSOnline keys': {
    mutate: ['packages/msol/src/msol-keys.ts'],
    tests: ['packages/msol/src/msol-keys.test.ts', 'packages/msol/src/msol-keys-rules.test.ts'],
  },
  'journal, lock and state files': {
    // the journal's file: assertDistinctFiles, and readJournal to writeJournal
    mutate: [
      'packages/cli/src/lock.ts',
      'packages/cli/src/files.ts',
      part(shared, 'export function assertDistinctFiles'),
      part(shared, 'export function readJournal', 'export const writeJournal'),
    ],
    // the unit tests: the CLI's own (test/files, test/lock-and-journal) run whole commands, too slow per mutant
    tests: [
      'packages/cli/src/files-and-lock.test.ts',
      'packages/cli/src/files-system-answers.test.ts',
      'packages/cli/src/lock-fallbacks.test.ts',
      'packages/cli/src/commands/journal-files.test.ts',
    ],
  },
}

const wanted = process.argv.slice(2)
// a word picks the guard of that very name, else every guard whose name holds it
const picks = (w, name) => (w in guards ? name === w : name.includes(w))
const chosen = Object.entries(guards).filter(
  ([name]) => wanted.length === 0 || wanted.some((w) => picks(w, name)),
)
if (chosen.length === 0) {
  console.error(`no guard matches ${wanted.join(', ')}; the guards: ${Object.keys(guards).join('; ')}`)
  process.exit(2)
}
let failed = 0
for (const [name, { mutate, tests }] of chosen) {
  console.log(`\n== ${name}`)
  const run = spawnSync(
    'npx',
    [
      'stryker',
      'run',
      '--mutate',
      mutate.join(','),
      '--concurrency',
      '1',
      '--reporters',
      'clear-text,progress',
    ],
    {
      stdio: 'inherit',
      env: { ...process.env, MUTATE_TESTS: tests.join(',') },
      shell: process.platform === 'win32',
    },
  )
  if (run.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
