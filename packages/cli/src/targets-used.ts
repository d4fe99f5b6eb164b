import type { TargetOptions } from './options'

/** Which organisation and tenant a run used, as every output names them. */
export interface TargetsUsed {
  exchange: { target: string; is: string }
  entra: { target: string; is: string }
  state: string | null
}

type Named = Pick<TargetOptions, 'exchange' | 'entra' | 'state' | 'graphUrl' | 'tenant'>

const kept = (state: string | undefined) => (state ? `kept in ${state}` : 'not kept')

export function targetsUsed(options: Named): TargetsUsed {
  const exchange =
    options.exchange === 'fake'
      ? `embedded fake (${kept(options.state)})`
      : options.exchange === 'fake-pwsh'
        ? `embedded fake behind the PowerShell stand-in (${kept(options.state)})`
        : options.exchange === 'local'
          ? "this server's Exchange Management Shell"
          : `remote PowerShell at ${options.exchange}`
  const entra =
    options.entra === 'fake'
      ? `embedded fake (${kept(options.state)})`
      : options.entra === 'graph'
        ? `Microsoft Graph at ${options.graphUrl ?? 'https://graph.microsoft.com'}${options.tenant ? `, tenant ${options.tenant}` : ''}`
        : 'MSOnline (Windows PowerShell)'
  return {
    exchange: { target: options.exchange, is: exchange },
    entra: { target: options.entra, is: entra },
    state: options.state ?? null,
  }
}

/** One line for a person: "Targets: Exchange …; Entra …". */
export const targetsLine = (used: TargetsUsed) =>
  `Targets: Exchange ${used.exchange.is}; Entra ${used.entra.is}\n`

/** A word as a shell (sh, PowerShell) reads it back: single-quoted when it holds anything unusual. */
const shellWord = (word: string) => (/^[\w./:@=+,-]+$/.test(word) ? word : `'${word.replaceAll("'", "''")}'`)

/** The options that chose the targets, for a command printed to run next against the same ones. */
export function targetArguments(options: Named): string {
  const words = ['--exchange', options.exchange, '--entra', options.entra]
  if (options.graphUrl) words.push('--graph-url', options.graphUrl)
  if (options.tenant) words.push('--tenant', options.tenant)
  if (options.state) words.push('--state', options.state)
  return words.map(shellWord).join(' ')
}
