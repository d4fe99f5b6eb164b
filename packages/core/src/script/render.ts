import { graphTarget } from '../graph-cloud'
import type { EntraPath } from '../input'
import type { Runbook } from '../runbook'
import { kindOf } from '../steps'
import { scriptHelpers } from './helpers'
import { quote } from './quote'

export interface ScriptOptions {
  entra?: EntraPath
  /** Graph's base URL (national clouds); the runbook's own when left out. */
  graphUrl?: string
}

const header = (runbook: Runbook, entra: EntraPath, graph: string) => {
  const { input } = runbook
  const needs =
    entra === 'graph'
      ? [
          '#   - the Microsoft.Graph.Authentication module (Install-Module Microsoft.Graph.Authentication)',
          '#   - Application.ReadWrite.All, as Application Administrator or Cloud Application Administrator',
          `#   - Graph at ${graph}`,
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
    '# It first checks everything that would stop teams-oauth apply, and changes nothing if anything does;',
    '# then every step changes only what is missing: running it twice changes nothing.',
    '# It does not check hybrid OAuth (Exchange and Exchange Online), a prerequisite: teams-oauth doctor does.',
    '#',
    '# What it needs:',
    '#   - the Exchange Management Shell on an Exchange server, as an Organization Management member',
    ...needs,
    "# It writes a backup of each service principal's keys (its rollback) beside itself before changing them.",
    ...(input.domainController
      ? []
      : [
          '# Every Exchange command can be pinned to one domain controller (teams-oauth script --domain-controller),',
          '# as Microsoft does, so later steps see what earlier ones created.',
        ]),
    '',
    "$ErrorActionPreference = 'Stop'",
    input.domainController ? `$dc = @{ DomainController = ${quote(input.domainController)} }` : '$dc = @{}',
    '$nowUtc = (Get-Date).ToUniversalTime()',
    '$blocked = New-Object System.Collections.Generic.List[string]',
  ]
}

const connect = (entra: EntraPath, graph: string, environment: string) =>
  entra === 'graph'
    ? [
        `$graph = ${quote(graph)}`,
        `Connect-MgGraph ${environment === 'Global' ? '' : `-Environment ${environment} `}-Scopes 'Application.ReadWrite.All' -NoWelcome`,
        '$servicePrincipals = @{}',
      ].join('\n')
    : ['Import-Module MSOnline', 'Connect-MsolService', '$credentials = @{}'].join('\n')

/**
 * One readable, idempotent PowerShell script for a runbook and an Entra path, rendered from the steps'
 * own checks and changes: first every read that plan does, stopping before any change where apply
 * would refuse; then each step's changes.
 */
export function renderScript(runbook: Runbook, options: ScriptOptions = {}): string {
  const entra = options.entra ?? runbook.input.entra
  const target = graphTarget(options.graphUrl ?? runbook.input.graphUrl)
  const printing = { entra, input: runbook.input }
  const lines = [...header(runbook, entra, target.base), '', scriptHelpers(entra), '']
  lines.push('# ---- Checks: nothing is changed until every one passes ----')
  let connected = false
  runbook.steps.forEach((step, index) => {
    const kind = kindOf(step)
    const check = kind.printCheck?.(step, printing)
    if (step.kind === 'servicePrincipalKey' && !connected) {
      connected = true
      lines.push('', connect(entra, target.base, target.cloud.environment))
    }
    if (check) lines.push('', `# Check ${index + 1}: ${kind.title(step)}`, check)
  })
  lines.push(
    '',
    "if ($blocked.Count -gt 0) { throw ('Nothing was changed: ' + ($blocked -join '; ')) }",
    '',
    '# ---- Changes ----',
    "$backupFolder = Join-Path $PSScriptRoot ('teams-oauth-backup-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))",
    'New-Item -ItemType Directory -Path $backupFolder -Force | Out-Null',
  )
  runbook.steps.forEach((step, index) => {
    const kind = kindOf(step)
    lines.push('', `# Step ${index + 1}: ${kind.title(step)}`, kind.print(step, printing))
  })
  lines.push(
    '',
    "Write-Host 'Done. Check with: teams-oauth verify, or run this script again (it changes nothing when all is in place).'",
    '',
  )
  return lines.join('\n')
}
