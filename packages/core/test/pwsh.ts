import { execFileSync } from 'node:child_process'

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
