import { exchangeServerObject, mailboxObject } from '../exchange-objects'
import type { Targets } from '../ports'
import { type Check, check } from './checks'
import { type DiagnoseOptions, read } from './context'

/** Exchange 2016 CU3 (15.1.544) or later; 2019 (15.2) and Subscription Edition pass. */
export const buildOk = (version: string) => {
  const m = /Version (\d+)\.(\d+) \(Build (\d+)/.exec(version)
  if (!m) return null
  const [major, minor, build] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return major > 15 || (major === 15 && (minor > 1 || (minor === 1 && build >= 544)))
}

export async function buildChecks(targets: Targets, options: DiagnoseOptions): Promise<Check[]> {
  let serverName: string | null = null
  if (options.delegator) {
    const [mailbox] = await read(targets, { cmdlet: 'Get-Mailbox', params: { Identity: options.delegator } })
    serverName = mailbox ? mailboxObject.parse(mailbox).ServerName : null
  }
  const servers = (
    await read(targets, { cmdlet: 'Get-ExchangeServer', params: serverName ? { Identity: serverName } : {} })
  ).map((s) => exchangeServerObject.parse(s))
  if (servers.length === 0) return []
  const old = servers.filter((s) => buildOk(s.AdminDisplayVersion) === false)
  return [
    check(
      'exchange.build',
      serverName ? `Exchange build of ${options.delegator}'s server` : 'Exchange builds (2016 CU3 or later)',
      old.length ? 'fail' : 'pass',
      servers.map((s) => `${s.Name}: ${s.AdminDisplayVersion}`),
      'Update the server to a build Microsoft still supports (see the Exchange Server supportability matrix; Exchange 2016 and 2019 left support in October 2025, Exchange Server Subscription Edition is current).',
      "The delegator's mailbox must be on Exchange 2016 CU3 or later.",
    ),
  ]
}
