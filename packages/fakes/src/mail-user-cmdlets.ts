import {
  assertRenameFree,
  type CmdletContext,
  cannotConvert,
  createdGuid,
  getHandler,
  type Handler,
  removeHandler,
  required,
  setHandler,
} from './exchange-cmdlet-context'
import { exchangeError, objectAlreadyExists } from './exchange-errors'
import { findMailUser, recipientDn } from './exchange-model'
import { mailUserObject } from './exchange-objects'
import { forgetMember } from './role-group-cmdlets'
import type { ExchangeState } from './state'

/** New-, Get-, Set- and Remove-MailUser. */

const aliasFrom = (name: string) => name.replace(/[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]/g, '')

function proxyAddress(ctx: CmdletContext, value: string): string {
  const match = /^(?:(smtp):)?([^\s@:]+@[^\s@]+\.[^\s@]+)$/i.exec(value.trim())
  if (!match) {
    throw cannotConvert(
      ctx,
      'ExternalEmailAddress',
      value,
      'Microsoft.Exchange.Data.ProxyAddress',
      'CannotConvertArgumentNoMessage,Microsoft.Exchange.Management.RecipientTasks',
    )
  }
  return `SMTP:${match[2]}`
}

/** A recipient's name is unique among mail users and mailboxes alike. */
const nameTaken = (state: ExchangeState, name: string) =>
  state.mailUsers.some((u) => u.name.toLowerCase() === name.toLowerCase()) ||
  state.mailboxes.some((m) => m.name.toLowerCase() === name.toLowerCase())

function assertAddressFree(ctx: CmdletContext, address: string) {
  const lower = address.toLowerCase()
  const owner =
    ctx.state.mailUsers.find((u) => u.externalEmailAddress.toLowerCase() === lower)?.name ??
    ctx.state.mailboxes.find((m) => `smtp:${m.primarySmtpAddress}`.toLowerCase() === lower)?.name
  if (owner) {
    throw exchangeError(
      ctx.cmdlet,
      'ProxyAddressExistsException',
      `The proxy address "${address}" is already being used by the proxy addresses or LegacyExchangeDN of "${ctx.state.organization.domain}/Users/${owner}". Please choose another proxy address.`,
      { target: address },
    )
  }
}

function uniqueAlias(state: ExchangeState, wanted: string): string {
  const taken = new Set([...state.mailUsers, ...state.mailboxes].map((r) => r.alias.toLowerCase()))
  if (!taken.has(wanted.toLowerCase())) return wanted
  for (let i = 2; ; i++) if (!taken.has(`${wanted}${i}`.toLowerCase())) return `${wanted}${i}`
}

const newMailUser: Handler = (ctx) => {
  const { state, params } = ctx
  const name = required(ctx, 'Name')
  if (nameTaken(state, name))
    throw objectAlreadyExists(ctx.cmdlet, recipientDn(state, name), ctx.domainController)
  const external = params.string('ExternalEmailAddress')
  const address = external
    ? proxyAddress(ctx, external)
    : `SMTP:${aliasFrom(name)}@${state.organization.domain}`
  assertAddressFree(ctx, address)
  const user = {
    name,
    alias: uniqueAlias(state, params.string('Alias') ?? aliasFrom(name)),
    displayName: params.string('DisplayName') ?? name,
    externalEmailAddress: address,
    hiddenFromAddressListsEnabled: false,
    applicationAccount: params.switch('ApplicationAccount'),
    guid: createdGuid(state, 'mailUser', name),
  }
  if (!ctx.write(name, () => state.mailUsers.push(user))) return []
  return [mailUserObject(state, user)]
}

const setMailUser = setHandler(
  findMailUser,
  { HiddenFromAddressListsEnabled: 'boolean', DisplayName: 'string', Alias: 'string', Name: 'string' },
  (ctx, user) => {
    if (ctx.params.string('Name')?.toLowerCase() !== user.name.toLowerCase())
      assertRenameFree(
        ctx,
        user,
        (name) => nameTaken(ctx.state, name),
        (name) => recipientDn(ctx.state, name),
      )
    const external = ctx.params.string('ExternalEmailAddress')
    if (external === undefined) return undefined
    const address = proxyAddress(ctx, external)
    return () => {
      user.externalEmailAddress = address
    }
  },
)

export const mailUserCmdlets: Record<string, Handler> = {
  'New-MailUser': newMailUser,
  'Set-MailUser': setMailUser,
  'Get-MailUser': getHandler((state) => state.mailUsers, findMailUser, mailUserObject),
  // a removed user leaves the role groups it was a member of, as Active Directory's back links do
  'Remove-MailUser': removeHandler((state) => state.mailUsers, findMailUser, forgetMember),
}
