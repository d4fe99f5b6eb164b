import { z } from 'zod'
import type { EntraAction } from '../actions'
import { appNames } from '../app-ids'
import { certificateRef, thumbprintOf } from '../certificate'
import { TeamsOAuthError } from '../errors'
import { isExpired, keepKey, keyMatches } from '../key-credentials'
import type { ServicePrincipal } from '../ports'
import { quote } from '../script/quote'
import type { PlannedAction, StepKind } from './step'

export const servicePrincipalKeyStep = z.object({
  kind: z.literal('servicePrincipalKey'),
  id: z.string(),
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
      for (const key of sp.keyCredentials) if (!dropKeyIds.includes(key.keyId)) keepKey(key)
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
  print(step, { entra }) {
    return entra === 'graph' ? printGraph(step) : printMsol(step)
  },
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

function printGraph(step: ServicePrincipalKeyStep): string {
  return [
    `# ${step.displayName}: read ONE object with $select (a filtered list read returns key = null), keep every key, add, PATCH, read again`,
    `$appId = ${quote(step.appId)}`,
    '$uri = "$graph/v1.0/servicePrincipals(appId=\'$appId\')?`$select=id,appId,displayName,keyCredentials"',
    '$sp = Invoke-MgGraphRequest -Method GET -Uri $uri',
    "$sp | ConvertTo-Json -Depth 6 | Set-Content -Path (Join-Path $backupFolder ($appId + '.json'))",
    'foreach ($certificate in $certificates) {',
    '  $base64 = [System.Convert]::ToBase64String($certificate.RawData)',
    '  $present = @($sp.keyCredentials | Where-Object { $_.customKeyIdentifier -eq $certificate.Thumbprint -or $_.key -eq $base64 })',
    "  if ($present.Count -gt 0) { Write-Host ($appId + ': certificate ' + $certificate.Thumbprint + ' already present'); continue }",
    "  if (@($sp.keyCredentials | Where-Object { -not $_.key }).Count -gt 0) { throw ($appId + ': a key read back without its value; sending it again would destroy it. Stopped.') }",
    '  $keys = @($sp.keyCredentials | ForEach-Object {',
    '    $kept = @{ keyId = $_.keyId; type = $_.type; usage = $_.usage; key = $_.key }',
    "    foreach ($field in 'displayName', 'customKeyIdentifier', 'startDateTime', 'endDateTime') { if ($null -ne $_[$field]) { $kept[$field] = $_[$field] } }",
    '    $kept',
    '  })',
    "  $keys += @{ type = 'AsymmetricX509Cert'; usage = 'Verify'; key = $base64; displayName = $certificate.Subject;",
    "    startDateTime = $certificate.NotBefore.ToUniversalTime().ToString('o'); endDateTime = $certificate.NotAfter.ToUniversalTime().ToString('o') }",
    '  $body = @{ keyCredentials = $keys } | ConvertTo-Json -Depth 6',
    '  Invoke-MgGraphRequest -Method PATCH -Uri ("$graph/v1.0/servicePrincipals/" + $sp.id) -Body $body -ContentType \'application/json\'',
    '  $sp = Invoke-MgGraphRequest -Method GET -Uri $uri',
    "  if (-not ($sp.keyCredentials | Where-Object { $_.key -eq $base64 })) { throw ($appId + ': the certificate is not there after the write') }",
    '}',
  ].join('\n')
}

function printMsol(step: ServicePrincipalKeyStep): string {
  return [
    `# ${step.displayName}: the seed's MSOnline path (Windows PowerShell 5.1; MSOnline was retired in 2025)`,
    `$appId = ${quote(step.appId)}`,
    '$existing = @(Get-MsolServicePrincipalCredential -AppPrincipalId $appId -ReturnKeyValues $true)',
    "$existing | ConvertTo-Json -Depth 4 | Set-Content -Path (Join-Path $backupFolder ($appId + '.json'))",
    'foreach ($certificate in $certificates) {',
    '  $base64 = [System.Convert]::ToBase64String($certificate.RawData)',
    "  if ($existing | Where-Object { $_.Value -eq $base64 }) { Write-Host ($appId + ': certificate ' + $certificate.Thumbprint + ' already present'); continue }",
    '  New-MsolServicePrincipalCredential -AppPrincipalId $appId -Type Asymmetric -Usage Verify -Value $base64 -StartDate $certificate.NotBefore -EndDate $certificate.NotAfter',
    '}',
    'Get-MsolServicePrincipalCredential -AppPrincipalId $appId -ReturnKeyValues $true | Select-Object KeyId, Type, Usage, StartDate, EndDate',
  ].join('\n')
}
