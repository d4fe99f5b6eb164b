import { describe, expect, it } from 'vitest'
import type { CmdletCall, CmdletObject, ExchangePort, ReadOptions } from '../ports'
import { exchangeCmdletError } from '../ports'
import {
  type AuditProgress,
  auditConcurrency,
  auditDelegates,
  auditMailbox,
  defaultAuditConcurrency,
  mailboxListCall,
} from './audit'
import type { DelegateFinding } from './finding'

interface Mailbox {
  Name: string
  Alias: string
  DisplayName?: string | null
  GrantSendOnBehalfTo?: string[] | null
  calendar?: string | null
  permissions?: [user: string, rights: string[]][]
  ewsEnabled?: boolean | null
}

const notFound = (cmdlet: string) =>
  exchangeCmdletError({
    cmdlet,
    message: "The operation couldn't be performed because object couldn't be found",
    category: 'NotSpecified',
    reason: 'ManagementObjectNotFoundException',
    fullyQualifiedErrorId: `x,Microsoft.Exchange.Management.${cmdlet}`,
  })

/** An Exchange organisation of a few mailboxes, answering the audit's four reads, every call logged. */
function organisation(mailboxes: Mailbox[], { stream = true } = {}) {
  const calls: { call: CmdletCall; options?: ReadOptions }[] = []
  const find = (identity: unknown) => {
    const alias = String(identity).split(':')[0]
    const mailbox = mailboxes.find((m) => m.Alias === alias)
    return mailbox
  }
  const listed = () =>
    mailboxes.map((m) => ({
      Name: m.Name,
      Alias: m.Alias,
      DisplayName: m.DisplayName === undefined ? m.Name : m.DisplayName,
      GrantSendOnBehalfTo: m.GrantSendOnBehalfTo === undefined ? [] : m.GrantSendOnBehalfTo,
    }))
  const answer = async (call: CmdletCall): Promise<CmdletObject[]> => {
    const mailbox = find(call.params.Identity)
    switch (call.cmdlet) {
      case 'Get-MailboxFolderStatistics':
        if (!mailbox) throw notFound(call.cmdlet)
        return [
          {
            Name: 'Top of Information Store',
            FolderPath: '/',
            FolderType: 'Root',
            Identity: `${mailbox.Alias}\\`,
          },
          ...(mailbox.calendar === null
            ? []
            : [
                {
                  Name: mailbox.calendar ?? 'Calendar',
                  FolderPath: `/${mailbox.calendar ?? 'Calendar'}`,
                  FolderType: 'Calendar',
                  Identity: `${mailbox.Alias}\\${mailbox.calendar ?? 'Calendar'}`,
                },
              ]),
        ]
      case 'Get-MailboxFolderPermission':
        return [
          ['Default', ['AvailabilityOnly']] as const,
          ['Anonymous', ['None']] as const,
          ...(mailbox?.permissions ?? []),
        ].map(([User, AccessRights]) => ({
          FolderName: 'Calendar',
          User,
          AccessRights: [...AccessRights],
          SharingPermissionFlags: null,
        }))
      case 'Get-CASMailbox':
        if (!mailbox) throw notFound(call.cmdlet)
        return [
          {
            Identity: mailbox.Alias,
            EwsEnabled: mailbox.ewsEnabled ?? null,
            EwsApplicationAccessPolicy: null,
            EwsAllowList: null,
            EwsBlockList: null,
          },
        ]
      default:
        throw new Error(`the audit does not run ${call.cmdlet}`)
    }
  }
  const exchange: ExchangePort = {
    async invoke(call, options) {
      calls.push({ call, options })
      return call.cmdlet === 'Get-Mailbox' ? listed() : answer(call)
    },
    exportCertificate: async () => null,
    hasParameter: async () => false,
  }
  if (stream)
    exchange.stream = async function* (call, options) {
      calls.push({ call, options })
      yield* listed()
    }
  return { exchange, calls }
}

const collect = async (findings: AsyncIterable<DelegateFinding>) => {
  const all: DelegateFinding[] = []
  for await (const finding of findings) all.push(finding)
  return all
}

const alice: Mailbox = {
  Name: 'Alice Wood',
  Alias: 'alice',
  GrantSendOnBehalfTo: ['contoso.com/Users/Bob Miller'],
  permissions: [['Bob Miller', ['Editor']]],
}
const carol: Mailbox = {
  Name: 'Carol King',
  Alias: 'carol',
  DisplayName: 'Carol K.',
  GrantSendOnBehalfTo: ['contoso.com/Users/Dan Ross'],
  permissions: [['Dan Ross', ['Owner']]],
}
/** no send-on-behalf: a delegator only in the 'all' scope, for the Editor entry Eve has */
const frank: Mailbox = {
  Name: 'Frank Hall',
  Alias: 'frank',
  permissions: [
    ['Eve Stone', ['Editor']],
    ['Frank Hall', ['Owner']],
    ['Gus Reviewer', ['Reviewer']],
  ],
}

describe('mailboxListCall', () => {
  it('lists only mailboxes with someone in GrantSendOnBehalfTo, or every user mailbox, with four properties', () => {
    expect(mailboxListCall('delegators')).toEqual({
      call: {
        cmdlet: 'Get-Mailbox',
        params: { ResultSize: 'Unlimited', Filter: 'GrantSendOnBehalfTo -ne $null' },
      },
      options: { select: ['Name', 'Alias', 'DisplayName', 'GrantSendOnBehalfTo'] },
    })
    expect(mailboxListCall('all').call.params).toEqual({
      ResultSize: 'Unlimited',
      RecipientTypeDetails: ['UserMailbox'],
    })
  })
})

describe('auditConcurrency', () => {
  it('is 4 unless told, and any whole number from 1 to 16', () => {
    expect(auditConcurrency(undefined)).toBe(defaultAuditConcurrency)
    expect(defaultAuditConcurrency).toBe(4)
    expect(auditConcurrency(1)).toBe(1)
    expect(auditConcurrency(16)).toBe(16)
  })

  it.each([0, 17, 2.5, -1, Number.NaN])('refuses %s, naming the field and the fix', (n) => {
    try {
      auditConcurrency(n)
      throw new Error('accepted')
    } catch (error) {
      expect(error).toMatchObject({
        code: 'INPUT_INVALID',
        message: `concurrency: ${n} is not a whole number from 1 to 16; Exchange's default throttling policy allows a handful of PowerShell connections per admin (--concurrency 4)`,
        data: {
          issues: [
            {
              field: 'concurrency',
              problem: `${n} is not a whole number from 1 to 16`,
              fix: '--concurrency 4',
            },
          ],
        },
      })
    }
  })
})

describe('auditMailbox', () => {
  it('judges each delegate named in GrantSendOnBehalfTo by their display name on the calendar', async () => {
    const { exchange } = organisation([alice, carol])
    const [ok] = await auditMailbox(
      exchange,
      { ...alice, GrantSendOnBehalfTo: alice.GrantSendOnBehalfTo! },
      'delegators',
    )
    expect(ok).toMatchObject({
      delegator: 'alice',
      delegatorName: 'Alice Wood',
      delegate: 'Bob Miller',
      calendar: 'Calendar',
      rights: ['Editor'],
      sendOnBehalf: true,
      verdict: 'ok',
    })
    const [owner] = await auditMailbox(
      exchange,
      { ...carol, GrantSendOnBehalfTo: carol.GrantSendOnBehalfTo! },
      'delegators',
    )
    expect(owner).toMatchObject({ delegatorName: 'Carol K.', delegate: 'Dan Ross', verdict: 'fail' })
    // the entry is there: its rights are set, not added
    expect(owner!.fix[0]).toMatch(/^Set-MailboxFolderPermission /)
  })

  it('matches names case-insensitively and adds an entry for a delegate who has none', async () => {
    const mailbox = {
      Name: 'Hana Ito',
      Alias: 'hana',
      GrantSendOnBehalfTo: ['contoso.com/Users/IVAN PETROV', 'contoso.com/Users/June Park'],
      permissions: [['Ivan Petrov', ['Editor']]] as [string, string[]][],
    }
    const { exchange } = organisation([mailbox])
    const findings = await auditMailbox(exchange, mailbox, 'delegators')
    expect(findings.map((f) => [f.delegate, f.verdict, f.rights])).toEqual([
      ['IVAN PETROV', 'ok', ['Editor']],
      ['June Park', 'fail', []],
    ])
    expect(findings[1]!.fix[0]).toMatch(
      /^Add-MailboxFolderPermission -Identity 'hana:\\Calendar' -User 'June Park'/,
    )
  })

  it("in the 'all' scope also finds who can write the calendar, but not Default, Anonymous, the owner or a reviewer", async () => {
    const { exchange } = organisation([frank])
    const mailbox = { ...frank, GrantSendOnBehalfTo: [] }
    expect(await auditMailbox(exchange, mailbox, 'delegators')).toEqual([])
    const findings = await auditMailbox(exchange, mailbox, 'all')
    expect(findings.map((f) => [f.delegate, f.sendOnBehalf, f.verdict])).toEqual([
      ['Eve Stone', false, 'fail'],
    ])
  })

  it('reads the EWS state only of a mailbox with delegates', async () => {
    const { exchange, calls } = organisation([frank, { ...alice, ewsEnabled: false }])
    await auditMailbox(exchange, { ...frank, GrantSendOnBehalfTo: [] }, 'delegators')
    expect(calls.map((c) => c.call.cmdlet)).toEqual([
      'Get-MailboxFolderStatistics',
      'Get-MailboxFolderPermission',
    ])
    const [finding] = await auditMailbox(
      exchange,
      { ...alice, GrantSendOnBehalfTo: alice.GrantSendOnBehalfTo! },
      'delegators',
    )
    expect(calls.at(-1)!.call).toEqual({ cmdlet: 'Get-CASMailbox', params: { Identity: 'alice' } })
    expect(finding).toMatchObject({ verdict: 'fail', ews: { ewsEnabled: false } })
  })

  it('fails a delegate of a mailbox with no calendar, without reading permissions', async () => {
    const mailbox = { ...alice, calendar: null }
    const { exchange, calls } = organisation([mailbox])
    const [finding] = await auditMailbox(
      exchange,
      { ...mailbox, GrantSendOnBehalfTo: alice.GrantSendOnBehalfTo! },
      'delegators',
    )
    expect(finding).toMatchObject({ calendar: null, rights: [], verdict: 'fail' })
    expect(calls.map((c) => c.call.cmdlet)).not.toContain('Get-MailboxFolderPermission')
  })
})

describe('auditDelegates', () => {
  it('streams one Get-Mailbox and yields every relationship, with progress at each mailbox and at the end', async () => {
    const { exchange, calls } = organisation([alice, carol, frank])
    const progress: AuditProgress[] = []
    const done: string[] = []
    const findings = await collect(
      auditDelegates(
        { exchange },
        { onProgress: (p) => progress.push(p), onMailbox: (m) => void done.push(m.alias) },
      ),
    )
    expect(findings.map((f) => `${f.delegator}→${f.delegate}:${f.verdict}`).sort()).toEqual([
      'alice→Bob Miller:ok',
      'carol→Dan Ross:fail',
    ])
    expect(calls.filter((c) => c.call.cmdlet === 'Get-Mailbox')).toEqual([mailboxListCall('delegators')])
    expect(done.sort()).toEqual(['alice', 'carol'])
    expect(progress.at(-1)).toEqual({ listed: 3, listingDone: true, audited: 3, relationships: 2 })
    expect(progress).toHaveLength(3)
    for (const p of progress) expect(p.audited).toBeLessThanOrEqual(p.listed)
  })

  it('reads a GrantSendOnBehalfTo Exchange gives as null as nobody', async () => {
    const { exchange, calls } = organisation([{ ...frank, GrantSendOnBehalfTo: null }])
    expect(await collect(auditDelegates({ exchange }))).toEqual([])
    expect(calls.map((c) => c.call.cmdlet)).toEqual(['Get-Mailbox'])
    const all = await collect(auditDelegates({ exchange }, { scope: 'all' }))
    expect(all.map((f) => [f.delegate, f.sendOnBehalf])).toEqual([['Eve Stone', false]])
  })

  it("audits every user mailbox in the 'all' scope", async () => {
    const { exchange, calls } = organisation([alice, frank])
    const findings = await collect(auditDelegates({ exchange }, { scope: 'all' }))
    expect(findings.map((f) => f.delegate).sort()).toEqual(['Bob Miller', 'Eve Stone'])
    expect(calls[0]!.call).toEqual(mailboxListCall('all').call)
  })

  it('reads the list in one invoke when the port cannot stream', async () => {
    const { exchange, calls } = organisation([alice, carol], { stream: false })
    const findings = await collect(auditDelegates({ exchange }))
    expect(findings).toHaveLength(2)
    expect(calls[0]).toEqual(mailboxListCall('delegators'))
  })

  it('does not read again the mailboxes a checkpoint has done, and counts them audited', async () => {
    const { exchange, calls } = organisation([alice, carol])
    const progress: AuditProgress[] = []
    const findings = await collect(
      auditDelegates(
        { exchange },
        { skip: (alias) => alias === 'alice', onProgress: (p) => progress.push(p) },
      ),
    )
    expect(findings.map((f) => f.delegator)).toEqual(['carol'])
    expect(calls.some((c) => c.call.params.Identity === 'alice')).toBe(false)
    expect(progress.at(-1)).toEqual({ listed: 2, listingDone: true, audited: 2, relationships: 1 })
  })

  it('keeps at most `concurrency` mailboxes under way', async () => {
    const many = Array.from({ length: 9 }, (_, i) => ({
      ...alice,
      Name: `User ${i}`,
      Alias: `user${i}`,
    }))
    const { exchange } = organisation(many)
    let active = 0
    let most = 0
    const slow: ExchangePort = {
      ...exchange,
      async invoke(call, options) {
        if (call.cmdlet !== 'Get-MailboxFolderStatistics') return exchange.invoke(call, options)
        active++
        most = Math.max(most, active)
        await new Promise((resolve) => setTimeout(resolve, 5))
        try {
          return await exchange.invoke(call, options)
        } finally {
          active--
        }
      },
    }
    expect(await collect(auditDelegates({ exchange: slow }, { concurrency: 3 }))).toHaveLength(9)
    expect(most).toBe(3)
    most = 0
    expect(await collect(auditDelegates({ exchange: slow }))).toHaveLength(9)
    expect(most).toBe(4)
  })

  it('starts no new mailbox once its signal is aborted; those under way finish', async () => {
    const { exchange } = organisation([alice, carol, { ...alice, Alias: 'alice2', Name: 'Alice Two' }])
    const controller = new AbortController()
    const done: string[] = []
    const findings = await collect(
      auditDelegates(
        { exchange },
        {
          concurrency: 1,
          signal: controller.signal,
          onMailbox: (m) => {
            done.push(m.alias)
            controller.abort()
          },
        },
      ),
    )
    expect(done).toEqual(['alice'])
    expect(findings.map((f) => f.delegator)).toEqual(['alice'])
  })

  it('passes on a failed read, and closes the mailbox list', async () => {
    const { exchange } = organisation([alice])
    let closed = false
    const failing: ExchangePort = {
      ...exchange,
      stream: async function* (call, options) {
        try {
          yield* exchange.stream!(call, options)
        } finally {
          closed = true
        }
      },
      invoke: async () => {
        throw new Error('the session is gone')
      },
    }
    await expect(collect(auditDelegates({ exchange: failing }))).rejects.toThrow('the session is gone')
    expect(closed).toBe(true)
  })

  it('refuses a bad concurrency before reading anything', async () => {
    const { exchange, calls } = organisation([alice])
    await expect(collect(auditDelegates({ exchange }, { concurrency: 0 }))).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    })
    expect(calls).toEqual([])
  })
})
