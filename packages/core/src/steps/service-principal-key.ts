import { z } from 'zod'
import type { EntraAction } from '../actions'
import { appNames } from '../app-ids'
import { certificateRef, thumbprintOf } from '../certificate'
import { TeamsOAuthError } from '../errors'
import { assertKeyValues, isExpired, keepKey, keyMatches } from '../key-credentials'
import type { ServicePrincipal } from '../ports'
import { printKeyChanges, printKeyCheck } from './service-principal-key-print'
import { type PlannedAction, type StepKind, stepObject } from './step'

export const servicePrincipalKeyStep = stepObject('servicePrincipalKey', {
  appId: z.string(),
  displayName: z.string(),
})
export type ServicePrincipalKeyStep = z.infer<typeof servicePrincipalKeyStep>

/** The error for an appId without a service principal in the tenant; it says how to create one. */
export function servicePrincipalMissing(
  appId: string,
  options: { baseUrl?: string; applicationName?: string } = {},
): TeamsOAuthError {
  const base = (options.baseUrl ?? 'https://graph.microsoft.com').replace(/\/+$/, '').replace(/\/v1\.0$/i, '')
  const name = options.applicationName ?? appNames[appId] ?? 'the application'
  const create = `POST ${base}/v1.0/servicePrincipals {"appId": "${appId}"}`
  return new TeamsOAuthError(
    'SERVICE_PRINCIPAL_NOT_FOUND',
    `the service principal of ${name} (appId ${appId}) does not exist in this tenant. Create it (${create}, or New-MgServicePrincipal -AppId ${appId}) with an administrator's consent and Application.ReadWrite.All, then run again.`,
    { appId, create: { method: 'POST', url: `${base}/v1.0/servicePrincipals`, body: { appId } } },
  )
}

export const servicePrincipalKey: StepKind<ServicePrincipalKeyStep, ServicePrincipal | null> = {
  kind: 'servicePrincipalKey',
  title: (step) => `auth certificate on the service principal of ${step.displayName} (${step.appId})`,
  observe: (step, context) => context.targets.entra.getServicePrincipal(step.appId),
  decide(step, sp, context) {
    if (!sp) throw servicePrincipalMissing(step.appId)
    if (context.certificates.length === 0)
      return {
        actions: [],
        desired: 'the auth certificate as a Verify key',
        actual: `${sp.keyCredentials.length} key(s); no usable auth certificate to compare`,
        blocked: 'no usable auth certificate to upload (see the auth certificate step)',
      }
    const desired = context.certificates.map(
      (c) => `${c.role} certificate ${c.certificate.thumbprint} as a Verify key`,
    )
    const actions: PlannedAction[] = []
    const notes: string[] = []
    const dropKeyIds = context.input.dropExpiredKeys
      ? sp.keyCredentials
          .filter(
            (key) =>
              isExpired(key, context.now) &&
              !context.certificates.some((c) => keyMatches(key, c.certificate.thumbprint)),
          )
          .map((key) => key.keyId)
      : []
    for (const { role, certificate } of context.certificates) {
      if (sp.keyCredentials.some((key) => keyMatches(key, certificate.thumbprint))) continue
      // Refuses here, before any change, when a kept key came back without its value.
      assertKeyValues(sp.keyCredentials.filter((key) => !dropKeyIds.includes(key.keyId)).map(keepKey))
      const action: EntraAction = {
        system: 'entra',
        op: 'addKey',
        appId: sp.appId,
        servicePrincipalId: sp.id,
        displayName: sp.displayName,
        certificate: certificateRef(certificate),
        dropKeyIds: actions.length === 0 ? dropKeyIds : [],
      }
      const kept = sp.keyCredentials.length - action.dropKeyIds.length
      actions.push({
        action,
        reason: `the ${role} auth certificate ${certificate.thumbprint} is not a key of ${sp.displayName}; ${kept} existing key(s) kept${action.dropKeyIds.length ? `, ${action.dropKeyIds.length} expired dropped` : ''}`,
      })
    }
    // The seed's check: the uploaded key carries the certificate's own dates.
    for (const { certificate } of context.certificates) {
      const key = sp.keyCredentials.find((k) => keyMatches(k, certificate.thumbprint))
      const sameDate = (value: string | null | undefined, date: Date) =>
        value == null || Math.abs(new Date(value).getTime() - date.getTime()) < 1000
      if (
        key &&
        !(
          sameDate(key.startDateTime, certificate.notBefore) &&
          sameDate(key.endDateTime, certificate.notAfter)
        )
      )
        notes.push(
          `the key of ${certificate.thumbprint} on ${sp.displayName} runs ${key.startDateTime} to ${key.endDateTime}, not the certificate's ${certificate.notBefore.toISOString()} to ${certificate.notAfter.toISOString()}`,
        )
    }
    if (actions.length > 0 && dropKeyIds.length > 0)
      notes.push(`expired keys dropped from ${sp.displayName}: ${dropKeyIds.join(', ')}`)
    const actual = `${sp.keyCredentials.length} key(s); ${
      context.certificates
        .map(
          (c) =>
            `${c.certificate.thumbprint} ${sp.keyCredentials.some((k) => keyMatches(k, c.certificate.thumbprint)) ? 'present' : 'absent'}`,
        )
        .join(', ') || 'no certificate to compare'
    }`
    return { actions, desired: desired.join('; '), actual, notes }
  },
  printCheck: printKeyCheck,
  print: printKeyChanges,
  fits(step, action, before) {
    if (action.system !== 'entra' || action.op !== 'addKey' || action.appId !== step.appId) return false
    // the key removed on undo is the one this change added: its bytes are its thumbprint, and it was not there before
    const bytesMatch =
      thumbprintOf(Buffer.from(action.certificate.der, 'base64')) ===
      action.certificate.thumbprint.toUpperCase()
    const backup = (before as ServicePrincipal | null)?.keyCredentials
    return (
      bytesMatch &&
      Array.isArray(backup) &&
      (before as ServicePrincipal).appId === step.appId &&
      !backup.some((key) => keyMatches(key, action.certificate.thumbprint))
    )
  },
  undo(_step, action, before) {
    if (action.system !== 'entra' || action.op !== 'addKey') return []
    const backup = (before as ServicePrincipal | null)?.keyCredentials ?? []
    return [
      {
        system: 'entra',
        op: 'removeKey',
        appId: action.appId,
        servicePrincipalId: action.servicePrincipalId,
        thumbprint: action.certificate.thumbprint,
        restore: backup.filter((key) => action.dropKeyIds.includes(key.keyId)),
      },
    ]
  },
}
