import {
  type AuditScope,
  auditDelegates,
  type CmdletCall,
  type DelegateFinding,
  type ExchangePort,
} from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { createFakeTenant, scenarios } from '../src/index'

const collect = async (findings: AsyncIterable<DelegateFinding>) => {
  const all: DelegateFinding[] = []
  for await (const finding of findings) all.push(finding)
  return all
}

const counts = (findings: DelegateFinding[]) => {
  const c = { ok: 0, warn: 0, fail: 0 }
  for (const f of findings) c[f.verdict]++
  return c
}

/** The port, with every call it carries counted by cmdlet. */
function counted(port: ExchangePort) {
  const calls: Record<string, number> = {}
  const count = (call: CmdletCall) => {
    calls[call.cmdlet] = (calls[call.cmdlet] ?? 0) + 1
  }
  const wrapped: ExchangePort = {
    ...port,
    invoke: (call, options) => {
      count(call)
      return port.invoke(call, options)
    },
    stream: (call, options) => {
      count(call)
      return port.stream!(call, options)
    },
  }
  return { port: wrapped, calls }
}

describe('auditDelegates on a large organisation', () => {
  const org = scenarios.largeOrganisation({ mailboxes: 3000, delegatorsShare: 0.1, seed: 7 })

  for (const scope of ['delegators', 'all'] as AuditScope[]) {
    it(`finds exactly the ground truth of each verdict in the ${scope} scope`, async () => {
      const tenant = createFakeTenant(org)
      const findings = await collect(auditDelegates(tenant, { scope }))
      expect(counts(findings)).toEqual(org.truth[scope])
      const pairs = findings.map((f) => `${f.delegator}→${f.delegate}`)
      expect(new Set(pairs).size).toBe(pairs.length)
    })
  }

  it('finds the localised calendars by folder type: Kalender, Calendrier, 予定表', async () => {
    const findings = await collect(auditDelegates(createFakeTenant(org), { scope: 'all' }))
    const calendars = new Set(findings.map((f) => f.calendar))
    expect(calendars).toEqual(new Set(['Calendar', 'Kalender', 'Calendrier', '予定表']))
    expect(findings.filter((f) => f.fix.some((c) => c.includes(':\\予定表'))).length).toBeGreaterThan(0)
  })

  it('finds Editors without send-on-behalf only in the all scope', async () => {
    const tenant = createFakeTenant(org)
    const editorsWithout = (findings: DelegateFinding[]) =>
      findings.filter((f) => f.rights.includes('Editor') && !f.sendOnBehalf).length
    expect(editorsWithout(await collect(auditDelegates(tenant, { scope: 'delegators' })))).toBe(0)
    expect(editorsWithout(await collect(auditDelegates(tenant, { scope: 'all' })))).toBeGreaterThan(0)
  })

  it('is the same organisation for the same seed, and another for another seed', () => {
    const again = scenarios.largeOrganisation({ mailboxes: 3000, delegatorsShare: 0.1, seed: 7 })
    const other = scenarios.largeOrganisation({ mailboxes: 3000, delegatorsShare: 0.1, seed: 8 })
    expect(again.truth).toEqual(org.truth)
    expect(other.truth).not.toEqual(org.truth)
    expect(createFakeTenant(again).state()).toEqual(createFakeTenant(org).state())
  })

  it('makes one Get-Mailbox, then per delegator its calendar, its permissions and its EWS state', async () => {
    const tenant = createFakeTenant(org)
    const delegators = counted(tenant.exchange)
    await collect(auditDelegates({ exchange: delegators.port }, { scope: 'delegators' }))
    const inScope = tenant.state().exchange.mailboxes.filter((m) => m.grantSendOnBehalfTo.length > 0).length
    expect(delegators.calls).toEqual({
      'Get-Mailbox': 1,
      'Get-MailboxFolderStatistics': inScope,
      'Get-MailboxFolderPermission': inScope,
      'Get-CASMailbox': inScope,
    })
    const all = counted(tenant.exchange)
    await collect(auditDelegates({ exchange: all.port }, { scope: 'all' }))
    expect(all.calls).toEqual({
      'Get-Mailbox': 1,
      'Get-MailboxFolderStatistics': 3000,
      'Get-MailboxFolderPermission': 3000,
      'Get-CASMailbox': org.truth.delegatorMailboxes,
    })
  })

  it('never prints -SharingPermissionFlags in a fix', async () => {
    const findings = await collect(auditDelegates(createFakeTenant(org), { scope: 'all' }))
    expect(findings.flatMap((f) => f.fix).filter((c) => /SharingPermissionFlags/i.test(c))).toEqual([])
    expect(findings.filter((f) => f.note?.includes("Outlook's Delegate Access")).length).toBeGreaterThan(0)
  })

  it('refuses a concurrency above 16 before reading anything, saying why', async () => {
    const { port, calls } = counted(createFakeTenant(org).exchange)
    await expect(collect(auditDelegates({ exchange: port }, { concurrency: 17 }))).rejects.toThrow(
      /concurrency: 17 is not a whole number from 1 to 16/,
    )
    expect(calls).toEqual({})
  })
})
