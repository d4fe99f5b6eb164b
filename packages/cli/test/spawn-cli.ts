import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { CliRun } from './run-cli'

export const bin = fileURLToPath(new URL('../bin/teams-oauth.js', import.meta.url))

export interface SpawnedCli {
  child: ChildProcess
  /** Resolves when stderr has printed text matching `pattern`. */
  printed(pattern: RegExp): Promise<void>
  done: Promise<CliRun>
}

/** Runs the built bin as its own process, as a person or a script would. */
export function spawnCli(args: string[], env: Record<string, string> = {}): SpawnedCli {
  if (!existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url))))
    throw new Error('packages/cli/dist is missing: build it first (npm run build)')
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  const waiting: { pattern: RegExp; resolve: () => void }[] = []
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    for (const wait of waiting.splice(0)) {
      if (wait.pattern.test(stderr)) wait.resolve()
      else waiting.push(wait)
    }
  })
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr }))
  })
  return {
    child,
    done,
    printed: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(stderr)) return resolve()
        waiting.push({ pattern, resolve })
        done.then(() => reject(new Error(`exited before printing ${pattern}:\n${stderr}`)), reject)
      }),
  }
}
