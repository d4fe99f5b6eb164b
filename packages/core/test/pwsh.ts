import { execFileSync, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

/** The pwsh executable, or null. With TEAMS_OAUTH_REQUIRE_PWSH=1 (CI) a missing pwsh is an error, never a skip. */
export function findPwsh(): string | null {
  for (const candidate of ['pwsh', `${process.env.HOME}/.dotnet/tools/pwsh`]) {
    try {
      execFileSync(candidate, ['-NoLogo', '-NoProfile', '-Command', '$PSVersionTable.PSVersion.Major'], {
        stdio: 'pipe',
      })
      return candidate
    } catch {}
  }
  if (process.env.TEAMS_OAUTH_REQUIRE_PWSH === '1')
    throw new Error(
      'pwsh is required (TEAMS_OAUTH_REQUIRE_PWSH=1) but was not found: dotnet tool install --global PowerShell --version 7.6.9',
    )
  return null
}

export const pwsh = findPwsh()

/** Runs fixed PowerShell text in a fresh pwsh; values reach it only through the environment. */
export function runPwsh(script: string, env: Record<string, string> = {}): string {
  if (!pwsh) throw new Error('pwsh missing')
  return execFileSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
}

/** A pwsh that runs fixed text once and answers each line written to it with one line. */
export interface PwshLines {
  ask(line: string): Promise<string>
  close(): Promise<void>
}

/** Starts one pwsh for many questions: the script reads lines from stdin and writes one line per line read. */
export function openPwshLines(script: string): PwshLines {
  if (!pwsh) throw new Error('pwsh missing')
  const child = spawn(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', script], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const waiting: { resolve(line: string): void; reject(error: Error): void }[] = []
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.resolve(line))
  child.on('exit', (code) => {
    for (const next of waiting.splice(0)) next.reject(new Error(`pwsh exited (${code}): ${stderr}`))
  })
  return {
    ask: (line) =>
      new Promise((resolve, reject) => {
        waiting.push({ resolve, reject })
        child.stdin.write(`${line}\n`)
      }),
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.on('exit', () => resolve())
        child.stdin.end()
      }),
  }
}
