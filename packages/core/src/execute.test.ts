import { describe, expect, it } from 'vitest'
import type { ExchangeAction } from './actions'
import { isTeamsOAuthError } from './errors'
import { execute } from './execute'
import type { CmdletCall, EntraPort, ExchangePort, Targets } from './ports'

/** Every Exchange cmdlet teams-oauth runs to change something: its actions and their undo. */
const ownWrites = [
  'New-MailUser',
  'Set-MailUser',
  'Remove-MailUser',
  'New-ManagementRole',
  'Remove-ManagementRole',
  'Add-ManagementRoleEntry',
  'Remove-ManagementRoleEntry',
  'New-ManagementRoleAssignment',
  'Set-ManagementRoleAssignment',
  'Remove-ManagementRoleAssignment',
  'New-PartnerApplication',
  'Set-PartnerApplication',
  'Remove-PartnerApplication',
  'Add-MailboxFolderPermission',
  'Set-MailboxFolderPermission',
  'Remove-MailboxFolderPermission',
]

function recording() {
  const calls: CmdletCall[] = []
  const exchange: ExchangePort = {
    async invoke(call: CmdletCall) {
      calls.push(call)
      return [{ Name: 'done' }]
    },
    async *stream() {},
  } as unknown as ExchangePort
  const entra: EntraPort = {
    getServicePrincipal: async () => null,
    setKeyCredentials: async () => {
      throw new Error('no Entra write expected')
    },
  }
  return { calls, targets: { exchange, entra } as Targets }
}

const action = (cmdlet: string): ExchangeAction => ({
  system: 'exchange',
  cmdlet,
  params: { Identity: 'TeamsScheduler' },
})

describe('execute on Exchange', () => {
  it('runs each of teams-oauth’s own write cmdlets, without the system field, and reports a change', async () => {
    for (const cmdlet of ownWrites) {
      const { calls, targets } = recording()
      await expect(execute(targets, action(cmdlet))).resolves.toEqual({
        result: [{ Name: 'done' }],
        changed: true,
      })
      expect(calls).toEqual([{ cmdlet, params: { Identity: 'TeamsScheduler' } }])
    }
  })

  it('refuses any other cmdlet before it reaches Exchange, reads and lookalikes included', async () => {
    for (const cmdlet of [
      'Set-Mailbox',
      'Remove-Mailbox',
      'Set-OrganizationConfig',
      'Get-MailUser',
      'new-mailuser',
      'New-MailUserX',
      'Invoke-Expression',
    ]) {
      const { calls, targets } = recording()
      const error = await execute(targets, action(cmdlet)).catch((e: unknown) => e)
      expect(isTeamsOAuthError(error) && error.code).toBe('PLAN_BLOCKED')
      expect((error as { data: unknown }).data).toEqual({ cmdlet })
      expect((error as Error).message).toBe(`teams-oauth does not run ${cmdlet} to change Exchange`)
      expect(calls).toEqual([])
    }
  })
})

describe('execute on Entra', () => {
  it('carries out the key intent through the Entra port and says it changed nothing when there is nothing to do', async () => {
    const { calls, targets } = recording()
    const sp = { id: 'sp', appId: 'a', displayName: 'x', keyCredentials: [] }
    targets.entra.getServicePrincipal = async () => sp
    const done = await execute(targets, {
      system: 'entra',
      op: 'removeKey',
      appId: 'a',
      servicePrincipalId: 'sp',
      thumbprint: 'AB',
      restore: [],
    })
    expect(done).toEqual({ result: null, before: sp, changed: false })
    expect(calls).toEqual([])
  })
})
