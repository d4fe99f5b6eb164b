import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { auditDelegates, type DelegateFinding } from '@teams-oauth/core'
import { createFakeTenant, scenarios } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { auditAll, stateFile } from './org-state'
import { tempDir } from './run-cli'

const bin = fileURLToPath(new URL('../bin/teams-oauth.js', import.meta.url))
const built = existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)))

const lineCount = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 2 : 0)

/** Resolves when the checkpoint holds more than `lines` mailboxes (the audit is under way). */
async function whenCheckpointPasses(file: string, lines: number, child: ChildProcess) {
  while (lineCount(file) <= lines) {
    if (child.exitCode !== null)
      throw new Error(`the audit ended (${child.exitCode}) before it could be interrupted`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )

const pair = (f: DelegateFinding) => `${f.delegator}→${f.delegate}`

describe.runIf(built)('an interrupted audit resumed from its checkpoint', () => {
  it('misses no relationship and reports none twice, after SIGINT and after kill -9', async () => {
    const org = scenarios.largeOrganisation({ mailboxes: 1200, delegatorsShare: 0.15, seed: 21 })
    const dir = tempDir()
    const state = stateFile(org, dir)
    const checkpoint = join(dir, 'audit.jsonl')
    const args = [bin, ...auditAll(state, checkpoint)]
    // each call of the fake takes 2 ms, so the audit runs long enough to be interrupted
    const env = { ...process.env, NO_COLOR: '1', TEAMS_OAUTH_FAKE_LATENCY_MS: '2' }
    const start = () => spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })

    const first = start()
    let firstErr = ''
    first.stderr?.on('data', (chunk) => {
      firstErr += chunk
    })
    await whenCheckpointPasses(checkpoint, 50, first)
    first.kill('SIGINT')
    const stopped = await exited(first)
    expect(stopped.code).toBe(130)
    expect(firstErr).toContain('run the same command again to resume')
    const afterSigint = lineCount(checkpoint)

    const second = start()
    await whenCheckpointPasses(checkpoint, afterSigint + 50, second)
    second.kill('SIGKILL')
    expect((await exited(second)).signal).toBe('SIGKILL')

    const third = spawn(process.execPath, [...args, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    third.stdout?.on('data', (chunk) => {
      out += chunk
    })
    const done = await exited(third)
    expect(done.code).toBe(3)
    const document = JSON.parse(out) as { findings: DelegateFinding[]; counts: unknown }
    const expected: string[] = []
    for await (const finding of auditDelegates(createFakeTenant(org), { scope: 'all' }))
      expected.push(pair(finding))
    const reported = document.findings.map(pair)
    expect(new Set(reported).size).toBe(reported.length)
    expect([...reported].sort()).toEqual([...expected].sort())
    expect(document.counts).toEqual(org.truth.all)
  }, 240_000)
})
