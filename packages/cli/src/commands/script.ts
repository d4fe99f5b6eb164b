import { buildRunbook, renderScript, TeamsOAuthError } from '@teams-oauth/core'
import { writeFileAtomic } from '../files'
import type { CliIO } from '../io'
import { accountsOf } from '../options'

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
      {
        field: 'domain',
      },
    )
  const runbook = buildRunbook({
    profile: raw.profile as 'teams',
    domain: raw.domain as string,
    ...(raw.domainController ? { domainController: raw.domainController as string } : {}),
    accounts: accountsOf(raw),
    entra,
  })
  const script = renderScript(runbook, {
    entra,
    ...(raw.graphUrl ? { graphUrl: raw.graphUrl as string } : {}),
  })
  if (raw.output) {
    writeFileAtomic(raw.output as string, script, 0o644)
    io.stderr(`Wrote ${raw.output}\n`)
  } else io.stdout(script)
  return 0
}
