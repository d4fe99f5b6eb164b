import { createFakeTenant, type FakeSeed, type FakeState } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { delegateAccessSteps } from '../delegates/evaluate'
import { delegateCheck } from './delegate-check'
import { allowsScheduling, ewsPolicyChecks, ewsVerdict } from './ews-checks'

type Ews = FakeState['exchange']['organization']['ews']
const mailboxOf = (state: FakeState, alias: string) =>
  state.exchange.mailboxes.find((m) => m.alias === alias)!
const tenantWith = (change: (state: FakeState) => void) =>
  createFakeTenant({ customize: (state) => change(state) } satisfies FakeSeed)
const policy = (p: Partial<Ews>): Ews => ({
  ewsApplicationAccessPolicy: null,
  ewsAllowList: null,
  ewsBlockList: null,
  ewsEnabled: null,
  ...p,
})

describe("doctor's delegate check", () => {
  const title = "bob as alice's delegate (calendar rights, send-on-behalf, EWS)"

  it('passes a delegate with Editor, send-on-behalf and EWS open, and says what it saw', async () => {
    expect(await delegateCheck(createFakeTenant(), 'bob', 'alice')).toEqual({
      id: 'delegate.rights',
      title,
      status: 'pass',
      evidence: [
        'calendar folder: Calendar',
        'bob: Editor',
        'send on behalf of alice: yes',
        "EWS on alice's mailbox: enabled",
      ],
      fix: null,
      explanation: null,
    })
  })

  it('warns on Author, with the command that grants Editor and why', async () => {
    const tenant = tenantWith((state) => {
      mailboxOf(state, 'alice').calendar.permissions.find((p) => p.user === 'bob')!.accessRights = ['Author']
    })
    const check = await delegateCheck(tenant, 'bob', 'alice')
    expect(check.status).toBe('warn')
    expect(check.evidence[1]).toBe('bob: Author')
    expect(check.fix).toBe(
      "Set-MailboxFolderPermission -Identity 'alice:\\Calendar' -User 'bob' -AccessRights Editor",
    )
    expect(check.explanation).toBe(
      `Author on the calendar: it works per the project's notes, but Microsoft's troubleshooting article and Outlook's Delegate Access give Editor ${delegateAccessSteps('alice', 'bob')}`,
    )
  })

  it('fails a delegate with nothing, joining every fix in order', async () => {
    const check = await delegateCheck(createFakeTenant(), 'klaus', 'bob')
    expect(check.status).toBe('fail')
    expect(check.evidence).toEqual([
      'calendar folder: Calendar',
      'klaus: no permission',
      'send on behalf of bob: no',
      "EWS on bob's mailbox: enabled",
    ])
    expect(check.fix).toBe(
      "Add-MailboxFolderPermission -Identity 'bob:\\Calendar' -User 'klaus' -AccessRights Editor; Set-Mailbox -Identity 'bob' -GrantSendOnBehalfTo @{Add='klaus'}",
    )
  })

  it("reports EWS off on the delegator's mailbox and a policy that turns the scheduling service away", async () => {
    const off = tenantWith((state) => {
      mailboxOf(state, 'alice').cas = policy({ ewsEnabled: false })
    })
    const disabled = await delegateCheck(off, 'bob', 'alice')
    expect(disabled.status).toBe('fail')
    expect(disabled.evidence[3]).toBe("EWS on alice's mailbox: disabled")
    expect(disabled.explanation).not.toContain("Outlook's Delegate Access")

    const blocked = tenantWith((state) => {
      mailboxOf(state, 'alice').cas = policy({
        ewsApplicationAccessPolicy: 'EnforceBlockList',
        ewsBlockList: ['SchedulingService'],
      })
    })
    const turnedAway = await delegateCheck(blocked, 'bob', 'alice')
    expect(turnedAway.evidence[3]).toBe("EWS on alice's mailbox: enabled, scheduling service not allowed")
    expect(turnedAway.fix).toBe(
      "Set-CASMailbox -Identity 'alice' -EwsBlockList @{Remove='*SchedulingService*'}",
    )
  })

  it.each([
    ['nobody', 'alice', ['nobody: no such mailbox in this organisation'], "Get-Mailbox -Identity 'nobody'"],
    ['bob', 'nobody', ['nobody: no such mailbox in this organisation'], "Get-Mailbox -Identity 'nobody'"],
    [
      'nobody',
      "o'brien",
      ["o'brien: no such mailbox in this organisation", 'nobody: no such mailbox in this organisation'],
      "Get-Mailbox -Identity 'o''brien'",
    ],
  ])(
    'fails for %s as the delegate of %s, naming who is unknown',
    async (delegate, delegator, evidence, fix) => {
      const check = await delegateCheck(createFakeTenant(), delegate, delegator)
      expect(check).toEqual({
        id: 'delegate.rights',
        title: `${delegate} as ${delegator}'s delegate (calendar rights, send-on-behalf, EWS)`,
        status: 'fail',
        evidence,
        fix,
        explanation:
          'Name the delegate and the delegator by alias, address or name of mailboxes on this Exchange organisation.',
      })
    },
  )
})

describe('ewsVerdict', () => {
  it.each([
    [null, null, null, null, 'pass', ['no EWS application access policy']],
    [null, null, null, true, 'pass', ['no EWS application access policy']],
    [null, null, null, false, 'fail', ['EwsEnabled: False', 'no EWS application access policy']],
    [
      'EnforceAllowList',
      ['OWA/*', '*schedulingservice*', 'SchedulingService/1.0'],
      null,
      null,
      'pass',
      ['EnforceAllowList, allows *schedulingservice*, SchedulingService/1.0'],
    ],
    [
      'EnforceAllowList',
      ['OWA/*'],
      null,
      false,
      'fail',
      ['EwsEnabled: False', 'EnforceAllowList without *SchedulingService* (allowed: OWA/*)'],
    ],
    [
      'EnforceAllowList',
      null,
      null,
      null,
      'fail',
      ['EnforceAllowList without *SchedulingService* (allowed: none)'],
    ],
    [
      'EnforceBlockList',
      null,
      ['OWA/*', '*SchedulingService*'],
      null,
      'fail',
      ['EnforceBlockList blocks OWA/*, *SchedulingService*'],
    ],
    ['EnforceBlockList', null, ['OWA/*'], null, 'pass', ['EnforceBlockList, scheduling service not blocked']],
    ['EnforceBlockList', null, null, null, 'pass', ['EnforceBlockList, scheduling service not blocked']],
  ] as const)(
    'policy %s, allow %j, block %j, enabled %s: %s',
    (p, allow, block, enabled, status, evidence) => {
      expect(ewsVerdict(p, allow ? [...allow] : null, block ? [...block] : null, enabled)).toEqual({
        status,
        evidence,
      })
    },
  )

  it('lets EWS be unknown by default', () => {
    expect(ewsVerdict(null, null, null).status).toBe('pass')
  })

  it('finds the scheduling service in a list whatever its case', () => {
    expect(allowsScheduling(['x', 'SCHEDULINGSERVICE'])).toBe(true)
    expect(allowsScheduling(['Scheduling'])).toBe(false)
    expect(allowsScheduling(null)).toBe(false)
  })
})

describe("doctor's EWS checks", () => {
  const options = { profile: 'teams' as const, domain: 'contoso.com' }

  it('checks the organisation, and the delegator mailbox when one is named', async () => {
    const tenant = createFakeTenant()
    expect((await ewsPolicyChecks(tenant, options)).map((c) => [c.id, c.status])).toEqual([
      ['ews.organization', 'pass'],
    ])
    const checks = await ewsPolicyChecks(tenant, { ...options, delegator: 'alice' })
    expect(checks.map((c) => [c.id, c.title, c.status])).toEqual([
      ['ews.organization', 'EWS (organisation) is enabled and lets the scheduling service in', 'pass'],
      ['ews.mailbox', 'EWS of alice is enabled and lets the scheduling service in', 'pass'],
    ])
  })

  it('has no mailbox check for a delegator Exchange does not know', async () => {
    const checks = await ewsPolicyChecks(createFakeTenant(), { ...options, delegator: 'nobody' })
    expect(checks.map((c) => c.id)).toEqual(['ews.organization'])
  })

  it.each([
    [
      policy({ ewsApplicationAccessPolicy: 'EnforceAllowList', ewsAllowList: ['OWA/*'] }),
      "Set-OrganizationConfig -EwsAllowList @{ Add = '*SchedulingService*' }",
    ],
    [
      policy({ ewsApplicationAccessPolicy: 'EnforceAllowList', ewsAllowList: ['OWA/*'], ewsEnabled: false }),
      "Set-OrganizationConfig -EwsEnabled $true; Set-OrganizationConfig -EwsAllowList @{ Add = '*SchedulingService*' }",
    ],
    [
      policy({
        ewsApplicationAccessPolicy: 'EnforceBlockList',
        ewsBlockList: ['OWA/*', 'SchedulingService*'],
      }),
      "Set-OrganizationConfig -EwsBlockList @{ Remove = @('SchedulingService*') }",
    ],
    [policy({ ewsEnabled: false }), 'Set-OrganizationConfig -EwsEnabled $true'],
  ])('fails an organisation policy that turns the service away, with its fix (%#)', async (ews, fix) => {
    const tenant = tenantWith((state) => {
      state.exchange.organization.ews = ews
    })
    const [check] = await ewsPolicyChecks(tenant, options)
    expect(check).toMatchObject({
      status: 'fail',
      fix,
      explanation:
        'The Teams scheduling service reaches the mailbox over EWS; EWS switched off or this policy turns it away.',
    })
  })

  it("fixes a delegator's mailbox on that mailbox", async () => {
    const tenant = tenantWith((state) => {
      mailboxOf(state, 'alice').cas = policy({ ewsEnabled: false })
    })
    const checks = await ewsPolicyChecks(tenant, { ...options, delegator: 'alice' })
    expect(checks[1]).toMatchObject({
      id: 'ews.mailbox',
      status: 'fail',
      evidence: ['EwsEnabled: False', 'no EWS application access policy'],
      fix: "Set-CASMailbox -Identity 'alice' -EwsEnabled $true",
    })
  })
})
