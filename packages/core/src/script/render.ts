import { TeamsOAuthError } from '../errors'
import type { EntraPath } from '../input'
import type { Runbook } from '../runbook'
import { kindOf } from '../steps'
import { quote } from './quote'

export interface ScriptOptions {
  entra?: EntraPath
  /** Graph's base URL (national clouds). */
  graphUrl?: string
}

const header = (runbook: Runbook, entra: EntraPath, graphUrl: string) => {
  const { input } = runbook
  const needs =
    entra === 'graph'
      ? [
          '#   - the Microsoft.Graph.Authentication module (Install-Module Microsoft.Graph.Authentication)',
          '#   - Application.ReadWrite.All, as Application Administrator or Cloud Application Administrator',
          `#   - Graph at ${graphUrl}`,
        ]
      : [
          '#   - Windows PowerShell 5.1 with the MSOnline module (MSOnline was retired in 2025: prefer -Entra graph)',
          '#   - a Global Administrator or Application Administrator account',
        ]
  return [
    `# teams-oauth: profile ${input.profile}, domain ${input.domain}, Entra through ${entra === 'graph' ? 'Microsoft Graph' : 'MSOnline'}`,
    '#',
    '# What it does: lets Teams services act on on-premises mailboxes through OAuth (delegates adding a',
    '# Teams meeting for an on-premises delegator). On Exchange it creates the hidden application account(s),',
    '# their management roles, and the partner applications; in Entra it adds the Exchange auth certificate',
    "# as a Verify key to Microsoft's service principals, keeping every existing key.",
    '# Every step checks first and changes only what is missing: running it twice changes nothing.',
    '#',
    '# What it needs:',
    '#   - the Exchange Management Shell on an Exchange server, as an Organization Management member',
    ...needs,
    "# It writes a backup of each service principal's keys (its rollback) beside itself before changing them.",
    '',
    "$ErrorActionPreference = 'Stop'",
    input.domainController ? `$dc = @{ DomainController = ${quote(input.domainController)} }` : '$dc = @{}',
    `$backupFolder = Join-Path $PSScriptRoot ('teams-oauth-backup-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))`,
    'New-Item -ItemType Directory -Path $backupFolder -Force | Out-Null',
  ]
}

/** Graph's base URL, checked: an http(s) URL with nothing that could end a comment line or a literal. */
function checkedGraphUrl(value: string | undefined): string {
  const url = (value ?? 'https://graph.microsoft.com').replace(/\/+$/, '')
  let ok = false
  try {
    ok = /^https?:$/.test(new URL(url).protocol) && !/[\s\p{Cc}'"`$]/u.test(url)
  } catch {}
  if (!ok)
    throw new TeamsOAuthError(
      'INPUT_INVALID',
      `graphUrl: ${JSON.stringify(value)} is not a Graph base URL; give one such as https://graph.microsoft.com`,
      {
        field: 'graphUrl',
      },
    )
  return url
}

/** One readable, idempotent PowerShell script for a runbook and an Entra path. */
export function renderScript(runbook: Runbook, options: ScriptOptions = {}): string {
  const entra = options.entra ?? runbook.input.entra
  const graphUrl = checkedGraphUrl(options.graphUrl)
  const lines = header(runbook, entra, graphUrl)
  let connected = false
  runbook.steps.forEach((step, index) => {
    const kind = kindOf(step)
    lines.push('', `# Step ${index + 1}: ${kind.title(step)}`)
    if (step.kind === 'servicePrincipalKey' && !connected) {
      connected = true
      lines.push(
        entra === 'graph'
          ? `$graph = ${quote(graphUrl)}\nConnect-MgGraph -Scopes 'Application.ReadWrite.All' -NoWelcome`
          : 'Import-Module MSOnline\nConnect-MsolService',
      )
    }
    lines.push(kind.print(step, { entra }))
  })
  lines.push(
    '',
    "Write-Host 'Done. Check with: teams-oauth verify, or run this script again (it changes nothing when all is in place).'",
    '',
  )
  return lines.join('\n')
}
