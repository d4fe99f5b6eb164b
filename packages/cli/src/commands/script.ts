import { buildRunbook, renderScript, TeamsOAuthError } from '@teams-oauth/core'
import { writeFileAtomic } from '../files'
import type { CliIO } from '../io'
import { accountsOf } from '../options'

/** Windows PowerShell 5.1 reads a BOM-less script as Windows-1252: the file says it is UTF-8. */
const utf8Bom = '\uFEFF'

export async function scriptCommand(io: CliIO, raw: Record<string, unknown>): Promise<number> {
  const entra = raw.entra as string | undefined
  if (entra !== 'graph' && entra !== 'msol')
    throw new TeamsOAuthError(
      'INPUT_INVALID',
      entra === undefined
        ? '--entra is required: how the script reaches Entra, graph (Microsoft Graph) or msol (MSOnline)'
        : `--entra: ${JSON.stringify(entra)} is not an Entra path for a script; choose graph or msol`,
      {
        field: 'entra',
      },
    )
  if (!raw.domain)
    throw new TeamsOAuthError(
      'INPUT_INVALID',
      'domain: is required; give a domain verified in your tenant (--domain contoso.com)',
      { field: 'domain' },
    )
  // The runbook's input schema holds the one Graph URL validator, as plan and apply use it.
  const runbook = buildRunbook({
    profile: raw.profile as 'teams',
    domain: raw.domain as string,
    ...(raw.domainController ? { domainController: raw.domainController as string } : {}),
    accounts: accountsOf(raw),
    entra,
    ...(typeof raw.graphUrl === 'string' ? { graphUrl: raw.graphUrl } : {}),
    dropExpiredKeys: Boolean(raw.dropExpiredKeys),
    allowPlainMailUser: Boolean(raw.allowPlainMailUser),
  })
  const script = renderScript(runbook, { entra })
  if (raw.output) {
    writeFileAtomic(raw.output as string, utf8Bom + script, 0o644)
    io.stderr(`Wrote ${raw.output}\n`)
  } else io.stdout(script)
  return 0
}
