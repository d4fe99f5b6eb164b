import { accessSync, constants } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'

/**
 * The path of PowerShell 7 (`pwsh`): on PATH, or where `dotnet tool install --global PowerShell`
 * puts it. Null when absent.
 */
export function locatePwsh(env: NodeJS.ProcessEnv = process.env): string | null {
  const names = process.platform === 'win32' ? ['pwsh.exe', 'pwsh.cmd'] : ['pwsh']
  const folders = [...(env.PATH ?? '').split(delimiter).filter(Boolean), join(homedir(), '.dotnet', 'tools')]
  for (const folder of folders) {
    for (const name of names) {
      const candidate = join(folder, name)
      try {
        accessSync(candidate, constants.X_OK)
        return candidate
      } catch {}
    }
  }
  return null
}

/**
 * For test files that need a real pwsh: run them when pwsh is there, and also when
 * TEAMS_OAUTH_REQUIRE_PWSH=1 (then a missing pwsh fails them instead of skipping them).
 * Use as `describe.runIf(pwshTests.run)(…)` and start sessions with `pwshTests.executable`.
 */
export function pwshTestGate(env: NodeJS.ProcessEnv = process.env): { run: boolean; executable: string } {
  const found = locatePwsh(env)
  return { run: found !== null || env.TEAMS_OAUTH_REQUIRE_PWSH === '1', executable: found ?? 'pwsh' }
}
