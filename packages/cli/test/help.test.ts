import { describe, expect, it } from 'vitest'
import { paint } from '../src/io'
import { runCli } from './run-cli'

const commands = ['demo', 'plan', 'apply', 'verify', 'doctor', 'script', 'rollback']

describe('teams-oauth --help', () => {
  it('lists every command', async () => {
    const run = await runCli(['--help'])
    expect(run.code).toBe(0)
    for (const command of commands) expect(run.stdout).toContain(`  ${command}`)
  })

  it.each(commands)('shows an example for %s', async (command) => {
    const run = await runCli([command, '--help'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(new RegExp(`Examples:\\n\\s+\\$ teams-oauth ${command}`))
  })

  it('answers an unknown command or option with exit 2 and a pointer to --help', async () => {
    const unknown = await runCli(['frobnicate'])
    expect(unknown.code).toBe(2)
    const option = await runCli(['plan', '--no-such-option'])
    expect(option.code).toBe(2)
    expect(option.stderr).toContain('--help')
  })
})

describe('colour', () => {
  const io = (env: Record<string, string>) => ({ env }) as Parameters<typeof paint>[0]
  it('is used only at a terminal', () => {
    expect(paint(io({}), true).red('x')).toBe('\u001b[31mx\u001b[0m')
    expect(paint(io({}), false).red('x')).toBe('x')
  })
  it('is never used with NO_COLOR set', () => {
    expect(paint(io({ NO_COLOR: '1' }), true).red('x')).toBe('x')
  })
})

describe('--json on a usage error', () => {
  it('still prints exactly one JSON document on stdout', async () => {
    for (const args of [
      ['plan', '--json', '--bogus'],
      ['plan', '--json', '--profile', 'nope'],
    ]) {
      const run = await runCli(args)
      expect(run.code).toBe(2)
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } })
    }
  })
})
