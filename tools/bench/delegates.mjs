// Benchmark of the delegate audit (not run in CI): npm run bench:delegates [-- --quick]
//  1. in process, scope all, 10k / 50k / 100k mailboxes, latency 0: time and peak RSS (each size in a
//     fresh process, so its peak is its own). Goal at 100k: <= 10 s and <= 300 MB, time linear.
//  2. the fake's per-mailbox handlers at 10k and 100k mailboxes: the same cost per call (no O(n²)).
//  3. through pwsh and the PowerShell stand-in, 2,000 mailboxes, latencyMs 20, concurrency 1/2/4/8:
//     throughput. Goal: concurrency 4 at least 3.2x concurrency 1.
//  4. Exchange calls per mailbox in each scope, against the minimum the scope needs.
// Needs the built packages (npm run build) and, for 3, pwsh (PATH or ~/.dotnet/tools).
import { spawnSync } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { auditDelegates } from '@teams-oauth/core'
import { connectExchangePool } from '@teams-oauth/exchange'
import { createFakeTenant, scenarios } from '@teams-oauth/fakes'
import { startFakeExchangeServer } from '@teams-oauth/fakes/pwsh'
import { locatePwsh } from '@teams-oauth/powershell'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
// --pwsh-only: only the through-pwsh figures (they take longest and suffer most from a busy machine)
const pwshOnly = args.includes('--pwsh-only')
const self = fileURLToPath(import.meta.url)

async function drain(findings) {
  let n = 0
  for await (const _ of findings) n++
  return n
}

/** One in-process audit of `mailboxes`, in this (fresh) process; prints one JSON line. */
async function inProcessChild(mailboxes) {
  const t0 = performance.now()
  const org = scenarios.largeOrganisation({ mailboxes, delegatorsShare: 0.1, seed: 1 })
  const tenant = createFakeTenant(org)
  const built = performance.now() - t0
  // the model's lookup table is built on the first lookup; the generator's garbage is not the audit's
  await tenant.exchange.invoke({ cmdlet: 'Get-Mailbox', params: { Identity: 'u000000' } })
  globalThis.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const t1 = performance.now()
  const cpu0 = process.cpuUsage()
  const relationships = await drain(auditDelegates(tenant, { scope: 'all' }))
  const audit = performance.now() - t1
  const cpu = process.cpuUsage(cpu0)
  const cpuMs = (cpu.user + cpu.system) / 1000
  const peakMb = process.resourceUsage().maxRSS / 1024
  globalThis.gc?.()
  // what the audit itself still holds when done: flat, whatever the size
  const auditHeldMb = (process.memoryUsage().heapUsed - heapBefore) / 1048576
  const modelMb = heapBefore / 1048576
  const expected = org.truth.all.ok + org.truth.all.warn + org.truth.all.fail
  console.log(
    JSON.stringify({
      mailboxes,
      relationships,
      expected,
      buildMs: built,
      auditMs: audit,
      cpuMs,
      peakMb,
      modelMb,
      auditHeldMb,
    }),
  )
}

/** Average cost of the per-mailbox reads at this size: constant if lookups are by index. */
async function handlerChild(mailboxes) {
  const tenant = createFakeTenant(scenarios.largeOrganisation({ mailboxes, delegatorsShare: 0.1, seed: 1 }))
  const aliases = Array.from(
    { length: 2000 },
    (_, i) => `u${String(Math.floor((i * mailboxes) / 2000)).padStart(6, '0')}`,
  )
  const result = {}
  // the lookup table is built on the first lookup: not a per-call cost
  await tenant.exchange.invoke({ cmdlet: 'Get-Mailbox', params: { Identity: aliases[0] } })
  for (const [cmdlet, params] of [
    ['Get-Mailbox', (a) => ({ Identity: a })],
    ['Get-MailboxFolderStatistics', (a) => ({ Identity: a, FolderScope: 'Calendar' })],
    ['Get-MailboxFolderPermission', null],
  ]) {
    const t = performance.now()
    for (const alias of aliases) {
      let p = params?.(alias)
      if (!p) {
        const [folder] = await tenant.exchange.invoke({
          cmdlet: 'Get-MailboxFolderStatistics',
          params: { Identity: alias, FolderScope: 'Calendar' },
        })
        p = { Identity: `${alias}:\\${folder.Name}` }
      }
      await tenant.exchange.invoke({ cmdlet, params: p })
    }
    result[cmdlet] = ((performance.now() - t) * 1000) / aliases.length
  }
  console.log(JSON.stringify({ mailboxes, microsecondsPerCall: result }))
}

function child(mode, n) {
  const run = spawnSync(process.execPath, ['--expose-gc', self, '--child', mode, String(n)], {
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(run.stderr)
  return JSON.parse(run.stdout.trim().split('\n').pop())
}

async function throughPwsh(concurrencies, scope = 'delegators') {
  const executable = locatePwsh()
  if (!executable) {
    console.log('pwsh not found: the through-pwsh figures are skipped (tools/install-pwsh.sh)')
    return
  }
  const org = scenarios.largeOrganisation({ mailboxes: 2000, delegatorsShare: 0.1, seed: 1 })
  const rows = []
  for (const concurrency of concurrencies) {
    const tenant = createFakeTenant(org)
    const door = await startFakeExchangeServer(tenant)
    const pool = await connectExchangePool({
      mode: 'module',
      modulePath: door.modulePath,
      moduleArguments: [door.url],
      executable,
      concurrency,
    })
    try {
      // every session warmed first (its first calls compile PowerShell's code): the figures are steady throughput
      await Promise.all(
        Array.from({ length: concurrency * 20 }, () =>
          pool.invoke({ cmdlet: 'Get-Mailbox', params: { Identity: 'alice' } }).catch(() => []),
        ),
      )
      tenant.faults.latencyMs(20)
      const t = performance.now()
      let delegators = 0
      const n = await drain(
        auditDelegates({ exchange: pool }, { concurrency, scope, onMailbox: () => void delegators++ }),
      )
      const seconds = (performance.now() - t) / 1000
      rows.push({ concurrency, delegators, relationships: n, seconds, perSecond: delegators / seconds })
    } finally {
      await pool.close()
      await door.close()
    }
  }
  console.log(
    `\n## Through pwsh and the stand-in: 2,000 mailboxes, scope ${scope}, latencyMs 20, sessions warmed`,
  )
  console.log('| concurrency | mailboxes audited | relationships | time (s) | mailboxes/s | vs 1 |')
  console.log('|---|---|---|---|---|---|')
  const base = rows[0].perSecond
  for (const r of rows)
    console.log(
      `| ${r.concurrency} | ${r.delegators} | ${r.relationships} | ${r.seconds.toFixed(1)} | ${r.perSecond.toFixed(1)} | ${(r.perSecond / base).toFixed(2)}x |`,
    )
}

/** The audit's own concurrency, without PowerShell: in process, latencyMs 20, 2,000 mailboxes. */
async function inProcessLatency() {
  const org = scenarios.largeOrganisation({ mailboxes: 2000, delegatorsShare: 0.1, seed: 1 })
  console.log(
    '\n## In process, 2,000 mailboxes, default scope, latencyMs 20 (the audit alone, no PowerShell)',
  )
  console.log('| concurrency | time (s) | vs 1 |')
  console.log('|---|---|---|')
  let base = 0
  for (const concurrency of [1, 2, 4, 8]) {
    const tenant = createFakeTenant(org)
    tenant.faults.latencyMs(20)
    const t = performance.now()
    await drain(auditDelegates(tenant, { concurrency }))
    const seconds = (performance.now() - t) / 1000
    if (concurrency === 1) base = seconds
    console.log(`| ${concurrency} | ${seconds.toFixed(2)} | ${(base / seconds).toFixed(2)}x |`)
  }
}

async function callsPerMailbox() {
  const org = scenarios.largeOrganisation({ mailboxes: 10_000, delegatorsShare: 0.1, seed: 1 })
  const tenant = createFakeTenant(org)
  const state = tenant.state().exchange.mailboxes
  const inScope = state.filter((m) => m.grantSendOnBehalfTo.length > 0).length
  console.log('\n## Exchange calls per mailbox (10,000 mailboxes)')
  console.log('| scope | mailboxes audited | calls | calls per audited mailbox | minimum |')
  console.log('|---|---|---|---|---|')
  for (const scope of ['delegators', 'all']) {
    let calls = 0
    const counted = {
      invoke: (call, o) => {
        calls++
        return tenant.exchange.invoke(call, o)
      },
      stream: (call, o) => {
        calls++
        return tenant.exchange.stream(call, o)
      },
      exportCertificate: tenant.exchange.exportCertificate,
      hasParameter: tenant.exchange.hasParameter,
    }
    await drain(auditDelegates({ exchange: counted }, { scope }))
    const audited = scope === 'all' ? state.length : inScope
    const minimum =
      scope === 'all'
        ? `2 per mailbox + 1 per mailbox with a delegate (${org.truth.delegatorMailboxes}) + 1 list = ${2 * audited + org.truth.delegatorMailboxes + 1}`
        : `3 per delegator + 1 list = ${3 * audited + 1}`
    console.log(`| ${scope} | ${audited} | ${calls} | ${(calls / audited).toFixed(3)} | ${minimum} |`)
  }
}

if (args[0] === '--child') {
  if (args[1] === 'inprocess') await inProcessChild(Number(args[2]))
  else await handlerChild(Number(args[2]))
} else {
  console.log(
    `# delegate audit benchmark (${new Date().toISOString()}, node ${process.version}, load average ${(
      await import('node:os')
    )
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  )
  if (args.includes('--latency-only')) {
    await inProcessLatency()
    process.exit(0)
  }
  if (pwshOnly) {
    await throughPwsh([1, 2, 4, 8])
    await throughPwsh([1, 4], 'all')
    process.exit(0)
  }
  console.log('\n## In process, scope all, latency 0')
  console.log(
    '| mailboxes | relationships | audit, wall (s) | audit, CPU (s) | wall per 10k mailboxes (s) | organisation built (s) | peak RSS (MB) | heap of the fake organisation (MB) | heap the audit holds after (MB) |',
  )
  console.log('|---|---|---|---|---|---|---|---|---|')
  for (const n of quick ? [10_000] : [10_000, 50_000, 100_000]) {
    const r = child('inprocess', n)
    if (r.relationships !== r.expected) throw new Error(`audit found ${r.relationships}, truth ${r.expected}`)
    console.log(
      `| ${n} | ${r.relationships} | ${(r.auditMs / 1000).toFixed(2)} | ${(r.cpuMs / 1000).toFixed(2)} | ${((r.auditMs / 1000) * (10_000 / n)).toFixed(2)} | ${(r.buildMs / 1000).toFixed(2)} | ${r.peakMb.toFixed(0)} | ${r.modelMb.toFixed(0)} | ${r.auditHeldMb.toFixed(1)} |`,
    )
  }
  console.log("\n## The fake's per-mailbox handlers: microseconds per call")
  console.log(
    '| mailboxes | Get-Mailbox -Identity | Get-MailboxFolderStatistics | Get-MailboxFolderPermission |',
  )
  console.log('|---|---|---|---|')
  for (const n of quick ? [10_000] : [10_000, 100_000]) {
    const r = child('handlers', n).microsecondsPerCall
    console.log(
      `| ${n} | ${r['Get-Mailbox'].toFixed(0)} | ${r['Get-MailboxFolderStatistics'].toFixed(0)} | ${r['Get-MailboxFolderPermission'].toFixed(0)} |`,
    )
  }
  await callsPerMailbox()
  await inProcessLatency()
  await throughPwsh(quick ? [1, 4] : [1, 2, 4, 8])
  await throughPwsh([1, 4], 'all')
}
