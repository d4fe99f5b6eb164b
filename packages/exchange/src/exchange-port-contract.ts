import { type CmdletCall, type ExchangePort, TeamsOAuthError } from '@teams-oauth/core'
import {
  authConfigObject,
  authServerObject,
  casMailboxObject,
  exchangeCertificateObject,
  exchangeServerObject,
  isExchangeNotFound,
  mailboxFolderObject,
  mailboxFolderPermissionObject,
  mailboxObject,
  mailUserObject,
  managementRoleEntryObject,
  managementRoleObject,
  organizationConfigObject,
  partnerApplicationObject,
  roleAssignmentObject,
} from '@teams-oauth/core/adapter'
import type { FakeTenant } from '@teams-oauth/fakes'
import { beforeEach, describe, expect, it } from 'vitest'
import type { z } from 'zod'

/** One implementation of ExchangePort under test, over a fresh fake organisation per test. */
export interface ExchangePortDoor {
  name: string
  /** A fresh default organisation and a port onto it. */
  fresh(): Promise<{ port: ExchangePort; tenant: FakeTenant }>
}

export const contractReads: { call: CmdletCall; schema: z.ZodType }[] = [
  { call: { cmdlet: 'Get-MailUser', params: {} }, schema: mailUserObject },
  {
    call: { cmdlet: 'Get-ManagementRole', params: { Identity: 'UserApplication' } },
    schema: managementRoleObject,
  },
  {
    call: { cmdlet: 'Get-ManagementRoleEntry', params: { Identity: 'UserApplication\\*' } },
    schema: managementRoleEntryObject,
  },
  {
    call: { cmdlet: 'Get-ManagementRoleAssignment', params: { Role: 'UserApplication' } },
    schema: roleAssignmentObject,
  },
  { call: { cmdlet: 'Get-PartnerApplication', params: {} }, schema: partnerApplicationObject },
  { call: { cmdlet: 'Get-AuthConfig', params: {} }, schema: authConfigObject },
  { call: { cmdlet: 'Get-AuthServer', params: {} }, schema: authServerObject },
  { call: { cmdlet: 'Get-ExchangeServer', params: {} }, schema: exchangeServerObject },
  { call: { cmdlet: 'Get-Mailbox', params: {} }, schema: mailboxObject },
  {
    call: { cmdlet: 'Get-MailboxFolderStatistics', params: { Identity: 'klaus', FolderScope: 'Calendar' } },
    schema: mailboxFolderObject,
  },
  {
    call: { cmdlet: 'Get-MailboxFolderPermission', params: { Identity: 'klaus:\\Kalender' } },
    schema: mailboxFolderPermissionObject,
  },
  { call: { cmdlet: 'Get-OrganizationConfig', params: {} }, schema: organizationConfigObject },
  { call: { cmdlet: 'Get-CASMailbox', params: { Identity: 'alice' } }, schema: casMailboxObject },
]

export async function failureOf(promise: Promise<unknown>): Promise<TeamsOAuthError> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  )
  if (!(outcome instanceof TeamsOAuthError))
    throw new Error(`expected a TeamsOAuthError, got ${String(outcome)}`)
  return outcome
}

const newMailUser = (name: string): CmdletCall => ({
  cmdlet: 'New-MailUser',
  params: { Name: name, ExternalEmailAddress: `${name}@contoso.com` },
})

/** The behaviour every ExchangePort shows, whichever door it opens. */
export function exchangePortContract(door: ExchangePortDoor): void {
  describe(`the Exchange port through ${door.name}`, () => {
    let port: ExchangePort
    let tenant: FakeTenant
    beforeEach(async () => {
      ;({ port, tenant } = await door.fresh())
    })

    it('returns reads that parse with the Exchange object schemas', async () => {
      for (const { call, schema } of contractReads) {
        const objects = await port.invoke(call)
        expect(objects.length, call.cmdlet).toBeGreaterThan(0)
        for (const object of objects) expect(() => schema.parse(object), call.cmdlet).not.toThrow()
      }
      const { CurrentCertificateThumbprint } = authConfigObject.parse(
        (await port.invoke({ cmdlet: 'Get-AuthConfig', params: {} }))[0],
      )
      const [certificate] = await port.invoke({
        cmdlet: 'Get-ExchangeCertificate',
        params: { Thumbprint: CurrentCertificateThumbprint! },
      })
      expect(exchangeCertificateObject.parse(certificate).Thumbprint).toBe(CurrentCertificateThumbprint)
    })

    it('reads back what it wrote', async () => {
      const [created] = await port.invoke(newMailUser('TeamsScheduler'))
      expect(mailUserObject.parse(created).Name).toBe('TeamsScheduler')
      await port.invoke({
        cmdlet: 'Set-MailUser',
        params: { Identity: 'TeamsScheduler', HiddenFromAddressListsEnabled: true },
      })
      const [read] = await port.invoke({ cmdlet: 'Get-MailUser', params: { Identity: 'TeamsScheduler' } })
      expect(mailUserObject.parse(read)).toMatchObject({
        Name: 'TeamsScheduler',
        HiddenFromAddressListsEnabled: true,
      })

      await port.invoke({
        cmdlet: 'New-ManagementRole',
        params: { Name: 'TeamsSchedulerRole', Parent: 'UserApplication' },
      })
      await port.invoke({
        cmdlet: 'Remove-ManagementRoleEntry',
        params: { Identity: 'TeamsSchedulerRole\\GetItem', Confirm: false },
      })
      const entries = await port.invoke({
        cmdlet: 'Get-ManagementRoleEntry',
        params: { Identity: 'TeamsSchedulerRole\\*' },
      })
      const names = entries.map((entry) => managementRoleEntryObject.parse(entry).Name)
      expect(names).toContain('GetDelegate')
      expect(names).not.toContain('GetItem')
      expect(tenant.changes.length).toBeGreaterThanOrEqual(3)
    })

    it('reports a missing object as not found, in Exchange words', async () => {
      const failure = await failureOf(
        port.invoke({ cmdlet: 'Get-MailUser', params: { Identity: 'nobody-here' } }),
      )
      expect(isExchangeNotFound(failure)).toBe(true)
      expect(failure.code).toBe('EXCHANGE_CMDLET_FAILED')
      expect(failure.data.message).toMatch(/couldn't be found/)
      expect(failure.data.message).not.toMatch(/at line|ScriptStackTrace|\+ CategoryInfo/)
    })

    it('refuses a duplicate name with the error Exchange gives', async () => {
      await port.invoke(newMailUser('TeamsScheduler'))
      const failure = await failureOf(port.invoke(newMailUser('TeamsScheduler')))
      expect(failure.code).toBe('EXCHANGE_CMDLET_FAILED')
      expect(failure.data).toMatchObject({
        cmdlet: 'New-MailUser',
        reason: expect.stringMatching(/AlreadyExists/),
      })
      expect(failure.data.message).toMatch(/already exists/)
    })

    it('refuses a parameter the cmdlet does not have', async () => {
      const failure = await failureOf(
        port.invoke({ cmdlet: 'Get-MailUser', params: { NoSuchParameter: 'x' } }),
      )
      expect(failure.data).toMatchObject({
        category: 'InvalidArgument',
        reason: 'ParameterBindingException',
        fullyQualifiedErrorId: 'NamedParameterNotFound,Get-MailUser',
        message: "A parameter cannot be found that matches parameter name 'NoSuchParameter'.",
      })
    })

    it('answers hasParameter as the cmdlet declares it', async () => {
      expect(await port.hasParameter('New-MailUser', 'ApplicationAccount')).toBe(true)
      expect(await port.hasParameter('New-MailUser', 'ExternalEmailAddress')).toBe(true)
      expect(await port.hasParameter('New-MailUser', 'NoSuchParameter')).toBe(false)
    })

    it('exports the auth certificate as its DER bytes, and null for an unknown thumbprint', async () => {
      const state = tenant.state()
      const thumbprint = state.exchange.authConfig.currentCertificateThumbprint!
      const stored = state.exchange.servers[0]!.certificates.find((c) => c.thumbprint === thumbprint)!
      const bytes = await port.exportCertificate(thumbprint)
      expect(bytes && Buffer.from(bytes).toString('base64')).toBe(stored.der)
      expect(await port.exportCertificate('0000000000000000000000000000000000000000')).toBeNull()
    })
  })
}
