import { buildRunbook, renderScript } from '@teams-oauth/core'
import { writeFileAtomic } from '../files'
import type { CliIO } from '../io'
import type { OptionsOf } from '../option-declarations'
import { accountsOf } from '../options'

/** Windows PowerShell 5.1 reads a BOM-less script as Windows-1252: the file says it is UTF-8. */
const utf8Bom = '\uFEFF'

export async function scriptCommand(io: CliIO, options: OptionsOf<'script'>): Promise<number> {
  const { entra } = options
  const runbook = buildRunbook({
    profile: options.profile,
    domain: options.domain,
    ...(options.domainController ? { domainController: options.domainController } : {}),
    accounts: accountsOf(options),
    entra,
    ...(options.graphUrl ? { graphUrl: options.graphUrl } : {}),
    dropExpiredKeys: options.dropExpiredKeys,
    allowPlainMailUser: options.allowPlainMailUser,
  })
  const script = renderScript(runbook, { entra })
  if (options.output) {
    writeFileAtomic(options.output, utf8Bom + script, 0o644)
    io.stderr(`Wrote ${options.output}\n`)
  } else io.stdout(script)
  return 0
}
