import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DelegateFinding } from '@teams-oauth/core'
import { scenarios } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { csvColumns } from '../src/delegates/csv'
import { auditAll, parseCsv, stateFile } from './org-state'
import { runCli, tempDir } from './run-cli'

const org = scenarios.largeOrganisation({ mailboxes: 400, delegatorsShare: 0.2, seed: 11 })

describe('teams-oauth delegates', () => {
  it('requires --exchange, says how to give it, and reads nothing (exit 2)', async () => {
    const run = await runCli(['delegates', '--json'])
    expect(run.code).toBe(2)
    const document = JSON.parse(run.stdout)
    expect(document.error.data.issues[0]).toMatchObject({ field: 'exchange', problem: 'is required' })
    expect(document.error.message).toContain('--exchange local')
  })

  it('refuses --concurrency 17 with the reason, before connecting (exit 2)', async () => {
    const run = await runCli(['delegates', '--exchange', 'fake', '--concurrency', '17'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('concurrency: 17 is not a whole number from 1 to 16')
    expect(run.stderr).not.toContain('Auditing')
  })

  it('prints a summary table naming the target, and exits 3 when a relationship fails', async () => {
    const run = await runCli(['delegates', '--exchange', 'fake', '--state', stateFile(org)])
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('Exchange fake, scope delegators')
    expect(run.stdout).toMatch(new RegExp(`fail\\s+${org.truth.delegators.fail}\\n`))
    expect(run.stdout).toMatch(new RegExp(`ok\\s+${org.truth.delegators.ok}\\n`))
    expect(run.stderr).toContain('Auditing the delegates of Contoso')
  })

  it('exits 0 when no relationship fails', async () => {
    const run = await runCli(['delegates', '--exchange', 'fake'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/ok\s+2\n/)
  })

  it('--json is one document with its targets, counts equal to the ground truth, and every finding', async () => {
    const run = await runCli([
      'delegates',
      '--exchange',
      'fake',
      '--state',
      stateFile(org),
      '--all',
      '--json',
    ])
    const document = JSON.parse(run.stdout)
    expect(document.targets).toEqual({ exchange: 'fake' })
    expect(document.scope).toBe('all')
    expect(document.counts).toEqual(org.truth.all)
    const total = org.truth.all.ok + org.truth.all.warn + org.truth.all.fail
    expect(document.findings).toHaveLength(total)
    // progress goes to stderr, never into the document
    expect(run.stderr).toContain('audit: 400/400 mailboxes')
  })

  it('--jsonl streams one finding a line and nothing else on stdout', async () => {
    const run = await runCli(['delegates', '--exchange', 'fake', '--state', stateFile(org), '--jsonl'])
    const lines = run.stdout.trimEnd().split('\n')
    const findings = lines.map((line) => JSON.parse(line) as DelegateFinding)
    expect(findings).toHaveLength(
      org.truth.delegators.ok + org.truth.delegators.warn + org.truth.delegators.fail,
    )
    expect(findings.every((f) => typeof f.verdict === 'string' && Array.isArray(f.fix))).toBe(true)
  })

  it('--csv writes valid RFC 4180, with hostile names (commas, quotes, apostrophes, a leading =) intact', async () => {
    const dir = tempDir()
    const csv = join(dir, 'delegates.csv')
    const run = await runCli([
      'delegates',
      '--exchange',
      'fake',
      '--state',
      stateFile(org),
      '--all',
      '--jsonl',
      '--csv',
      csv,
    ])
    const findings = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as DelegateFinding)
    const [header, ...rows] = parseCsv(readFileSync(csv, 'utf8'))
    expect(header).toEqual([...csvColumns])
    expect(rows).toHaveLength(findings.length)
    expect(rows.every((r) => r.length === csvColumns.length)).toBe(true)
    const column = (name: (typeof csvColumns)[number]) => csvColumns.indexOf(name)
    expect(rows.map((r) => r[column('delegate')])).toEqual(findings.map((f) => f.delegate))
    expect(rows.map((r) => r[column('fix')])).toEqual(findings.map((f) => f.fix.join('\n')))
    const names = rows.map((r) => r[column('delegatorName')]!)
    for (const hostile of ['Müller, Jr.', 'Dupont "Jo"', "O'Brien", '=1+1'])
      expect(names.some((n) => n.startsWith(hostile))).toBe(true)
  })
})

describe('teams-oauth delegates --checkpoint', () => {
  const small = scenarios.largeOrganisation({ mailboxes: 120, delegatorsShare: 0.3, seed: 2 })
  const total = small.truth.all.ok + small.truth.all.warn + small.truth.all.fail

  it('refuses the checkpoint of another audit before reading anything (exit 2)', async () => {
    const dir = tempDir()
    const checkpoint = join(dir, 'audit.jsonl')
    const state = stateFile(small, dir)
    expect(
      (
        await runCli([
          'delegates',
          '--exchange',
          'fake',
          '--state',
          state,
          '--checkpoint',
          checkpoint,
          '--json',
        ])
      ).code,
    ).toBe(3)
    const other = await runCli(auditAll(state, checkpoint))
    expect(other.code).toBe(2)
    expect(other.stderr).toContain('belongs to another audit (scope delegators, exchange fake)')
  })

  it('drops a torn last line (a run killed mid-write) and audits that mailbox again', async () => {
    const dir = tempDir()
    const checkpoint = join(dir, 'audit.jsonl')
    const state = stateFile(small, dir)
    await runCli([...auditAll(state, checkpoint), '--json'])
    const lines = readFileSync(checkpoint, 'utf8').trimEnd().split('\n')
    // keep the header and half the mailboxes, and tear the next line in two
    const kept = lines.slice(0, Math.floor(lines.length / 2))
    const torn = lines[kept.length]!.slice(0, 25)
    writeFileSync(checkpoint, `${kept.join('\n')}\n${torn}`)
    const resumed = await runCli([...auditAll(state, checkpoint), '--json'])
    const document = JSON.parse(resumed.stdout) as { findings: DelegateFinding[]; counts: unknown }
    const pairs = document.findings.map((f) => `${f.delegator}→${f.delegate}`)
    expect(new Set(pairs).size).toBe(total)
    expect(pairs).toHaveLength(total)
    expect(document.counts).toEqual(small.truth.all)
    expect(readFileSync(checkpoint, 'utf8')).not.toContain(`${torn}\n{`)
  })
})
