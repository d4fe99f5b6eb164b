import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { type CliIO, main } from '../src/index'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Runs the CLI in process, as a script would: no TTY, no one to confirm. */
export async function runCli(
  args: string[],
  options: { env?: Record<string, string>; interactive?: boolean; answer?: boolean } = {},
): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = {
    stdout: (text) => {
      stdout += text
    },
    stderr: (text) => {
      stderr += text
    },
    env: { NO_COLOR: '1', ...options.env },
    interactive: options.interactive ?? false,
    confirm: async () => options.answer ?? false,
    cwd: process.cwd(),
  }
  const code = await main(args, io)
  return { code, stdout, stderr }
}

export const tempDir = () => mkdtempSync(join(tmpdir(), 'teams-oauth-cli-'))

/** The fake tenant a --state file keeps: its state and every write it has seen. */
export const stateOf = (file: string) =>
  JSON.parse(readFileSync(file, 'utf8')) as { state: unknown; changes: unknown[] }

/** The embedded fake as both targets: the options every run against it names. */
export const fake = ['--exchange', 'fake', '--entra', 'fake']

/**
 * A fresh folder for one fake organisation kept in a --state file, with a journal beside it, and
 * the options that name them: `targets` (the fake as both targets, kept in the state file) and
 * `common` (those, a profile and the domain).
 */
export function keptFake(
  options: { profile?: string; exchange?: 'fake' | 'fake-pwsh'; state?: string } = {},
) {
  const dir = options.state ? dirname(options.state) : tempDir()
  const state = options.state ?? join(dir, 's.json')
  const journal = join(dir, 'j.json')
  const targets = ['--exchange', options.exchange ?? 'fake', '--entra', 'fake', '--state', state]
  const common = ['--profile', options.profile ?? 'teams', '--domain', 'contoso.com', ...targets]
  return { dir, state, journal, targets, common }
}
