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
