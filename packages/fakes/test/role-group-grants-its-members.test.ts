import { apply, buildRunbook, diagnose, plan, verify } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { createFakeTenant, type FakeTenant, scenarios } from '../src/index'

const account = 'SfBOnline-ApplicationAccount'
const group = 'Partner Application Accounts'
const roles = ['UserApplication', 'ArchiveApplication']
const runbook = () => buildRunbook({ profile: 'sfbonline', domain: 'contoso.com' })

/** The enabled assignments of a role that reach a recipient, as Exchange answers -RoleAssignee. */
async function holding(tenant: FakeTenant, role: string, assignee: string) {
  const found = await tenant.invokeCmdlet({
    cmdlet: 'Get-ManagementRoleAssignment',
    params: { Role: role, RoleAssignee: assignee, Enabled: true },
  })
  return found.map((a) => a.Name)
}

const assignmentsOf = (tenant: FakeTenant, assignee: string) =>
  tenant.state().exchange.roleAssignments.filter((a) => a.roleAssignee === assignee)

describe('a role that reaches the account through a role group', () => {
  it('counts as held: plan assigns nothing, doctor finds each role held, and verify is green', async () => {
    const tenant = createFakeTenant(scenarios.legacyAccountInRoleGroup())
    const planned = await plan(runbook(), tenant)
    for (const role of roles) {
      const step = planned.steps.find((s) => s.id === `assignment.${role}.${account}`)!
      expect(step.actions).toEqual([])
      expect(step.actual).toBe(`assigned (${role}-${group})`)
    }
    await apply(planned, tenant)
    expect(assignmentsOf(tenant, account)).toEqual([])
    // doctor finds each role held through the group, as verify does
    const report = await diagnose(tenant, { profile: 'sfbonline', domain: 'contoso.com' })
    for (const role of roles)
      expect(report.checks.find((c) => c.id === `assignment.${role}.${account}`)).toMatchObject({
        status: 'pass',
        evidence: [`assigned (${role}-${group})`],
      })
    expect((await verify(runbook(), tenant)).ok).toBe(true)
  })
})

describe("a role group's disabled assignment", () => {
  it('is never enabled for the account: that would grant every member the role; the account gets its own', async () => {
    const tenant = createFakeTenant(scenarios.legacyAccountInRoleGroup({ enabled: false }))
    const planned = await plan(runbook(), tenant)
    const exchangeActions = planned.actions.flatMap((a) => (a.action.system === 'exchange' ? [a.action] : []))
    expect(exchangeActions.map((a) => a.cmdlet)).not.toContain('Set-ManagementRoleAssignment')
    for (const role of roles)
      expect(exchangeActions).toContainEqual(
        expect.objectContaining({
          cmdlet: 'New-ManagementRoleAssignment',
          params: { Role: role, User: account },
        }),
      )

    await apply(planned, tenant)
    // the group's assignments stay as they were: bob, the other member, gains nothing
    expect(assignmentsOf(tenant, group).map((a) => a.enabled)).toEqual([false, false])
    for (const role of roles) {
      expect(await holding(tenant, role, 'bob')).toEqual([])
      expect(await holding(tenant, role, account)).toEqual([`${role}-${account}`])
    }
    expect((await verify(runbook(), tenant)).ok).toBe(true)
  })

  it("is passed over for the account's own disabled assignment, which is enabled again", async () => {
    const tenant = createFakeTenant(scenarios.legacyAccountInRoleGroup({ enabled: false, ownDisabled: true }))
    const planned = await plan(runbook(), tenant)
    const exchangeActions = planned.actions.flatMap((a) => (a.action.system === 'exchange' ? [a.action] : []))
    for (const role of roles)
      expect(exchangeActions).toContainEqual(
        expect.objectContaining({
          cmdlet: 'Set-ManagementRoleAssignment',
          params: { Identity: `${role}-${account}`, Enabled: true },
        }),
      )
    expect(exchangeActions.map((a) => a.cmdlet)).not.toContain('New-ManagementRoleAssignment')

    await apply(planned, tenant)
    expect(assignmentsOf(tenant, group).map((a) => a.enabled)).toEqual([false, false])
    expect(assignmentsOf(tenant, account).map((a) => a.enabled)).toEqual([true, true])
    for (const role of roles) expect(await holding(tenant, role, 'bob')).toEqual([])
    expect((await verify(runbook(), tenant)).ok).toBe(true)
  })
})
