import {
  apply,
  buildRunbook,
  emptyJournal,
  type Journal,
  parseJournal,
  plan,
  profileNames,
  rollback,
  type TeamsOAuthError,
} from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { createFakeTenant, scenarios } from '../src/index'

describe('rollback', () => {
  it.each(profileNames)('returns the state to what it was before apply (profile %s)', async (profile) => {
    const tenant = createFakeTenant()
    const before = tenant.state()
    const runbook = buildRunbook({ profile, domain: 'contoso.com' })
    const { journal } = await apply(await plan(runbook, tenant), tenant)
    expect(tenant.state()).not.toEqual(before)
    await rollback(journal, tenant)
    expect(tenant.state()).toEqual(before)
  })

  it('undoes a failed run from its journal, and running it twice changes nothing more', async () => {
    const tenant = createFakeTenant()
    const before = tenant.state()
    const journal = emptyJournal()
    tenant.faults.failWrite(7)
    const runbook = buildRunbook({ profile: 'all', domain: 'contoso.com' })
    await expect(apply(await plan(runbook, tenant), tenant, { journal })).rejects.toThrow()
    expect(journal.entries.length).toBe(6)
    await rollback(journal, tenant)
    expect(tenant.state()).toEqual(before)
    const writes = tenant.changes.length
    await rollback(journal, tenant)
    expect(tenant.state()).toEqual(before)
    expect(tenant.changes.length).toBe(writes)
  })

  it('removes nothing that existed before apply: an existing disabled partner application is only set back', async () => {
    const tenant = createFakeTenant()
    await tenant.invokeCmdlet({
      cmdlet: 'New-PartnerApplication',
      params: {
        Name: 'Skype for Business Online',
        ApplicationIdentifier: '00000004-0000-0ff1-ce00-000000000000',
        Enabled: false,
      },
    })
    const before = tenant.state()
    const runbook = buildRunbook({ profile: 'sfbonline', domain: 'contoso.com' })
    const planned = await plan(runbook, tenant)
    expect(planned.actions.map((a) => a.action)).toContainEqual(
      expect.objectContaining({
        cmdlet: 'Set-PartnerApplication',
        params: expect.objectContaining({ Identity: 'Skype for Business Online', Enabled: true }),
      }),
    )
    const { journal } = await apply(planned, tenant)
    const what = await rollback(journal, tenant, { whatIf: true })
    expect(what.undone.map((u) => u.action)).not.toContainEqual(
      expect.objectContaining({ cmdlet: 'Remove-PartnerApplication' }),
    )
    await rollback(journal, tenant)
    expect(tenant.state()).toEqual(before)
  })
})

describe('rollback of the management role', () => {
  const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com' })

  it('removes a role this run created in one step, without adding its entries back first', async () => {
    const tenant = createFakeTenant()
    const before = tenant.state()
    const { journal } = await apply(await plan(runbook, tenant), tenant)
    const undo = (await rollback(journal, tenant, { whatIf: true })).undone.map((u) => u.action)
    expect(undo).not.toContainEqual(expect.objectContaining({ cmdlet: 'Add-ManagementRoleEntry' }))
    expect(undo).toContainEqual(expect.objectContaining({ cmdlet: 'Remove-ManagementRole' }))
    await rollback(journal, tenant)
    expect(tenant.state()).toEqual(before)
  })

  it('puts back the entries it removed from a role that existed before', async () => {
    const tenant = createFakeTenant()
    await tenant.invokeCmdlet({
      cmdlet: 'New-ManagementRole',
      params: { Name: 'TeamsSchedulerRole', Parent: 'UserApplication' },
    })
    const before = tenant.state()
    const { journal } = await apply(await plan(runbook, tenant), tenant)
    const undo = (await rollback(journal, tenant, { whatIf: true })).undone.map((u) => u.action)
    expect(undo).not.toContainEqual(expect.objectContaining({ cmdlet: 'Remove-ManagementRole' }))
    expect(
      undo.filter((a) => a.system === 'exchange' && a.cmdlet === 'Add-ManagementRoleEntry').length,
    ).toBeGreaterThan(10)
    await rollback(journal, tenant)
    expect(tenant.state()).toEqual(before)
  })
})

describe('a disabled role assignment', () => {
  it('is enabled again rather than created twice, and rollback disables it again', async () => {
    const tenant = createFakeTenant(scenarios.legacyOnly())
    await tenant.invokeCmdlet({
      cmdlet: 'Set-ManagementRoleAssignment',
      params: { Identity: 'UserApplication-SfBOnline-ApplicationAccount', Enabled: false },
    })
    const before = tenant.state()
    const runbook = buildRunbook({ profile: 'sfbonline', domain: 'contoso.com' })
    const planned = await plan(runbook, tenant)
    expect(planned.actions.map((a) => a.action)).toEqual([
      {
        system: 'exchange',
        cmdlet: 'Set-ManagementRoleAssignment',
        params: { Identity: 'UserApplication-SfBOnline-ApplicationAccount', Enabled: true },
      },
    ])
    const { journal } = await apply(planned, tenant)
    expect((await plan(runbook, tenant)).actions).toEqual([])
    await rollback(journal, tenant)
    expect(tenant.state()).toEqual(before)
  })
})

describe('an existing partner application', () => {
  it('blocks the plan when another application holds the name to create, before any change', async () => {
    const tenant = createFakeTenant()
    await tenant.invokeCmdlet({
      cmdlet: 'New-PartnerApplication',
      params: {
        Name: 'TeamsScheduler',
        ApplicationIdentifier: '11111111-2222-3333-4444-555555555555',
        Enabled: true,
      },
    })
    const planned = await plan(buildRunbook({ profile: 'teams', domain: 'contoso.com' }), tenant)
    expect(planned.blocked).toEqual([
      expect.objectContaining({
        step: 'partnerApplication.TeamsScheduler',
        reason: expect.stringContaining('rename it'),
      }),
    ])
    const writes = tenant.changes.length
    await expect(apply(planned, tenant)).rejects.toThrow(/nothing was changed/)
    expect(tenant.changes.length).toBe(writes)
  })

  it('an application acting as another account is left linked, and the plan grants and hides that account', async () => {
    const tenant = createFakeTenant(scenarios.legacyOnly())
    await tenant.invokeCmdlet({
      cmdlet: 'New-MailUser',
      params: { Name: 'OtherAccount', ExternalEmailAddress: 'other@contoso.com' },
    })
    await tenant.invokeCmdlet({
      cmdlet: 'Set-PartnerApplication',
      params: { Identity: 'SfBOnline', LinkedAccount: 'OtherAccount' },
    })
    const planned = await plan(buildRunbook({ profile: 'sfbonline', domain: 'contoso.com' }), tenant)
    const step = planned.steps.find((s) => s.id === 'partnerApplication.SfBOnline')
    expect(step?.actions).toEqual([])
    expect(
      planned.steps.find((s) => s.id === 'mailUser.SfBOnline-ApplicationAccount')?.notes.join(),
    ).toContain('SfBOnline already acts as OtherAccount')
    expect(planned.actions.map((a) => a.action)).toEqual([
      expect.objectContaining({
        cmdlet: 'Set-MailUser',
        params: { Identity: 'OtherAccount', HiddenFromAddressListsEnabled: true },
      }),
      expect.objectContaining({
        cmdlet: 'New-ManagementRoleAssignment',
        params: { Role: 'UserApplication', User: 'OtherAccount' },
      }),
      expect.objectContaining({
        cmdlet: 'New-ManagementRoleAssignment',
        params: { Role: 'ArchiveApplication', User: 'OtherAccount' },
      }),
    ])
  })
})

describe('a journal changed after apply wrote it', () => {
  const tampered = async (edit: (journal: Journal) => void) => {
    const tenant = createFakeTenant()
    const { journal } = await apply(
      await plan(buildRunbook({ profile: 'teams', domain: 'contoso.com' }), tenant),
      tenant,
    )
    const copy = parseJournal(JSON.parse(JSON.stringify(journal)))
    edit(copy)
    const writes = tenant.changes.length
    const error = await rollback(copy, tenant).then(
      () => null,
      (e: unknown) => e,
    )
    return { error: error as TeamsOAuthError, unchanged: tenant.changes.length === writes }
  }

  it('is refused before any change when an undo runs another command', async () => {
    const { error, unchanged } = await tampered((journal) => {
      journal.entries[0]!.undo = [
        { system: 'exchange', cmdlet: 'Invoke-Expression', params: { Command: 'Remove-Item C:\\' } },
      ]
    })
    expect(error.code).toBe('JOURNAL_INVALID')
    expect(unchanged).toBe(true)
  })

  it('is refused before any change when an undo would remove something else', async () => {
    const { error, unchanged } = await tampered((journal) => {
      const last = journal.entries.at(-1)!
      last.undo = [
        {
          system: 'exchange',
          cmdlet: 'Remove-MailUser',
          params: { Identity: 'Administrator', Confirm: false },
        },
      ]
    })
    expect(error.code).toBe('JOURNAL_INVALID')
    expect(error.message).toContain('Nothing was rolled back')
    expect(unchanged).toBe(true)
  })
})

describe('an application account whose name or address is taken', () => {
  it('blocks the plan before any change, naming the holder and the way out', async () => {
    const tenant = createFakeTenant()
    await tenant.invokeCmdlet({
      cmdlet: 'New-MailUser',
      params: { Name: 'Someone', ExternalEmailAddress: 'TeamsScheduler-ApplicationAccount@contoso.com' },
    })
    const planned = await plan(buildRunbook({ profile: 'teams', domain: 'contoso.com' }), tenant)
    const blocked = planned.blocked.find((b) => b.step === 'mailUser.TeamsScheduler')
    expect(blocked?.reason).toContain('contoso.com/Users/Someone')
    expect(blocked?.reason).toContain('--teams-account')
    const another = buildRunbook({
      profile: 'teams',
      domain: 'contoso.com',
      accounts: { teams: 'TeamsScheduler2' },
    })
    const { changes } = await apply(await plan(another, tenant), tenant)
    expect(changes).toBeGreaterThan(0)
    expect((await plan(another, tenant)).actions).toEqual([])
  })
})

describe('a journal used again', () => {
  it('is not undone twice: a second rollback of the same journal leaves later runs alone', async () => {
    const tenant = createFakeTenant()
    const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com' })
    const first = emptyJournal()
    await apply(await plan(runbook, tenant), tenant, { journal: first })
    await rollback(first, tenant)
    const other = emptyJournal()
    await apply(await plan(runbook, tenant), tenant, { journal: other })
    const configured = tenant.state()
    expect(first.entries.every((e) => e.undoneAt)).toBe(true)
    const again = await rollback(parseJournal(JSON.parse(JSON.stringify(first))), tenant)
    expect(again.undone).toEqual([])
    expect(tenant.state()).toEqual(configured)
  })
})

describe('an Entra write whose outcome is never confirmed', () => {
  it('is journaled with its backup before it is sent, so rollback restores the keys exactly', async () => {
    const tenant = createFakeTenant()
    const before = tenant.state()
    const runbook = buildRunbook({ profile: 'sfbonline', domain: 'contoso.com' })
    // the write lands, then the connection drops before the answer
    const entra = {
      getServicePrincipal: (appId: string) => tenant.entra.getServicePrincipal(appId),
      setKeyCredentials: async (id: string, keys: Parameters<typeof tenant.entra.setKeyCredentials>[1]) => {
        await tenant.entra.setKeyCredentials(id, keys)
        throw new Error('connection dropped')
      },
    }
    const journal = emptyJournal()
    await expect(
      apply(await plan(runbook, tenant), { exchange: tenant.exchange, entra }, { journal }),
    ).rejects.toThrow('connection dropped')
    const last = journal.entries.at(-1)!
    expect(last).toMatchObject({ unconfirmed: true, action: { op: 'addKey' } })
    expect((last.before as { keyCredentials: unknown[] }).keyCredentials.length).toBeGreaterThan(0)
    await rollback(journal, tenant)
    expect(tenant.state()).toEqual(before)
  })
})
