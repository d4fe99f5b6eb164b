import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Action } from './actions'
import { certificateRef, parseCertificate } from './certificate'
import { isTeamsOAuthError } from './errors'
import {
  brokenLink,
  canonical,
  emptyJournal,
  type Journal,
  type JournalEntry,
  type JournalOrganisation,
  journalVersion,
  parseJournal,
  sealJournal,
} from './journal'
import {
  assertJournalOf,
  bindJournal,
  checkJournal,
  isOwnStep,
  organisationOf,
  undoOf,
} from './journal-check'
import type { CmdletCall, Targets } from './ports'
import { buildRunbook } from './runbook'
import type { Step } from './steps'

const contoso: JournalOrganisation = {
  exchange: { guid: 'abcdef11-1111-4111-8111-111111111111', name: 'Contoso' },
  entra: { tenantId: 'abcdef22-2222-4222-8222-222222222222' },
}
const guid = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
const step = {
  kind: 'mailUser' as const,
  id: 'mailUser.TeamsScheduler',
  name: 'TeamsScheduler',
  externalEmailAddress: 'TeamsScheduler-ApplicationAccount@contoso.com',
  applicationAccount: true,
}
const created = [{ Name: 'TeamsScheduler', Guid: guid }]
const create: Action = {
  system: 'exchange',
  cmdlet: 'New-MailUser',
  params: { Name: step.name, ExternalEmailAddress: step.externalEmailAddress },
}
const removal = (identity: string): Action => ({
  system: 'exchange',
  cmdlet: 'Remove-MailUser',
  params: { Identity: identity, Confirm: false },
})

/** A journal as apply writes it: one mail user created, its undo, sealed. */
function written(edit: (entry: JournalEntry, journal: Journal) => void = () => {}, seal = true): Journal {
  const entry: JournalEntry = {
    seq: 1,
    at: '2027-01-01T00:00:00.000Z',
    step: step.id,
    spec: step,
    title: 'mail user TeamsScheduler',
    action: create,
    before: null,
    result: created,
    undo: [removal(guid)],
    hash: '',
  }
  const journal = { ...emptyJournal(contoso), entries: [entry] }
  if (!seal) sealJournal(journal)
  edit(entry, journal)
  if (seal) sealJournal(journal)
  return journal
}

const sfb = '00000004-0000-0ff1-ce00-000000000000'
const auth = certificateRef(
  parseCertificate(readFileSync(new URL('../test/fixtures/rsa.cer', import.meta.url))),
)

/** A journal as apply writes it for an Entra key added, its undo computed as apply does. */
function entraJournal(): Journal {
  const spec = {
    kind: 'servicePrincipalKey' as const,
    id: `entra.key.${sfb}`,
    appId: sfb,
    displayName: 'Skype for Business Online',
  }
  const entry: JournalEntry = {
    seq: 1,
    at: '2027-01-01T00:00:00.000Z',
    step: spec.id,
    spec,
    title: 'key',
    action: {
      system: 'entra',
      op: 'addKey',
      appId: sfb,
      servicePrincipalId: 'sp',
      displayName: 'Skype for Business Online',
      certificate: auth,
      dropKeyIds: [],
    },
    before: { id: 'sp', appId: sfb, displayName: 'Skype for Business Online', keyCredentials: [] },
    result: null,
    undo: [],
    hash: '',
  }
  entry.undo = undoOf(entry, [entry])
  const journal = { ...emptyJournal(contoso), entries: [entry] }
  sealJournal(journal)
  return journal
}

const dataOf = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    return (error as { data: unknown }).data
  }
  throw new Error('expected a refusal')
}

const refusal = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    expect(isTeamsOAuthError(error) && error.code).toBe('JOURNAL_INVALID')
    return (error as Error).message
  }
  return null
}

describe('checkJournal', () => {
  it('accepts a journal as apply wrote it, and an empty one without a header', () => {
    expect(refusal(() => checkJournal(written()))).toBeNull()
    expect(refusal(() => checkJournal(emptyJournal()))).toBeNull()
  })

  it('refuses as the journal’s fault, naming the entry', () => {
    try {
      checkJournal(written((e) => Object.assign(e, { seq: 2 })))
    } catch (error) {
      expect((error as { data: unknown }).data).toEqual({ field: 'journal', seq: 2 })
    }
    try {
      checkJournal(written((_, j) => Object.assign(j, { organisation: null })))
    } catch (error) {
      expect((error as { data: unknown }).data).toEqual({ field: 'journal' })
    }
    expect.assertions(2)
  })

  it('names the entry that was edited, not the first', () => {
    const edited = written((e, j) => {
      j.entries.push({ ...structuredClone(e), seq: 2 })
    })
    ;(edited.entries[1] as JournalEntry).title = 'edited'
    expect(refusal(() => checkJournal(edited))).toContain('entry 2 (edited) does not match its recorded hash')
  })

  it('refuses an entry of a step that plans no journaled action', () => {
    const certificateStep = { kind: 'authCertificate' as const, id: 'exchange.authCertificate' }
    expect(
      refusal(() =>
        checkJournal(
          written((e) => Object.assign(e, { step: certificateStep.id, spec: certificateStep, undo: [] })),
        ),
      ),
    ).toContain('records an action its step does not plan')
  })

  it('accepts an Entra change with its undo', () => {
    expect(refusal(() => checkJournal(entraJournal()))).toBeNull()
  })

  it('refuses changes that name no organisation', () => {
    expect(refusal(() => checkJournal(written((_, j) => Object.assign(j, { organisation: null }))))).toBe(
      'journal: it holds changes but names no organisation; the file was changed after apply wrote it. Nothing was rolled back.',
    )
  })

  it('refuses an entry out of sequence', () => {
    expect(refusal(() => checkJournal(written((e) => Object.assign(e, { seq: 2 }))))).toBe(
      'journal: entry 2 (mail user TeamsScheduler) is at position 1 but has sequence number 2: entries were reordered, removed or added; the file was changed after apply wrote it. Nothing was rolled back.',
    )
  })

  it('refuses an entry edited after it was sealed', () => {
    const edited = written(
      (e) => Object.assign(e, { result: [{ Name: 'TeamsScheduler', Guid: guid.replace('a', 'b') }] }),
      false,
    )
    expect(refusal(() => checkJournal(edited))).toContain(
      'entry 1 (mail user TeamsScheduler) does not match its recorded hash',
    )
  })

  it('refuses a step teams-oauth does not make, even with its hash recomputed', () => {
    expect(
      refusal(() => checkJournal(written((e) => Object.assign(e, { step: 'mailUser.Other' })))),
    ).toContain('names a step teams-oauth does not make')
    expect(
      refusal(() => checkJournal(written((e) => Object.assign(e, { spec: { ...step, name: 'Admin' } })))),
    ).toContain('names a step teams-oauth does not make')
  })

  it('refuses an action its step does not plan', () => {
    const other = { ...create, params: { ...create.params, Name: 'Administrator' } } as Action
    expect(refusal(() => checkJournal(written((e) => Object.assign(e, { action: other }))))).toContain(
      'records an action its step does not plan',
    )
  })

  it('refuses an undo that is not its change’s: another object, another of its cmdlets, none at all', () => {
    for (const undo of [
      [removal('ffffffff-bbbb-4ccc-8ddd-eeeeeeeeeeee')],
      [{ ...removal(guid), cmdlet: 'Set-MailUser' }],
      [removal(guid), removal(guid)],
      [],
    ])
      expect(refusal(() => checkJournal(written((e) => Object.assign(e, { undo }))))).toContain(
        'does not undo its change the way teams-oauth would',
      )
  })

  it('refuses an undo by a cmdlet outside the write allow-list, wherever it stands, naming it', () => {
    for (const undo of [
      [{ ...removal(guid), cmdlet: 'Remove-Mailbox' }],
      [removal(guid), { ...removal(guid), cmdlet: 'Remove-Mailbox' }],
    ])
      expect(refusal(() => checkJournal(written((e) => Object.assign(e, { undo }))))).toBe(
        'journal: entry 1 (mail user TeamsScheduler) undoes its change with Remove-Mailbox, a cmdlet teams-oauth never runs; the file was changed after apply wrote it. Nothing was rolled back.',
      )
  })
})

describe('the hash chain', () => {
  it('breaks at the first entry edited, moved under another header, or with its hash replaced', () => {
    const two = written((e, j) => {
      j.entries.push({ ...structuredClone(e), seq: 2 })
    })
    expect(brokenLink(two)).toBeNull()
    const edited = structuredClone(two)
    ;(edited.entries[1] as JournalEntry).title = 'x'
    expect(brokenLink(edited)).toBe(2)
    const moved = {
      ...structuredClone(two),
      organisation: { ...contoso, exchange: { ...contoso.exchange, name: 'Other' } },
    }
    expect(brokenLink(moved)).toBe(1)
    const rehashed = structuredClone(two)
    ;(rehashed.entries[0] as JournalEntry).hash = '0'.repeat(64)
    expect(brokenLink(rehashed)).toBe(1)
  })

  it('leaves out when an entry was undone, so rollback can mark it', () => {
    const journal = written()
    ;(journal.entries[0] as JournalEntry).undoneAt = '2027-01-02T00:00:00.000Z'
    expect(brokenLink(journal)).toBeNull()
  })

  it('chains each entry to the one before', () => {
    const two = written((e, j) => {
      j.entries.push({ ...structuredClone(e), seq: 2 })
    })
    expect(two.entries[0]?.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(two.entries[1]?.hash).not.toBe(two.entries[0]?.hash)
  })
})

describe('canonical', () => {
  it('orders the keys of every object and keeps the order of arrays', () => {
    expect(canonical({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}')
    expect(canonical({ B: 1, a: 2, A: 3 })).toBe('{"A":3,"B":1,"a":2}')
    expect(canonical([{ b: 1, a: 2 }])).toBe('[{"a":2,"b":1}]')
    expect(canonical({ e: 5, d: 4, c: 3, b: 2, a: 1 })).toBe('{"a":1,"b":2,"c":3,"d":4,"e":5}')
  })
})

describe('parseJournal', () => {
  it('reads a journal as written', () => {
    const journal = written()
    expect(parseJournal(JSON.parse(JSON.stringify(journal)))).toEqual(journal)
  })

  it('refuses a journal of an earlier version, saying why', () => {
    const old = { ...written(), version: journalVersion - 1 }
    expect(refusal(() => parseJournal(old))).toMatch(
      new RegExp(`^journal: version ${journalVersion - 1} was written by an earlier teams-oauth`),
    )
    expect(dataOf(() => parseJournal(old))).toEqual({ field: 'journal', version: journalVersion - 1 })
    expect(dataOf(() => parseJournal({}))).toEqual({ field: 'journal' })
    expect(refusal(() => parseJournal({ ...old, format: 'other' }))).toMatch(
      /^journal: not a teams-oauth journal/,
    )
    expect(refusal(() => parseJournal({ ...old, version: String(journalVersion - 1) }))).toMatch(
      /^journal: not a teams-oauth journal/,
    )
  })

  it('names at most three problems and where they are', () => {
    const message = refusal(() =>
      parseJournal({
        format: 'teams-oauth-journal',
        version: journalVersion,
        organisation: 1,
        entries: [{}],
      }),
    )
    expect(message).toMatch(
      /^journal: not a teams-oauth journal \(organisation: [^;]+; entries\.0\.seq: [^;]+; entries\.0\.at: [^;)]+\); pass the file that apply --journal wrote$/,
    )
    expect(refusal(() => parseJournal(null))).toMatch(/^journal: not a teams-oauth journal \(\(top\): /)
  })
})

describe('isOwnStep', () => {
  const steps = buildRunbook({
    profile: 'all',
    domain: 'contoso.com',
    delegate: { delegator: 'boss@contoso.com', delegate: 'pa@contoso.com' },
  } as never).steps

  it('holds for every step of teams-oauth’s profiles', () => {
    for (const s of steps) expect(isOwnStep(s), s.id).toBe(true)
  })

  it('fails for a step that differs from its profile’s in any field it is known by', () => {
    const edits: Record<string, ((s: never) => Partial<Step>)[]> = {
      mailUser: [
        () => ({ name: 'Admin User' }),
        (s: { name: string }) => ({ id: `mailUser.${s.name}x` }),
        () => ({ externalEmailAddress: 'TeamsScheduler-ApplicationAccount@contoso' }),
        () => ({ externalEmailAddress: 'TeamsScheduler-ApplicationAccount' }),
        () => ({ externalEmailAddress: 'Other-ApplicationAccount@contoso.com' }),
      ],
      hiddenFromAddressLists: [
        () => ({ user: 'Admin User', id: 'hidden.Admin User' }),
        () => ({ id: 'hidden.x' }),
      ],
      managementRole: [
        () => ({ id: 'managementRole.Other' }),
        () => ({ name: 'Other' }),
        () => ({ parent: 'MailRecipients' }),
        () => ({ keepEntries: ['GetDelegate', 'Set-Mailbox'] }),
      ],
      roleAssignment: [
        (s: { user: string }) => ({
          role: 'Organization Management',
          id: `assignment.Organization Management.${s.user}`,
        }),
        (s: { role: string }) => ({ user: 'Admin User', id: `assignment.${s.role}.Admin User` }),
        () => ({ id: 'assignment.x' }),
      ],
      partnerApplication: [
        () => ({ name: 'Other' }),
        () => ({ applicationIdentifier: '00000002-0000-0ff1-ce00-000000000000' }),
        () => ({ id: 'partnerApplication.Other' }),
        (s: { linkedAccount: string | null }) => ({
          linkedAccount: s.linkedAccount ? 'Admin User' : 'Administrator',
        }),
        (s: { linkedAccount: string | null }) => ({ linkedAccount: s.linkedAccount ? null : 'x' }),
      ],
      authCertificate: [() => ({ id: 'exchange.other' })],
      delegatePermission: [() => ({ id: 'delegatePermission.x' })],
      servicePrincipalKey: [
        () => ({
          appId: '00000002-0000-0ff1-ce00-000000000000',
          id: 'entra.key.00000002-0000-0ff1-ce00-000000000000',
          displayName: 'Office 365 Exchange Online',
        }),
        () => ({ id: 'entra.key.x' }),
        () => ({ displayName: 'Other' }),
      ],
    }
    for (const s of steps)
      for (const edit of edits[s.kind] ?? []) {
        const changed = { ...s, ...edit(s as never) } as Step
        expect(isOwnStep(changed), JSON.stringify(changed)).toBe(false)
      }
    expect(Object.keys(edits).sort()).toEqual([...new Set(steps.map((s) => s.kind))].sort())
  })
})

describe('undoOf', () => {
  const role = {
    kind: 'managementRole' as const,
    id: 'managementRole.TeamsSchedulerRole',
    name: 'TeamsSchedulerRole',
    parent: 'UserApplication',
    keepEntries: ['GetDelegate'],
  }
  const roleGuid = 'cccccccc-bbbb-4ccc-8ddd-eeeeeeeeeeee'
  const roleEntry = (seq: number, action: Action, fields: Partial<JournalEntry> = {}): JournalEntry => ({
    seq,
    at: '2027-01-01T00:00:00.000Z',
    step: role.id,
    spec: role,
    title: 'role',
    action,
    before: { role: { Name: role.name, Guid: roleGuid } },
    result: [{ Name: role.name, Guid: roleGuid }],
    undo: [],
    hash: '',
    ...fields,
  })
  const created = roleEntry(1, {
    system: 'exchange',
    cmdlet: 'New-ManagementRole',
    params: { Name: role.name, Parent: role.parent },
  })
  const removed = roleEntry(2, {
    system: 'exchange',
    cmdlet: 'Remove-ManagementRoleEntry',
    params: { Identity: 'TeamsSchedulerRole\\Get-Mailbox', Confirm: false },
  })
  const putBack = [
    {
      system: 'exchange',
      cmdlet: 'Add-ManagementRoleEntry',
      params: { Identity: 'TeamsSchedulerRole\\Get-Mailbox' },
    },
  ]

  it('needs no undo for an entry removed from a role this run created earlier in the same step', () => {
    expect(undoOf(removed, [created, removed])).toEqual([])
  })

  it('puts the entry back when the role was not created earlier by that step', () => {
    expect(undoOf(removed, [removed])).toEqual(putBack)
    expect(undoOf(removed, [{ ...created, seq: 3 }, removed])).toEqual(putBack)
    expect(undoOf(removed, [{ ...created, seq: 2 }, removed])).toEqual(putBack)
    expect(undoOf(removed, [{ ...created, step: 'managementRole.Other' }, removed])).toEqual(putBack)
    expect(undoOf(removed, [{ ...created, notApplied: true }, removed])).toEqual(putBack)
  })

  it('is nothing for a change that did not land', () => {
    const [entry] = written().entries as [JournalEntry]
    expect(undoOf(entry, [entry])).toEqual([removal(guid)])
    expect(undoOf({ ...entry, notApplied: true }, [entry])).toEqual([])
  })
})

describe('binding a journal to its organisation', () => {
  function targets(config: Record<string, unknown> | null, tenantId?: string | null) {
    const calls: CmdletCall[] = []
    return {
      calls,
      targets: {
        exchange: {
          invoke: async (call: CmdletCall) => {
            calls.push(call)
            return config ? [config] : []
          },
        },
        entra: tenantId === undefined ? {} : { tenantId: async () => tenantId },
      } as unknown as Targets,
    }
  }

  it('reads the organisation’s Guid, in lowercase, its name and the tenant', async () => {
    const { calls, targets: t } = targets(
      { Guid: contoso.exchange.guid.toUpperCase(), Name: 'Contoso' },
      contoso.entra.tenantId?.toUpperCase(),
    )
    await expect(organisationOf(t)).resolves.toEqual(contoso)
    expect(calls).toEqual([{ cmdlet: 'Get-OrganizationConfig', params: {} }])
    await expect(
      organisationOf(targets({ Guid: contoso.exchange.guid, Name: 'C' }).targets),
    ).resolves.toEqual({
      exchange: { guid: contoso.exchange.guid, name: 'C' },
      entra: { tenantId: null },
    })
    await expect(
      organisationOf(targets({ Guid: contoso.exchange.guid, Name: 'C' }, null).targets),
    ).resolves.toEqual({
      exchange: { guid: contoso.exchange.guid, name: 'C' },
      entra: { tenantId: null },
    })
  })

  it('cannot tell an organisation without a Guid and a name', async () => {
    for (const config of [
      null,
      { Name: 'C' },
      { Guid: '', Name: 'C' },
      { Guid: 1, Name: 'C' },
      { Guid: contoso.exchange.guid },
    ]) {
      const error = await organisationOf(targets(config).targets).catch((e: unknown) => e)
      expect(isTeamsOAuthError(error) && error.code, JSON.stringify(config)).toBe('EXCHANGE_OUTPUT_INVALID')
      expect((error as Error).message).toBe(
        'Get-OrganizationConfig returned no Guid and Name, so teams-oauth cannot tell which organisation this is; nothing was changed',
      )
      const missing = config && typeof config.Guid === 'string' && config.Guid !== '' ? 'Name' : 'Guid'
      expect((error as { data: unknown }).data).toEqual({
        cmdlet: 'Get-OrganizationConfig',
        property: missing,
        issues: [
          {
            field: `Get-OrganizationConfig.${missing}`,
            problem: `${missing} is missing`,
            fix: 'the Exchange port must return Get-OrganizationConfig with its Guid and Name as strings',
          },
        ],
      })
    }
  })

  it('binds an empty journal, keeps a bound one, and refuses another organisation’s, naming both', async () => {
    const { targets: t } = targets({ Guid: contoso.exchange.guid, Name: 'Contoso' }, contoso.entra.tenantId)
    const empty = emptyJournal()
    await expect(bindJournal(empty, t)).resolves.toEqual(contoso)
    expect(empty.organisation).toEqual(contoso)
    const bound = emptyJournal({ ...contoso, entra: { tenantId: null } })
    await bindJournal(bound, t)
    expect(bound.organisation).toEqual({ ...contoso, entra: { tenantId: null } })
    const fabrikam = {
      exchange: { guid: '33333333-3333-4333-8333-333333333333', name: 'Fabrikam' },
      entra: { tenantId: null },
    }
    try {
      assertJournalOf(emptyJournal(fabrikam), contoso)
    } catch (error) {
      expect((error as { data: unknown }).data).toEqual({
        field: 'journal',
        journal: fabrikam,
        targets: contoso,
      })
    }
    const upper = {
      exchange: { ...contoso.exchange, guid: contoso.exchange.guid.toUpperCase() },
      entra: { tenantId: contoso.entra.tenantId?.toUpperCase() ?? null },
    }
    expect(refusal(() => assertJournalOf(emptyJournal(upper), contoso))).toBeNull()
    expect(refusal(() => assertJournalOf(emptyJournal(contoso), upper))).toBeNull()
    const message = refusal(() => assertJournalOf(emptyJournal(fabrikam), contoso))
    expect(message).toBe(
      `journal: it records changes to the Exchange organisation Fabrikam (${fabrikam.exchange.guid}), not to the Exchange organisation Contoso (${contoso.exchange.guid}) and the tenant ${contoso.entra.tenantId} that these targets are. Pass this organisation's own journal (--journal <file>), or a new file name to start one.`,
    )
  })
})
