import {
  assertRenameFree,
  type CmdletContext,
  createdGuid,
  getHandler,
  type Handler,
  notFound,
  removeHandler,
  required,
  setHandler,
} from './exchange-cmdlet-context'
import { objectAlreadyExists } from './exchange-errors'
import { configurationDn, findPartnerApplication, findRecipient } from './exchange-model'
import { partnerApplicationObject } from './exchange-objects'
import type { ExchangeState } from './state'

/** New-, Get-, Set- and Remove-PartnerApplication. */

const partnerApplicationDn = (state: ExchangeState, name: string) =>
  `CN=${name},CN=Partner Applications,CN=Auth Configuration,${configurationDn(state)}`

function linkedAccountName(ctx: CmdletContext): string | null | undefined {
  if (!ctx.params.has('LinkedAccount')) return undefined
  const id = ctx.params.string('LinkedAccount')
  if (id === undefined || id === '') return null
  const recipient = findRecipient(ctx.state, id)
  if (!recipient) throw notFound(ctx, id)
  return recipient.value.name
}

const newPartnerApplication: Handler = (ctx) => {
  const { state, params } = ctx
  const name = required(ctx, 'Name')
  if (findPartnerApplication(state, name)) {
    throw objectAlreadyExists(ctx.cmdlet, partnerApplicationDn(state, name), ctx.domainController)
  }
  const byMetadata = params.set === 'AuthMetadataUrl'
  const app = {
    name,
    applicationIdentifier: byMetadata ? '' : required(ctx, 'ApplicationIdentifier'),
    enabled: params.boolean('Enabled') ?? true,
    linkedAccount: linkedAccountName(ctx) ?? null,
    realm: params.string('Realm') ?? '',
    useAuthServer: !byMetadata,
    authMetadataUrl: params.string('AuthMetadataUrl') ?? null,
    accountType: params.string('AccountType') ?? 'OrganizationalAccount',
    guid: createdGuid(state, 'partnerApplication', name),
  }
  if (!ctx.write(name, () => state.partnerApplications.push(app))) return []
  return [partnerApplicationObject(state, app)]
}

const setPartnerApplication = setHandler(
  findPartnerApplication,
  {
    Enabled: 'boolean',
    ApplicationIdentifier: 'string',
    Realm: 'string',
    AuthMetadataUrl: 'string',
    AccountType: 'string',
    Name: 'string',
  },
  (ctx, app) => {
    const { state } = ctx
    assertRenameFree(
      ctx,
      app,
      (name) => findPartnerApplication(state, name) !== null,
      (name) => partnerApplicationDn(state, name),
    )
    const linked = linkedAccountName(ctx)
    if (linked === undefined) return undefined
    return () => {
      app.linkedAccount = linked
    }
  },
)

export const partnerApplicationCmdlets: Record<string, Handler> = {
  'New-PartnerApplication': newPartnerApplication,
  'Get-PartnerApplication': getHandler(
    (state) => state.partnerApplications,
    findPartnerApplication,
    partnerApplicationObject,
  ),
  'Set-PartnerApplication': setPartnerApplication,
  'Remove-PartnerApplication': removeHandler((state) => state.partnerApplications, findPartnerApplication),
}
