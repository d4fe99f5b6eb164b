import { apply, buildRunbook, diagnose, plan, verify } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { createFakeTenant, scenarios } from '../src/index'

const linked = 'TeamsIntegration-ApplicationAccount'

describe('a partner application already linked to an account with another name', () => {
  it('plan grants that account the role and hides it, and creates no second account', async () => {
    const tenant = createFakeTenant(scenarios.linkedToAnotherAccount())
    const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com' })
    const planned = await plan(runbook, tenant)
    const mailUser = planned.steps.find((s) => s.id === 'mailUser.TeamsScheduler')!
    expect(mailUser.actions).toEqual([])
    expect(mailUser.actual).toBe(`${linked} <${linked}@contoso.com>, linked to TeamsScheduler`)
    expect(mailUser.notes).toEqual([
      `TeamsScheduler already acts as ${linked}: ${linked} gets the role and is hidden; no TeamsScheduler is created`,
    ])
    const exchangeActions = planned.actions.flatMap((a) => (a.action.system === 'exchange' ? [a.action] : []))
    expect(exchangeActions.map((a) => a.cmdlet)).not.toContain('New-MailUser')
    expect(exchangeActions).toContainEqual(
      expect.objectContaining({
        cmdlet: 'Set-MailUser',
        params: { Identity: linked, HiddenFromAddressListsEnabled: true },
      }),
    )
    expect(exchangeActions).toContainEqual(
      expect.objectContaining({
        cmdlet: 'New-ManagementRoleAssignment',
        params: { Role: 'TeamsSchedulerRole', User: linked },
      }),
    )
    expect(exchangeActions.map((a) => a.cmdlet)).not.toContain('Set-PartnerApplication')

    await apply(planned, tenant)
    const exchange = tenant.state().exchange
    expect(exchange.mailUsers.map((u) => u.name)).not.toContain('TeamsScheduler')
    expect(exchange.mailUsers.find((u) => u.name === linked)?.hiddenFromAddressListsEnabled).toBe(true)
    expect(exchange.roleAssignments).toContainEqual(
      expect.objectContaining({ role: 'TeamsSchedulerRole', roleAssignee: linked, enabled: true }),
    )
    expect(exchange.partnerApplications.find((a) => a.name === 'TeamsScheduler')?.linkedAccount).toBe(linked)
    expect((await verify(runbook, tenant)).ok).toBe(true)
    expect((await plan(runbook, tenant)).actions).toEqual([])
  })

  it('doctor checks that account, before and after apply, and not the procedure default', async () => {
    const tenant = createFakeTenant(scenarios.linkedToAnotherAccount())
    const before = await diagnose(tenant, { profile: 'teams', domain: 'contoso.com' })
    const check = (id: string) => before.checks.find((c) => c.id === id)
    expect(check('mailUser.TeamsScheduler')).toMatchObject({
      status: 'pass',
      evidence: [
        `${linked} <${linked}@contoso.com>, linked to TeamsScheduler`,
        `TeamsScheduler already acts as ${linked}: ${linked} gets the role and is hidden; no TeamsScheduler is created`,
      ],
    })
    expect(check('hidden.TeamsScheduler')).toMatchObject({
      status: 'fail',
      evidence: [`${linked} shown in address lists`],
    })
    expect(check('assignment.TeamsSchedulerRole.TeamsScheduler')).toMatchObject({
      status: 'fail',
      explanation: expect.stringContaining(`Wanted: ${linked} holds TeamsSchedulerRole.`),
    })
    await apply(await plan(buildRunbook({ profile: 'teams', domain: 'contoso.com' }), tenant), tenant)
    const after = await diagnose(tenant, { profile: 'teams', domain: 'contoso.com' })
    expect(after.checks.filter((c) => c.status !== 'pass')).toEqual([])
    // the application acting as that account is right as it is: no warning to re-link it
    expect(after.checks.find((c) => c.id === 'partnerApplication.TeamsScheduler')?.status).toBe('pass')
    expect(after.ok).toBe(true)
  })

  it('an application linked to something that is no mail user blocks the plan instead of making another account', async () => {
    const tenant = createFakeTenant(scenarios.linkedToAnotherAccount())
    await tenant.invokeCmdlet({
      cmdlet: 'Set-PartnerApplication',
      params: { Identity: 'TeamsScheduler', LinkedAccount: 'alice' },
    })
    const planned = await plan(buildRunbook({ profile: 'teams', domain: 'contoso.com' }), tenant)
    expect(planned.blocked).toContainEqual(
      expect.objectContaining({
        step: 'mailUser.TeamsScheduler',
        reason: expect.stringMatching(
          /^the partner application TeamsScheduler acts as contoso.com\/Users\/Alice Wood, which is not a mail user here/,
        ),
      }),
    )
    const report = await diagnose(tenant, { profile: 'teams', domain: 'contoso.com' })
    expect(report.checks.find((c) => c.id === 'mailUser.TeamsScheduler')).toMatchObject({
      status: 'fail',
      evidence: ['TeamsScheduler acts as contoso.com/Users/Alice Wood, which is not a mail user'],
      fix: expect.stringContaining('Set-PartnerApplication -Identity'),
    })
  })
})
