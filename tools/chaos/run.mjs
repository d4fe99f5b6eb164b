// Chaos: random `kill -9` of the CLI and of its pwsh child during
// `apply --exchange fake-pwsh --entra graph` against the loopback fake Graph server. After each kill,
// apply is run again until it converges, then rolled back; the exact starting state of both Exchange
// (the --state file) and Entra (the Graph server's tenant, alive across the CLI's processes) must be back.
//
// Needs the built packages (npm run build), pwsh (PATH or ~/.dotnet/tools) and Linux (/proc, for the
// pwsh child's pid). Not part of CI: it takes minutes.
// Run: npm run chaos -- [--cli 30] [--pwsh 25] [--seed 1]
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createFakeTenant } from '@teams-oauth/fakes'
import { startFakeGraphServer } from '@teams-oauth/fakes/graph'
import { locatePwsh } from '@teams-oauth/powershell'

const flag = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? Number(process.argv[at + 1]) : fallback
}
const kills = { cli: flag('cli', 30), pwsh: flag('pwsh', 25) }
let seed = flag('seed', 1) >>> 0
/** mulberry32: the same seed, the same kills */
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const pwsh = locatePwsh()
if (!pwsh) {
  console.error('pwsh not found: install PowerShell 7 (tools/install-pwsh.sh)')
  process.exit(2)
}
const bin = fileURLToPath(new URL('../../packages/cli/bin/teams-oauth.js', import.meta.url))
const token = 'chaos-graph-token'
const pathWithPwsh = `${join(pwsh, '..')}:${process.env.PATH}`

/** Runs the CLI; `kill` may end it (or its pwsh child) with SIGKILL once the Nth change has started. */
function cli(args, kill) {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, PATH: pathWithPwsh, NO_COLOR: '1', TEAMS_OAUTH_GRAPH_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let started = 0
  let killed = null
  child.stdout.on('data', (c) => {
    stdout += c
  })
  child.stderr.on('data', (c) => {
    stderr += c
    started = (stderr.match(/^ {2}→ /gm) ?? []).length
    if (kill && !killed && started >= kill.atChange) {
      killed = 'pending'
      // a little later still, so some kills land mid-call and some between calls
      setTimeout(() => {
        const target = kill.who === 'cli' ? child.pid : pwshChildOf(child.pid)
        if (!target) {
          killed = 'no pwsh child'
          return
        }
        try {
          process.kill(target, 'SIGKILL')
          killed = `${kill.who} ${target}`
        } catch (error) {
          killed = `missed (${error.code})`
        }
      }, Math.floor(kill.delayMs))
    }
  })
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, started, killed }))
  })
}

/** The pid of a pwsh process whose parent is `pid` (Linux /proc). */
function pwshChildOf(pid) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(fields[1]) === pid && /pwsh/.test(stat.slice(stat.indexOf('('), stat.lastIndexOf(')'))))
        return Number(entry)
    } catch {}
  }
  return null
}

/** pwsh processes left running whose parent is gone (init adopted them). */
function orphanedPwsh() {
  let count = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      if (Number(fields[1]) === 1 && /pwsh/.test(stat) && cmdline.includes('-NonInteractive')) count++
    } catch {}
  }
  return count
}

const stateOf = (file) => JSON.parse(readFileSync(file, 'utf8'))
const canonical = (value) =>
  JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  )

async function trial(number, kill) {
  const dir = mkdtempSync(join(tmpdir(), 'teams-oauth-chaos-'))
  const state = join(dir, 's.json')
  const journal = join(dir, 'j.json')
  const exchangeTenant = createFakeTenant()
  writeFileSync(
    state,
    JSON.stringify({
      format: 'teams-oauth-fake-tenant',
      version: 1,
      state: exchangeTenant.state(),
      changes: [],
    }),
  )
  const graphTenant = createFakeTenant()
  const graph = await startFakeGraphServer(graphTenant)
  const start = {
    exchange: canonical(exchangeTenant.state().exchange),
    entra: canonical(graphTenant.state().entra),
  }
  const targets = ['--exchange', 'fake-pwsh', '--entra', 'graph', '--graph-url', graph.url, '--state', state]
  const applyArgs = [
    'apply',
    '--profile',
    'all',
    '--domain',
    'contoso.com',
    ...targets,
    '--journal',
    journal,
    '--yes',
  ]
  const result = { number, kill: `${kill.who} at change ${kill.atChange} +${Math.floor(kill.delayMs)} ms` }
  try {
    const first = await cli(applyArgs, kill)
    result.killed = first.killed ?? `not killed (exit ${first.code} after ${first.started} change(s) started)`
    result.firstExit = first.code ?? first.signal
    const reruns = []
    let converged = first.code === 0 && !first.killed
    for (let attempt = 0; attempt < 4 && !converged; attempt++) {
      const again = await cli(applyArgs)
      reruns.push(again.code)
      if (again.code === 0) converged = true
      else result.rerunError = (again.stderr.match(/teams-oauth: .*/) ?? [''])[0]
    }
    result.reruns = reruns
    result.converged = converged
    // the fake's writes against the journal's entries: each Exchange write must be in the journal
    const written = stateOf(state).changes.filter((c) => c.system === 'exchange').length
    let entries = []
    try {
      entries = stateOf(journal).entries
    } catch {}
    const journaled = entries.filter((e) => e.action.system === 'exchange').length
    result.unjournaledExchangeWrites = Math.max(0, written - journaled)
    const rolled = await cli(['rollback', ...targets, '--journal', journal, '--yes'])
    result.rollbackExit = rolled.code
    if (rolled.code !== 0) result.rollbackError = (rolled.stderr.match(/teams-oauth: .*/) ?? [''])[0]
    result.exchangeRestored = canonical(stateOf(state).state.exchange) === start.exchange
    result.entraRestored = canonical(graphTenant.state().entra) === start.entra
  } finally {
    await graph.close()
    rmSync(dir, { recursive: true, force: true })
  }
  result.ok = result.converged && result.rollbackExit === 0 && result.exchangeRestored && result.entraRestored
  return result
}

const plan = [
  ...Array.from({ length: kills.cli }, () => 'cli'),
  ...Array.from({ length: kills.pwsh }, () => 'pwsh'),
]
  .map((who) => ({ who, order: random() }))
  .sort((a, b) => a.order - b.order)
  .map(({ who }) => ({ who, atChange: 1 + Math.floor(random() * 34), delayMs: random() * 40 }))

const orphansBefore = orphanedPwsh()
const results = []
for (const [i, kill] of plan.entries()) {
  const result = await trial(i + 1, kill)
  results.push(result)
  console.log(
    `${String(result.number).padStart(2)} ${result.ok ? 'ok  ' : 'FAIL'} ${result.kill}: ${result.killed}; reruns ${JSON.stringify(result.reruns)}; ` +
      `rollback ${result.rollbackExit}; Exchange ${result.exchangeRestored ? 'restored' : 'NOT restored'}, Entra ${result.entraRestored ? 'restored' : 'NOT restored'}` +
      `${result.unjournaledExchangeWrites ? `; Exchange write not journaled (${result.unjournaledExchangeWrites})` : ''}` +
      `${result.rerunError ? `; rerun: ${result.rerunError}` : ''}${result.rollbackError ? `; rollback: ${result.rollbackError}` : ''}`,
  )
}
const count = (predicate) => results.filter(predicate).length
const byWho = (who) => results.filter((r) => r.kill.startsWith(who))
console.log(
  `\n${results.length} trials (${byWho('cli').length} kill -9 of the CLI, ${byWho('pwsh').length} of pwsh), seed ${flag('seed', 1)}:` +
    `\n  converged ${count((r) => r.converged)}, rolled back ${count((r) => r.rollbackExit === 0)}, ` +
    `Exchange restored ${count((r) => r.exchangeRestored)}, Entra restored ${count((r) => r.entraRestored)}, all ok ${count((r) => r.ok)}` +
    `\n  with an Exchange write not journaled: ${count((r) => r.unjournaledExchangeWrites > 0)}; ` +
    `failures otherwise: ${count((r) => !r.ok && !(r.unjournaledExchangeWrites > 0))}` +
    `\n  pwsh processes orphaned: ${orphanedPwsh() - orphansBefore}`,
)
process.exitCode = results.every((r) => r.ok) ? 0 : 1
