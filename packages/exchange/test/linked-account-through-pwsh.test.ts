import { apply, buildRunbook, diagnose, plan, verify } from '@teams-oauth/core'
import { createFakeTenant, scenarios } from '@teams-oauth/fakes'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { standIn } from './stand-in'

const pwsh = pwshTestGate()
const linked = 'TeamsIntegration-ApplicationAccount'

describe.runIf(pwsh.run)(
  'a partner application linked to another account, through a real pwsh and the stand-in',
  () => {
    const stand = standIn(pwsh.executable)

    it('plan grants that account the role and hides it; apply creates no second account; doctor checks it', async () => {
      const current = stand.use(createFakeTenant(scenarios.linkedToAnotherAccount()))
      const targets = { exchange: stand.connection, entra: current.entra }
      const seeded = current.state()
      const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com' })

      const planned = await plan(runbook, targets)
      const exchangeActions = planned.actions.flatMap((a) =>
        a.action.system === 'exchange' ? [a.action] : [],
      )
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
      expect(planned.steps.find((s) => s.id === 'mailUser.TeamsScheduler')?.notes.join()).toContain(
        `TeamsScheduler already acts as ${linked}`,
      )
      const before = await diagnose(targets, { profile: 'teams', domain: 'contoso.com' })
      // doctor's checks of the steps are verify's: the linked account is the one found, and not hidden yet
      expect(before.checks.find((c) => c.id === 'mailUser.TeamsScheduler')).toMatchObject({
        status: 'pass',
        evidence: expect.arrayContaining([`${linked} <${linked}@contoso.com>, linked to TeamsScheduler`]),
      })
      expect(before.checks.find((c) => c.id === 'hidden.TeamsScheduler')).toMatchObject({
        status: 'fail',
        evidence: [`${linked} shown in address lists`],
      })

      await apply(planned, targets)
      const exchange = current.state().exchange
      expect(exchange.mailUsers.map((u) => u.name).sort()).toEqual([
        'Exchange Online-ApplicationAccount',
        linked,
      ])
      expect(exchange.mailUsers.find((u) => u.name === linked)?.hiddenFromAddressListsEnabled).toBe(true)
      expect(exchange.roleAssignments).toContainEqual(
        expect.objectContaining({ role: 'TeamsSchedulerRole', roleAssignee: linked, enabled: true }),
      )
      expect((await verify(runbook, targets)).ok).toBe(true)
      const after = await diagnose(targets, { profile: 'teams', domain: 'contoso.com' })
      expect(after.checks.filter((c) => c.step && c.status !== 'pass')).toEqual([])

      // what went through pwsh is what the in-process door makes of the same organisation
      const reference = createFakeTenant({ state: seeded })
      await apply(await plan(runbook, reference), reference)
      expect(current.state().exchange).toEqual(reference.state().exchange)
    })
  },
)
