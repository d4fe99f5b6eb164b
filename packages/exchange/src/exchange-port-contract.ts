import {
  type CmdletCall,
  type ExchangePort,
  isTeamsOAuthError,
  type TeamsOAuthErrorOf,
} from '@teams-oauth/core'
import {
  authConfigObject,
  cmdletOutputSchemas,
  exchangeCertificateObject,
  isExchangeNotFound,
  mailUserObject,
  managementRoleEntryObject,
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

/**
 * The parameters of each read in the contract, against the default fake organisation. Its schema is
 * core's own for that cmdlet (cmdletOutputSchemas); Get-ExchangeCertificate is read by thumbprint below.
 */
const readParams: Readonly<Record<string, CmdletCall['params']>> = {
  'Get-MailUser': {},
  'Get-ManagementRole': { Identity: 'UserApplication' },
  'Get-ManagementRoleEntry': { Identity: 'UserApplication\\*' },
  'Get-ManagementRoleAssignment': { Role: 'UserApplication' },
  'Get-PartnerApplication': {},
  'Get-AuthConfig': {},
  'Get-AuthServer': {},
  'Get-ExchangeServer': {},
  'Get-Mailbox': {},
  'Get-MailboxFolderStatistics': { Identity: 'klaus', FolderScope: 'Calendar' },
  'Get-MailboxFolderPermission': { Identity: 'klaus:\\Kalender' },
  'Get-OrganizationConfig': {},
  'Get-CASMailbox': { Identity: 'alice' },
}

const schemaOf = (cmdlet: string): z.ZodType => {
  const schema = cmdletOutputSchemas[cmdlet]
  if (!schema) throw new Error(`core has no output schema for ${cmdlet}`)
  return schema
}

/** Every read core has a schema for, each with its schema: a read core learns is in the contract at once. */
export const contractReads: { call: CmdletCall; schema: z.ZodType }[] = Object.keys(cmdletOutputSchemas)
  .filter((cmdlet) => cmdlet.startsWith('Get-') && cmdlet !== 'Get-ExchangeCertificate')
  .map((cmdlet) => {
    const params = readParams[cmdlet]
    if (!params) throw new Error(`the Exchange port contract has no read of ${cmdlet}: add its parameters`)
    return { call: { cmdlet, params }, schema: schemaOf(cmdlet) }
  })

export async function failureOf(promise: Promise<unknown>): Promise<TeamsOAuthErrorOf> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  )
  if (!isTeamsOAuthError(outcome)) throw new Error(`expected a TeamsOAuthError, got ${String(outcome)}`)
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
