import { createFakeTenant } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import type { Action, ExchangeAction } from '../actions'
import { apply } from '../apply'
import type { ValidInput } from '../input'
import { plan } from '../plan'
import type { Targets } from '../ports'
import { buildRunbook } from '../runbook'
import { roleAssignment } from './role-assignment'
import type { StepContext } from './step'

const step = {
  kind: 'roleAssignment' as const,
  id: 'assignment.TeamsSchedulerRole.TeamsScheduler',
  role: 'TeamsSchedulerRole',
  user: 'TeamsScheduler',
}
const name = 'TeamsSchedulerRole-TeamsScheduler'

const context = (targets: Targets, accounts: Record<string, string> = {}): StepContext => ({
  input: {} as ValidInput,
  targets,
  now: new Date(),
  certificates: [],
  accounts,
})

/** The organisation after a teams apply: the role assigned to TeamsScheduler; `enabled` false turns it off. */
async function assigned(enabled = true) {
  const tenant = createFakeTenant()
  await apply(await plan(buildRunbook({ profile: 'teams', domain: 'contoso.com' }), tenant), tenant)
  if (!enabled)
    await tenant.exchange.invoke({
      cmdlet: 'Set-ManagementRoleAssignment',
      params: { Identity: name, Enabled: false },
    })
  const [found] = await tenant.exchange.invoke({
    cmdlet: 'Get-ManagementRoleAssignment',
    params: { Role: step.role, RoleAssignee: step.user },
  })
  return { tenant, assignment: found!, guid: String(found!.Guid) }
}

const create = (user = 'TeamsScheduler', extra: Record<string, string> = {}): ExchangeAction => ({
  system: 'exchange',
  cmdlet: 'New-ManagementRoleAssignment',
  params: { Role: 'TeamsSchedulerRole', User: user, ...extra },
})
const enable = (identity = name, extra: Record<string, string | boolean> = {}): ExchangeAction => ({
  system: 'exchange',
  cmdlet: 'Set-ManagementRoleAssignment',
  params: { Identity: identity, Enabled: true, ...extra },
})
const entra = { system: 'entra', op: 'addKey' } as unknown as Action

describe('the role assignment step, as journaled', () => {
  it('is titled by its role and user', () => {
    expect(roleAssignment.title(step)).toBe('role TeamsSchedulerRole assigned to TeamsScheduler')
  })

  it('observes the assignments of the role to the user, or to the account the partner application acts as', async () => {
    const { tenant } = await assigned()
    const found = await roleAssignment.observe(step, context(tenant))
    expect(found.map((a) => [a.Name, a.Enabled, a.RoleAssigneeType])).toEqual([[name, true, 'User']])
    expect(
      await roleAssignment.observe(
        step,
        context(tenant, { teamsscheduler: 'ExchangeOnline-ApplicationAccount' }),
      ),
    ).toEqual([])
    expect(await roleAssignment.observe(step, context(createFakeTenant()))).toEqual([])
  })

  it('keeps the assignment an enable replaces, with its Guid, and nothing for other actions', async () => {
    const { tenant, guid } = await assigned(false)
    const ctx = context(tenant)
    expect(await roleAssignment.before!(step, enable(), ctx)).toEqual({
      Name: name,
      Role: 'TeamsSchedulerRole',
      RoleAssigneeName: 'TeamsScheduler',
      Enabled: false,
      Guid: guid,
    })
    expect(await roleAssignment.before!(step, enable('nothing-of-that-name'), ctx)).toBeNull()
    expect(await roleAssignment.before!(step, create(), ctx)).toBeNull()
    expect(await roleAssignment.before!(step, entra, ctx)).toBeNull()
  })

  it('undoes an enable by disabling that assignment by its Guid, pinned as the action was', async () => {
    const { tenant, guid } = await assigned(false)
    const before = await roleAssignment.before!(step, enable(), context(tenant))
    const pinned = enable(name, { DomainController: 'dc1.contoso.com' })
    expect(roleAssignment.undo(step, pinned, before, [], [])).toEqual([
      {
        system: 'exchange',
        cmdlet: 'Set-ManagementRoleAssignment',
        params: { Identity: guid, Enabled: false, DomainController: 'dc1.contoso.com' },
      },
    ])
    expect(roleAssignment.target!(step, enable(), before, [])).toEqual({
      read: 'Get-ManagementRoleAssignment',
      guid,
      name,
      what: `role assignment ${name}`,
    })
    // the backup of another role's assignment is none of this step's
    const other = { ...(before as object), Role: 'OtherRole' }
    expect(roleAssignment.undo(step, enable(), other, [], [])).toEqual([])
    expect(
      roleAssignment.undo(step, enable(), { ...(before as object), RoleAssigneeName: null }, [], []),
    ).toEqual([])
    expect(roleAssignment.undo(step, enable(), null, [], [])).toEqual([])
    expect(roleAssignment.target!(step, enable(), other, [])).toBeNull()
  })

  it('undoes a create by removing the assignment it returned, when it is of this role and user', async () => {
    const { assignment, guid } = await assigned()
    const result = [assignment]
    expect(
      roleAssignment.undo(step, create('TeamsScheduler', { DomainController: 'dc1' }), null, result, []),
    ).toEqual([
      {
        system: 'exchange',
        cmdlet: 'Remove-ManagementRoleAssignment',
        params: { Identity: guid, Confirm: false, DomainController: 'dc1' },
      },
    ])
    expect(
      roleAssignment.undo({ ...step, role: 'teamsschedulerrole' }, create(), null, result, []),
    ).toHaveLength(1)
    expect(roleAssignment.target!(step, create(), null, result)).toMatchObject({ guid, name })
    // returned for another role, another user, or not an assignment at all: nothing is removed
    expect(roleAssignment.undo({ ...step, role: 'OtherRole' }, create(), null, result, [])).toEqual([])
    expect(roleAssignment.undo(step, create('Someone'), null, result, [])).toEqual([])
    expect(roleAssignment.undo(step, create(), null, [{ ...assignment, Role: 42 }], [])).toEqual([])
    expect(roleAssignment.undo(step, create(), null, [], [])).toEqual([])
    expect(roleAssignment.target!(step, create('Someone'), null, result)).toBeNull()
    expect(
      roleAssignment.undo(step, { ...create(), cmdlet: 'Remove-ManagementRoleAssignment' }, null, result, []),
    ).toEqual([])
    expect(roleAssignment.undo(step, entra, null, result, [])).toEqual([])
  })

  it('reads back a create by the role and the account, and an enable by the assignment it named', async () => {
    const { tenant, assignment } = await assigned()
    const ctx = context(tenant)
    expect(await roleAssignment.landed!(step, create(), ctx)).toEqual({ result: [assignment] })
    expect(await roleAssignment.landed!(step, enable(), ctx)).toEqual({ result: [] })
    expect(await roleAssignment.landed!(step, create('ExchangeOnline-ApplicationAccount'), ctx)).toBeNull()
    expect(await roleAssignment.landed!(step, entra, ctx)).toBeNull()
    const off = await assigned(false)
    expect(await roleAssignment.landed!(step, enable(), context(off.tenant))).toBeNull()
    expect(await roleAssignment.landed!(step, create(), context(off.tenant))).toBeNull()
  })

  it('owns a create of its role for a user, and an enable of the assignment it read before', async () => {
    const { tenant } = await assigned(false)
    const before = await roleAssignment.before!(step, enable(), context(tenant))
    const fits = (action: Action, b: unknown = null) => roleAssignment.fits!(step, action, b)
    expect(fits(create())).toBe(true)
    expect(fits(create('Linked'))).toBe(true)
    expect(fits({ ...create(), params: { Role: 'OtherRole', User: 'TeamsScheduler' } })).toBe(false)
    expect(fits({ ...create(), params: { Role: 'TeamsSchedulerRole' } })).toBe(false)
    expect(fits(enable(), before)).toBe(true)
    expect(fits(enable(), null)).toBe(false)
    expect(fits(enable('another-assignment'), before)).toBe(false)
    expect(fits(enable(name, { Enabled: false }), before)).toBe(false)
    expect(fits({ ...enable(), cmdlet: 'Remove-ManagementRoleAssignment' }, before)).toBe(false)
    expect(fits(entra)).toBe(false)
  })
})
