import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { scenarios } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { stateFile } from './org-state'
import { fake, runCli, tempDir } from './run-cli'

/** Runs a command that should be refused: exit 2, the message naming both flags, no file written. */
async function refused(args: string[], flags: [string, string], options: { json?: boolean } = {}) {
  const dir = tempDir()
  const state = join(dir, 's.json')
  const run = await runCli(args.map((a) => (a === '<state>' ? state : a)))
  expect(run.code, run.stderr).toBe(2)
  for (const flag of flags) expect(run.stderr).toContain(flag)
  expect(run.stderr).toContain('Nothing was changed.')
  expect(existsSync(state)).toBe(false)
  expect(readdirSync(dir)).toEqual([])
  if (options.json) return JSON.parse(run.stdout) as { error: { data: { issues: unknown[] } } }
  return undefined
}

const withTargets = [...fake, '--domain', 'contoso.com', '--state', '<state>']

describe('options that go together', () => {
  it.each(['plan', 'apply', 'verify', 'doctor'])(
    '%s: --delegate without --delegator, or the other way round, exits 2 naming both',
    async (command) => {
      const yes = command === 'apply' ? ['--yes'] : []
      const document = await refused(
        [command, ...withTargets, ...yes, '--delegate', 'bob', '--json'],
        ['--delegate', '--delegator'],
        { json: true },
      )
      expect(document?.error.data.issues).toEqual([
        {
          field: 'delegate',
          problem: 'goes with --delegator',
          fix: expect.stringContaining('--delegator alice'),
        },
      ])
      await refused([command, ...withTargets, ...yes, '--delegator', 'alice'], ['--delegator', '--delegate'])
    },
  )

  it('--any-certificate without --certificate exits 2 naming both', async () => {
    await refused(
      ['apply', ...withTargets, '--yes', '--any-certificate'],
      ['--any-certificate', '--certificate'],
    )
  })

  it('--state without a fake target exits 2 naming the targets, before connecting to any', async () => {
    const args = ['--exchange', 'https://ex01.contoso.com/PowerShell/', '--entra', 'graph']
    await refused(
      ['plan', ...args, '--domain', 'contoso.com', '--state', '<state>'],
      ['--state', '--exchange fake'],
    )
    await refused(
      ['delegates', '--exchange', 'https://ex01.contoso.com/PowerShell/', '--state', '<state>'],
      ['--state', '--exchange fake'],
    )
  })

  it.each(['plan', 'apply', 'verify', 'doctor', 'rollback'])(
    '%s: --graph-url with --entra msol exits 2 naming both, before connecting to any target',
    async (command) => {
      const args =
        command === 'rollback'
          ? ['rollback', '--journal', '<state>', '--exchange', 'fake', '--yes']
          : [
              command,
              '--exchange',
              'fake',
              '--domain',
              'contoso.com',
              ...(command === 'apply' ? ['--yes'] : []),
            ]
      await refused(
        [...args, '--entra', 'msol', '--graph-url', 'https://graph.microsoft.us/v1.0'],
        ['--graph-url', '--entra msol'],
      )
    },
  )

  it('script: --graph-url with --entra msol exits 2 naming both', async () => {
    await refused(
      [
        'script',
        '--domain',
        'contoso.com',
        '--entra',
        'msol',
        '--graph-url',
        'https://graph.microsoft.us/v1.0',
      ],
      ['--graph-url', '--entra msol'],
    )
  })

  it('delegates: --json with --jsonl exits 2 naming both', async () => {
    await refused(['delegates', '--exchange', 'fake', '--json', '--jsonl'], ['--json', '--jsonl'])
  })

  it('names every problem of a run at once: a missing target, a bad value and a broken pair', async () => {
    const document = await refused(
      [
        'plan',
        '--exchange',
        'fake',
        '--domain',
        'contoso.com',
        '--profile',
        'teams',
        '--delegator',
        'alice',
        '--json',
      ],
      ['--entra', '--delegate'],
      { json: true },
    )
    expect(document?.error.data.issues.map((issue) => (issue as { field: string }).field)).toEqual([
      'entra',
      'delegator',
    ])
  })

  it('takes the pair whole: the delegate relationship reaches the plan', async () => {
    const state = stateFile(scenarios.delegateOwnerOnly())
    const run = await runCli([
      'plan',
      ...fake,
      ...['--domain', 'contoso.com', '--state', state],
      '--delegate',
      'bob',
      '--delegator',
      'alice',
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain("-User 'bob' -AccessRights 'Editor'")
  })
})
