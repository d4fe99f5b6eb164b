import {
  apply,
  buildRunbook,
  type CmdletCall,
  type JournalEntry,
  plan,
  rollback,
  TeamsOAuthError,
  verify,
} from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { createFakeTenant, scenarios } from '../src/index'

const teams = buildRunbook({ profile: 'teams', domain: 'contoso.com' })
const all = buildRunbook({ profile: 'all', domain: 'contoso.com' })
const cmdlets = (planned: Awaited<ReturnType<typeof plan>>) =>
  planned.actions.map((a) => (a.action.system === 'exchange' ? a.action.cmdlet : a.action.op))

describe('a TeamsSchedulerRole the admin already made', () => {
  it('with another parent blocks the plan with what to do, and apply changes nothing', async () => {
    const tenant = createFakeTenant(
      scenarios.adminMadeSchedulerRole(['ArchiveItem', 'FindItem'], 'ArchiveApplication'),
    )
    const start = tenant.state()
    const planned = await plan(teams, tenant)
    const role = planned.steps.find((s) => s.kind === 'managementRole')!
    expect(role.actions).toEqual([])
    expect(role.blocked).toMatch(/child of ArchiveApplication, not UserApplication.*Remove-ManagementRole/)
    await expect(apply(planned, tenant)).rejects.toMatchObject({ code: 'PLAN_BLOCKED' })
    expect(tenant.changes).toEqual([])
    expect(tenant.state()).toEqual(start)
  })

  it('without GetDelegate gets it added before the others are removed, and ends as the procedure says', async () => {
    const tenant = createFakeTenant(scenarios.adminMadeSchedulerRole())
    const planned = await plan(teams, tenant)
    const role = planned.steps.find((s) => s.kind === 'managementRole')!
    expect(role.actions.map((a) => (a.action.system === 'exchange' ? a.action.cmdlet : ''))).toEqual([
      'Add-ManagementRoleEntry',
      'Remove-ManagementRoleEntry',
      'Remove-ManagementRoleEntry',
      'Remove-ManagementRoleEntry',
    ])
    await apply(planned, tenant)
    expect((await verify(teams, tenant)).ok).toBe(true)
    const made = tenant.state().exchange.roles.find((r) => r.name === 'TeamsSchedulerRole')!
    expect(made.entries.map((e) => e.name)).toEqual(['GetDelegate'])
    expect((await plan(teams, tenant)).actions).toEqual([])
  })

  it('is set back entry by entry by rollback, its own Guid checked first', async () => {
    const tenant = createFakeTenant(scenarios.adminMadeSchedulerRole())
    const start = tenant.state()
    const { journal } = await apply(await plan(teams, tenant), tenant)
    const roleEntries = journal.entries.filter(
      (e: JournalEntry) => e.step === 'managementRole.TeamsSchedulerRole',
    )
    expect(roleEntries.map((e) => (e.before as { role: { Guid: string } }).role.Guid)).toEqual(
      roleEntries.map(() => start.exchange.roles.find((r) => r.name === 'TeamsSchedulerRole')!.guid),
    )
    await rollback(journal, tenant)
    expect(tenant.state()).toEqual(start)
  })

  it('is refused its last entry by the fake, as Exchange refuses it', async () => {
    const tenant = createFakeTenant(scenarios.adminMadeSchedulerRole(['FindItem']))
    await expect(
      tenant.invokeCmdlet({
        cmdlet: 'Remove-ManagementRoleEntry',
        params: { Identity: 'TeamsSchedulerRole\\FindItem', Confirm: false },
      }),
    ).rejects.toThrow(/last entry/)
  })
})

describe('an unrelated mail user named TeamsScheduler', () => {
  it('with an address of its own blocks the plan and is neither hidden nor given the role', async () => {
    const tenant = createFakeTenant(scenarios.unrelatedTeamsSchedulerMailUser())
    const start = tenant.state()
    const planned = await plan(teams, tenant)
    const user = planned.steps.find((s) => s.kind === 'mailUser')!
    expect(user.blocked).toMatch(
      /someone@fabrikam\.com, not TeamsScheduler-ApplicationAccount@contoso\.com.*--teams-account/,
    )
    await expect(apply(planned, tenant)).rejects.toMatchObject({ code: 'PLAN_BLOCKED' })
    expect(tenant.changes).toEqual([])
    expect(tenant.state()).toEqual(start)
  })
})

describe('one account for both profiles', () => {
  it('is refused as bad input, naming the field and the fix', () => {
    const build = () =>
      buildRunbook({
        profile: 'all',
        domain: 'contoso.com',
        accounts: { teams: 'AppAccount', sfbonline: 'appaccount' },
      })
    expect(build).toThrow(TeamsOAuthError)
    try {
      build()
    } catch (error) {
      expect((error as TeamsOAuthError).code).toBe('INPUT_INVALID')
      expect((error as TeamsOAuthError).data.issues).toEqual([
        expect.objectContaining({ field: 'accounts', fix: expect.stringContaining('--teams-account') }),
      ])
    }
  })
})

describe('an Exchange write', () => {
  it('is in the journal, unconfirmed, before its cmdlet is sent, and confirmed after the answer', async () => {
    const tenant = createFakeTenant()
    let latest: JournalEntry[] = []
    const seen: { cmdlet: string; journaledFirst: boolean }[] = []
    const exchange = {
      ...tenant.exchange,
      async invoke(call: CmdletCall) {
        if (!call.cmdlet.startsWith('Get-')) {
          const last = latest.at(-1)
          const sameCall = last?.action.system === 'exchange' && last.action.cmdlet === call.cmdlet
          seen.push({ cmdlet: call.cmdlet, journaledFirst: Boolean(sameCall && last?.unconfirmed) })
        }
        return tenant.exchange.invoke(call)
      },
    }
    const targets = { exchange, entra: tenant.entra }
    const { journal } = await apply(await plan(all, targets), targets, {
      onJournal: (j) => {
        latest = JSON.parse(JSON.stringify(j.entries)) as JournalEntry[]
      },
    })
    expect(seen.length).toBeGreaterThan(10)
    expect(seen.filter((s) => !s.journaledFirst)).toEqual([])
    expect(journal.entries.some((e) => e.unconfirmed)).toBe(false)
    expect(cmdlets(await plan(all, tenant))).toEqual([])
  })
})
