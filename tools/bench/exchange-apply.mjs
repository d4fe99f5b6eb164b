// Benchmark: a full plan + apply of profile `all` through @teams-oauth/exchange (one long-lived pwsh
// session) against the PowerShell stand-in, versus the same cmdlet calls written as one plain .ps1
// run by one pwsh process. Prints both times, the ratio and how many pwsh processes each started.
// Goal: the session at most 1.2x the plain script; exit 1 when missed, or when the two runs did not
// make the same Exchange changes (the comparison would mean nothing).
//
// Needs the built packages (npm run build) and pwsh (PATH or ~/.dotnet/tools).
// Run: node tools/bench/exchange-apply.mjs [--runs 3]
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { apply, buildRunbook, plan } from '@teams-oauth/core'
import { psCall, quote } from '@teams-oauth/core/adapter'
import { connectExchange } from '@teams-oauth/exchange'
import { createFakeTenant } from '@teams-oauth/fakes'
import { startFakeExchangeServer } from '@teams-oauth/fakes/pwsh'
import { locatePwsh } from '@teams-oauth/powershell'

const runsFlag = process.argv.indexOf('--runs')
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 3
const executable = locatePwsh()
if (!executable) {
  console.error('pwsh not found: install PowerShell 7 (tools/install-pwsh.sh)')
  process.exit(2)
}

/**
 * Wraps a port so every call it makes is recorded in order, as PowerShell lines. Calls that failed
 * (plan's reads of what does not exist yet) are recorded inside try/catch, as a script would.
 * Each line hands its result back on stdout (Out-Result, defined by the script), because the
 * session hands every result back to its caller: a script that dropped them ($null = ...) would
 * skip the converting and the writing that the session cannot skip.
 */
function recording(port, lines) {
  return {
    async invoke(call) {
      const line = psCall(call.cmdlet, call.params)
      try {
        const result = await port.invoke(call)
        lines.push(`Out-Result (${line})`)
        return result
      } catch (error) {
        lines.push(`try { Out-Result (${line}) } catch { Out-Result $_.Exception.Message }`)
        throw error
      }
    },
    async exportCertificate(thumbprint) {
      lines.push(
        `Out-Result ([Convert]::ToBase64String((Get-ExchangeCertificate -Thumbprint ${quote(thumbprint)}).RawData))`,
      )
      return port.exportCertificate(thumbprint)
    },
    async hasParameter(cmdlet, parameter) {
      lines.push(
        `Out-Result (Get-Command -Name ${quote(cmdlet)}).Parameters.ContainsKey(${quote(parameter)})`,
      )
      return port.hasParameter(cmdlet, parameter)
    },
  }
}

async function throughTheSession() {
  const tenant = createFakeTenant()
  const door = await startFakeExchangeServer(tenant)
  const lines = []
  const began = performance.now()
  const connection = await connectExchange({
    mode: 'module',
    modulePath: door.modulePath,
    moduleArguments: [door.url],
    executable,
  })
  const targets = { exchange: recording(connection, lines), entra: tenant.entra }
  const runbook = buildRunbook({ profile: 'all', domain: 'contoso.com' })
  const planned = await plan(runbook, targets)
  await apply(planned, targets)
  await connection.close()
  const ms = performance.now() - began
  await door.close()
  return {
    ms,
    lines,
    changes: exchangeChanges(tenant),
    processes: connection.session.stats.processesStarted,
    calls: connection.session.stats.calls,
  }
}

async function asOnePlainScript(lines) {
  const tenant = createFakeTenant()
  const door = await startFakeExchangeServer(tenant)
  const folder = await mkdtemp(join(tmpdir(), 'teams-oauth-bench-'))
  const script = join(folder, 'apply.ps1')
  const text = [
    "$ErrorActionPreference = 'Stop'",
    `Import-Module -Name ${quote(door.modulePath)} -ArgumentList ${quote(door.url)}`,
    // each result as one line of JSON: the objects with their properties, lists as arrays (-Depth 2)
    'function Out-Result($Value) { [Console]::Out.WriteLine((ConvertTo-Json -InputObject @($Value) -Depth 2 -Compress -WarningAction SilentlyContinue)) }',
    ...lines,
  ].join('\n')
  await writeFile(script, text, 'utf8')
  const began = performance.now()
  let answers = 0
  const code = await new Promise((resolve, reject) => {
    const child = spawn(executable, ['-NoProfile', '-NonInteractive', '-File', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (text) => {
      for (const char of text) if (char === '\n') answers += 1
    })
    child.on('error', reject)
    child.on('close', resolve)
  })
  const ms = performance.now() - began
  await door.close()
  await rm(folder, { recursive: true, force: true })
  if (code !== 0) throw new Error(`the plain script failed (exit ${code})`)
  if (answers !== lines.length)
    throw new Error(`the plain script answered ${answers} of ${lines.length} calls`)
  return { ms, processes: 1, changes: exchangeChanges(tenant) }
}

const exchangeChanges = (tenant) => tenant.changes.filter((change) => change.system === 'exchange').length
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const sessionTimes = []
const scriptTimes = []
const ratioGoal = 1.2
let last
let differentWork = false
for (let run = 0; run < runs; run++) {
  last = await throughTheSession()
  sessionTimes.push(last.ms)
  const plain = await asOnePlainScript(last.lines)
  scriptTimes.push(plain.ms)
  if (plain.changes !== last.changes || last.changes === 0) {
    differentWork = true
    console.error(`the plain script made ${plain.changes} Exchange changes, apply made ${last.changes}`)
  }
}

const session = median(sessionTimes)
const script = median(scriptTimes)
console.log(
  `profile all: ${last.lines.length} Exchange calls (${last.changes} Exchange changes), median of ${runs} runs`,
)
console.log(
  `  teams-oauth apply via pwsh session: ${session.toFixed(0)} ms, ${last.processes} pwsh process(es), ${last.calls} session calls`,
)
console.log(`  same calls as one plain .ps1:       ${script.toFixed(0)} ms, 1 pwsh process`)
console.log(`  ratio (session / plain script):     ${(session / script).toFixed(2)}`)
const ratio = session / script
console.log(`  goal: at most ${ratioGoal}x: ${ratio <= ratioGoal ? 'met' : 'MISSED'}`)
if (differentWork) console.log('  FAILED: the two runs did different work')
process.exit(ratio <= ratioGoal && !differentWork ? 0 : 1)
