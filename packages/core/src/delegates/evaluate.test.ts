import { describe, expect, it } from 'vitest'
import {
  canWriteCalendar,
  type DelegatePairFacts,
  delegateAccessSteps,
  delegatorEws,
  evaluateDelegatePair,
  rightsLevel,
} from './evaluate'

const open = { ewsEnabled: null, ewsApplicationAccessPolicy: null, schedulingAllowed: true }
const healthy: DelegatePairFacts = {
  delegator: 'alice',
  delegatorName: 'Alice Adams',
  delegate: 'Bob Brown',
  calendar: 'Calendar',
  rights: ['Editor'],
  hasEntry: true,
  sendOnBehalf: true,
  ews: open,
}

describe('rightsLevel', () => {
  it.each([
    [[], 'none'],
    [['None'], 'none'],
    [['none'], 'none'],
    [['Editor'], 'editor'],
    [['editor'], 'editor'],
    [['PublishingEditor'], 'editor'],
    [['CreateItems', 'ReadItems', 'EditAllItems', 'DeleteAllItems'], 'editor'],
    [['createitems', 'READITEMS', 'EditAllItems', 'DeleteAllItems', 'FolderVisible'], 'editor'],
    [['CreateItems', 'ReadItems', 'EditAllItems'], 'insufficient'],
    [['Author'], 'author'],
    [['PublishingAuthor'], 'author'],
    [['Owner'], 'ownerOnly'],
    [['Owner', 'Editor'], 'editor'],
    [['Reviewer'], 'insufficient'],
    [['None', 'Reviewer'], 'insufficient'],
    [['CreateItems'], 'insufficient'],
  ] as const)('reads %j as %s', (rights, level) => {
    expect(rightsLevel([...rights])).toBe(level)
  })
})

describe('canWriteCalendar', () => {
  it.each([
    [['Editor'], true],
    [['Author'], true],
    [['Owner'], true],
    [['CreateItems'], true],
    [['createitems', 'ReadItems'], true],
    [['Reviewer'], false],
    [['AvailabilityOnly'], false],
    [[], false],
  ] as const)('%j: %s', (rights, can) => {
    expect(canWriteCalendar([...rights])).toBe(can)
  })
})

describe('delegatorEws', () => {
  it('lets the scheduling service in when the mailbox has no settings read', () => {
    expect(delegatorEws(null)).toEqual(open)
  })

  it.each([
    [null, null, null, true],
    ['EnforceAllowList', ['*SchedulingService*'], null, true],
    ['EnforceAllowList', ['Outlook'], null, false],
    ['EnforceBlockList', null, ['*schedulingservice*'], false],
    ['EnforceBlockList', null, ['OWA'], true],
  ])('policy %s, allow %j, block %j: scheduling allowed %s', (policy, allow, block, allowed) => {
    expect(
      delegatorEws({
        EwsEnabled: false,
        EwsApplicationAccessPolicy: policy,
        EwsAllowList: allow,
        EwsBlockList: block,
      } as never),
    ).toEqual({ ewsEnabled: false, ewsApplicationAccessPolicy: policy, schedulingAllowed: allowed })
  })
})

describe('evaluateDelegatePair', () => {
  it('finds nothing to fix when the delegate has Editor, send-on-behalf and EWS lets the service in', () => {
    expect(evaluateDelegatePair(healthy)).toEqual({
      delegator: 'alice',
      delegatorName: 'Alice Adams',
      delegate: 'Bob Brown',
      calendar: 'Calendar',
      rights: ['Editor'],
      sendOnBehalf: true,
      ews: open,
      verdict: 'ok',
      reasons: [],
      fix: [],
      note: null,
    })
  })

  it('warns on Author and grants Editor on the entry that is there', () => {
    const finding = evaluateDelegatePair({ ...healthy, rights: ['Author'] })
    expect(finding.verdict).toBe('warn')
    expect(finding.reasons).toEqual([
      "Author on the calendar: it works per the project's notes, but Microsoft's troubleshooting article and Outlook's Delegate Access give Editor",
    ])
    expect(finding.fix).toEqual([
      "Set-MailboxFolderPermission -Identity 'alice:\\Calendar' -User 'Bob Brown' -AccessRights Editor",
    ])
    expect(finding.note).toBe(delegateAccessSteps('alice', 'Bob Brown'))
  })

  it('fails on Owner alone, the case of the original write-up', () => {
    const finding = evaluateDelegatePair({ ...healthy, rights: ['Owner'] })
    expect(finding.verdict).toBe('fail')
    expect(finding.reasons).toEqual([
      'Owner without Editor: a delegate holding only Owner cannot add a Teams meeting (the original write-up)',
    ])
    expect(finding.fix).toHaveLength(1)
  })

  it('adds an Editor entry where the delegate has none, in the calendar of the mailbox language', () => {
    const finding = evaluateDelegatePair({ ...healthy, calendar: 'Kalender', rights: [], hasEntry: false })
    expect(finding.verdict).toBe('fail')
    expect(finding.reasons).toEqual(['no Editor on the calendar (no permission)'])
    expect(finding.fix).toEqual([
      "Add-MailboxFolderPermission -Identity 'alice:\\Kalender' -User 'Bob Brown' -AccessRights Editor",
    ])
    expect(finding.note).toBe(delegateAccessSteps('alice', 'Bob Brown'))
  })

  it('names the rights it found when they fall short', () => {
    const finding = evaluateDelegatePair({ ...healthy, rights: ['Reviewer', 'FolderVisible'] })
    expect(finding.reasons).toEqual(['no Editor on the calendar (Reviewer, FolderVisible)'])
  })

  it('stays a warning when Author is the only thing short, and a failure wins over a warning', () => {
    const author = { ...healthy, rights: ['Author'] }
    expect(evaluateDelegatePair(author).verdict).toBe('warn')
    expect(evaluateDelegatePair({ ...author, sendOnBehalf: false }).verdict).toBe('fail')
  })

  it('fails without send-on-behalf, with the command that adds it and Outlook’s steps', () => {
    const finding = evaluateDelegatePair({ ...healthy, sendOnBehalf: false })
    expect(finding.verdict).toBe('fail')
    expect(finding.reasons).toEqual(["Bob Brown is not in alice's GrantSendOnBehalfTo"])
    expect(finding.fix).toEqual(["Set-Mailbox -Identity 'alice' -GrantSendOnBehalfTo @{Add='Bob Brown'}"])
    expect(finding.note).toBe(delegateAccessSteps('alice', 'Bob Brown'))
  })

  it('fails without a calendar folder, with no Outlook note (there is nothing to delegate)', () => {
    const finding = evaluateDelegatePair({ ...healthy, calendar: null, rights: [], sendOnBehalf: false })
    expect(finding.verdict).toBe('fail')
    expect(finding.reasons[0]).toBe("no calendar folder found in alice's mailbox")
    expect(finding.reasons).toHaveLength(2)
    expect(finding.note).toBeNull()
  })

  it('fails when EWS is off on the mailbox, and turns it on', () => {
    const finding = evaluateDelegatePair({ ...healthy, ews: { ...open, ewsEnabled: false } })
    expect(finding.verdict).toBe('fail')
    expect(finding.reasons).toEqual([
      "EWS is disabled on alice's mailbox (EwsEnabled $false): the scheduling service cannot reach it",
    ])
    expect(finding.fix).toEqual(["Set-CASMailbox -Identity 'alice' -EwsEnabled $true"])
    // EWS is no part of the delegate relationship: Outlook's steps do not help
    expect(finding.note).toBeNull()
  })

  it('accepts EWS left unset or on', () => {
    expect(evaluateDelegatePair({ ...healthy, ews: { ...open, ewsEnabled: true } }).verdict).toBe('ok')
  })

  it.each([
    ['EnforceBlockList', "Set-CASMailbox -Identity 'alice' -EwsBlockList @{Remove='*SchedulingService*'}"],
    ['EnforceAllowList', "Set-CASMailbox -Identity 'alice' -EwsAllowList @{Add='*SchedulingService*'}"],
  ])('fails when the %s policy turns the service away, and lets it in', (policy, command) => {
    const finding = evaluateDelegatePair({
      ...healthy,
      ews: { ewsEnabled: null, ewsApplicationAccessPolicy: policy, schedulingAllowed: false },
    })
    expect(finding.verdict).toBe('fail')
    expect(finding.reasons).toEqual([
      "alice's EWS application access policy turns the scheduling service away",
    ])
    expect(finding.fix).toEqual([command])
    expect(finding.note).toBeNull()
  })

  it('quotes names with a quote in them', () => {
    const finding = evaluateDelegatePair({ ...healthy, delegate: "Dan O'Neil", rights: [], hasEntry: false })
    expect(finding.fix[0]).toBe(
      "Add-MailboxFolderPermission -Identity 'alice:\\Calendar' -User 'Dan O''Neil' -AccessRights Editor",
    )
  })
})

describe('delegateAccessSteps', () => {
  it("names Outlook's Delegate Access for the delegator and the delegate", () => {
    expect(delegateAccessSteps('alice', 'Bob Brown')).toBe(
      "On Exchange Server the delegate flag and send-on-behalf are set in Outlook's Delegate Access (no Exchange Server cmdlet sets the delegate flag): in Outlook for Windows signed in as alice, File > Account Settings > Delegate Access > Add, choose Bob Brown, set Calendar to Editor, OK.",
    )
  })
})
