import type { CmdletObject } from '@teams-oauth/core'
import type { BoundParameters } from './binding'
import { tryDescribeBase64Certificate } from './certificates'
import { graphDate } from './entra-model'
import { cmdletError } from './exchange-errors'
import { deterministicGuid } from './ids'
import type { EntraState, ServicePrincipalState, StoredKeyCredential } from './state'

/** What an MSOnline cmdlet handler sees. */
export interface MsolContext {
  state: EntraState
  cmdlet: string
  params: BoundParameters
  /** One write: counted for failWrite, recorded in the change log. */
  write(target: string, detail: Record<string, unknown>, mutate: () => void): void
}

type Handler = (ctx: MsolContext) => CmdletObject[]

/** MSOnline's errors: a MicrosoftOnlineException, as the module reports it. */
export function msolError(cmdlet: string, message: string, target: string | null = null): Error {
  return cmdletError({
    cmdlet,
    message,
    category: 'OperationStopped',
    reason: 'MicrosoftOnlineException',
    fullyQualifiedErrorId: `Microsoft.Online.Administration.Automation.MicrosoftOnlineException,Microsoft.Online.Administration.Automation.${cmdlet.replace('-', '')}`,
    target,
  })
}

function servicePrincipal(ctx: MsolContext): ServicePrincipalState {
  const { params, state } = ctx
  const appId = params.string('AppPrincipalId')
  const objectId = params.string('ObjectId')
  const spn = params.string('ServicePrincipalName')
  const found = state.servicePrincipals.find((sp) =>
    appId !== undefined
      ? sp.appId.toLowerCase() === appId.toLowerCase()
      : objectId !== undefined
        ? sp.id.toLowerCase() === objectId.toLowerCase()
        : spn !== undefined && sp.appId.toLowerCase() === spn.split('/')[0]!.toLowerCase(),
  )
  if (!found)
    throw msolError(ctx.cmdlet, 'Service principal was not found.', appId ?? objectId ?? spn ?? null)
  return found
}

const servicePrincipalObject = (sp: ServicePrincipalState): CmdletObject => ({
  ObjectId: sp.id,
  AppPrincipalId: sp.appId,
  DisplayName: sp.displayName,
  ServicePrincipalNames: [sp.appId],
  AccountEnabled: true,
  TrustedForDelegation: false,
  Addresses: [],
})

const msolTypes: Record<string, string> = {
  AsymmetricX509Cert: 'Asymmetric',
  X509CertAndPassword: 'Asymmetric',
  Symmetric: 'Symmetric',
}

function credentialObject(key: StoredKeyCredential, withValue: boolean): CmdletObject {
  return {
    Type: msolTypes[key.type] ?? key.type,
    Value: withValue ? key.key : null,
    KeyId: key.keyId,
    StartDate: key.startDateTime,
    EndDate: key.endDateTime,
    Usage: key.usage,
  }
}

const connectMsolService: Handler = () => []

const getMsolServicePrincipal: Handler = (ctx) => {
  const { params, state } = ctx
  if (params.has('AppPrincipalId') || params.has('ObjectId') || params.has('ServicePrincipalName')) {
    return [servicePrincipalObject(servicePrincipal(ctx))]
  }
  const search = params.string('SearchString')?.toLowerCase()
  const max = Number(params.string('MaxResults') ?? Number.POSITIVE_INFINITY)
  return state.servicePrincipals
    .filter((sp) => !search || sp.displayName.toLowerCase().startsWith(search))
    .slice(0, max)
    .map(servicePrincipalObject)
}

const getMsolServicePrincipalCredential: Handler = (ctx) => {
  const sp = servicePrincipal(ctx)
  const withValues = ctx.params.boolean('ReturnKeyValues') === true
  return sp.keyCredentials.map((key) => credentialObject(key, withValues))
}

function parseDate(ctx: MsolContext, name: string): Date | undefined {
  const value = ctx.params.string(name)
  if (value === undefined) return undefined
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) {
    throw cmdletError({
      cmdlet: ctx.cmdlet,
      message: `Cannot bind parameter '${name}'. Cannot convert value "${value}" to type "System.DateTime".`,
      category: 'InvalidArgument',
      reason: 'ParameterBindingException',
      fullyQualifiedErrorId: `CannotConvertArgumentNoMessage,${ctx.cmdlet}`,
      target: name,
    })
  }
  return date
}

const newMsolServicePrincipalCredential: Handler = (ctx) => {
  const { params } = ctx
  const sp = servicePrincipal(ctx)
  const type = params.string('Type') ?? 'Symmetric'
  if (type.toLowerCase() !== 'asymmetric') {
    throw msolError(ctx.cmdlet, `The fake tenant models Asymmetric credentials only, not ${type}.`, type)
  }
  const usage = params.string('Usage') ?? 'Verify'
  const canonicalUsage = ['Verify', 'Sign'].find((u) => u.toLowerCase() === usage.toLowerCase())
  if (!canonicalUsage)
    throw msolError(ctx.cmdlet, `Invalid value for parameter. Parameter Name: usage.`, usage)
  const value = params.string('Value') ?? ''
  const certificate = tryDescribeBase64Certificate(value)
  if (!certificate) throw msolError(ctx.cmdlet, 'Invalid certificate: Key value is invalid certificate', null)
  const start = parseDate(ctx, 'StartDate') ?? certificate.notBefore
  const end = parseDate(ctx, 'EndDate') ?? certificate.notAfter
  if (start.getTime() < certificate.notBefore.getTime() - 1000) {
    throw msolError(ctx.cmdlet, 'Key credential start date is invalid.', 'StartDate')
  }
  if (end.getTime() > certificate.notAfter.getTime() + 1000 || end <= start) {
    throw msolError(ctx.cmdlet, 'Key credential end date is invalid.', 'EndDate')
  }
  let keyId = deterministicGuid('msolCredential', sp.id, certificate.thumbprint)
  for (let n = 2; sp.keyCredentials.some((k) => k.keyId === keyId); n++) {
    keyId = deterministicGuid('msolCredential', sp.id, certificate.thumbprint, String(n))
  }
  const key: StoredKeyCredential = {
    keyId,
    type: 'AsymmetricX509Cert',
    usage: canonicalUsage,
    key: value.trim(),
    displayName: null,
    customKeyIdentifier: null,
    startDateTime: graphDate(start),
    endDateTime: graphDate(end),
  }
  ctx.write(sp.id, { appId: sp.appId, added: [{ keyId, thumbprint: certificate.thumbprint }] }, () => {
    sp.keyCredentials.push(key)
  })
  return []
}

const removeMsolServicePrincipalCredential: Handler = (ctx) => {
  const sp = servicePrincipal(ctx)
  const keyIds = (ctx.params.strings('KeyIds') ?? []).map((id) => id.toLowerCase())
  const unknown = keyIds.find((id) => !sp.keyCredentials.some((k) => k.keyId.toLowerCase() === id))
  if (unknown) throw msolError(ctx.cmdlet, `The credential with KeyId ${unknown} was not found.`, unknown)
  ctx.write(sp.id, { appId: sp.appId, removed: keyIds }, () => {
    sp.keyCredentials = sp.keyCredentials.filter((k) => !keyIds.includes(k.keyId.toLowerCase()))
  })
  return []
}

/** The MSOnline cmdlets the model interprets, over the Entra tenant. */
export const msolCmdlets: Record<string, Handler> = {
  'Connect-MsolService': connectMsolService,
  'Get-MsolServicePrincipal': getMsolServicePrincipal,
  'Get-MsolServicePrincipalCredential': getMsolServicePrincipalCredential,
  'New-MsolServicePrincipalCredential': newMsolServicePrincipalCredential,
  'Remove-MsolServicePrincipalCredential': removeMsolServicePrincipalCredential,
}
