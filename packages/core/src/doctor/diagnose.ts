import { appIds, appNames } from '../app-ids'
import { authCertificateRenewal, type CertificateInfo, daysUntil, parseCertificate } from '../certificate'
import { authConfigObject, partnerApplicationObject } from '../exchange-objects'
import type { Targets } from '../ports'
import { quote } from '../script/quote'
import { identityName } from '../steps/step'
import { accountCheck } from './account-check'
import { buildChecks } from './build-checks'
import { type Check, type CheckStatus, check, type DoctorReport } from './checks'
import {
  applyFix,
  type DiagnoseOptions,
  expiryFailDays,
  expiryWarningDays,
  read,
  servicePrincipalsFor,
  wantedApps,
} from './context'
import { delegateCheck } from './delegate-check'
import { entraCheck } from './entra-check'
import { ewsPolicyChecks } from './ews-checks'
import { hybridChecks } from './hybrid-checks'
import { cloudCheck, legacyOnlyCheck } from './profile-checks'

export type { DiagnoseOptions } from './context'

/** Read-only checks of everything the integration needs, each with its status, evidence and fix. */
export async function diagnose(targets: Targets, options: DiagnoseOptions): Promise<DoctorReport> {
  const now = options.now ?? new Date()
  const checks: Check[] = []
  const partnerApps = (await read(targets, { cmdlet: 'Get-PartnerApplication', params: {} })).map((a) =>
    partnerApplicationObject.parse(a),
  )
  const byAppId = (appId: string) => partnerApps.find((a) => a.ApplicationIdentifier.toLowerCase() === appId)

  // Partner applications of the profile, and their accounts
  // the account a partner application already acts as is the one checked, whatever its name (Exchange evaluates RBAC for it)
  for (const wanted of wantedApps(options, partnerApps)) {
    const app = byAppId(wanted.appId)
    const title = `Partner application ${wanted.name} (${wanted.appId})`
    if (!app) {
      checks.push(
        check(
          `partnerApplication.${wanted.name}`,
          title,
          'fail',
          ['absent'],
          applyFix(options),
          `Exchange accepts tokens of ${appNames[wanted.appId]} only from an enabled partner application.`,
        ),
      )
      continue
    }
    const evidence = [
      `${app.Name}: ${app.Enabled ? 'enabled' : 'disabled'}`,
      `linked account: ${app.LinkedAccount ?? '(none)'}`,
    ]
    const linkedRight =
      wanted.account === null ||
      identityName(app.LinkedAccount).toLowerCase() === wanted.account.toLowerCase()
    const unlinked = wanted.account !== null && !app.LinkedAccount
    // acting as another account works; it is only not the procedure's account, and apply leaves it
    const status: CheckStatus = !app.Enabled || unlinked ? 'fail' : linkedRight ? 'pass' : 'warn'
    checks.push(
      check(
        `partnerApplication.${wanted.name}`,
        title,
        status,
        evidence,
        status === 'warn'
          ? `Set-PartnerApplication -Identity ${quote(app.Name)} -LinkedAccount ${quote(wanted.account ?? '')}, if ${app.LinkedAccount} is not meant to act for it`
          : applyFix(options),
        !app.Enabled
          ? 'A disabled partner application is ignored.'
          : unlinked
            ? `It acts as no account; it must act as ${wanted.account}.`
            : `It acts as ${app.LinkedAccount}, not as the procedure's ${wanted.account}.`,
      ),
    )
    if (wanted.account) checks.push(await accountCheck(targets, wanted, options))
  }

  checks.push(legacyOnlyCheck(byAppId, options))

  // The auth certificate, current and next
  const [rawConfig] = await read(targets, { cmdlet: 'Get-AuthConfig', params: {} })
  const config = rawConfig ? authConfigObject.parse(rawConfig) : null
  const certificates: {
    role: 'current' | 'next' | 'previous'
    thumbprint: string
    certificate: CertificateInfo | null
  }[] = []
  for (const [role, thumbprint] of [
    ['current', config?.CurrentCertificateThumbprint],
    ['next', config?.NextCertificateThumbprint],
    ['previous', config?.PreviousCertificateThumbprint],
  ] as const) {
    if (!thumbprint) continue
    const der = await targets.exchange.exportCertificate(thumbprint)
    certificates.push({
      role,
      thumbprint: thumbprint.toUpperCase(),
      certificate: der ? parseCertificate(der) : null,
    })
  }
  const current = certificates.find((c) => c.role === 'current')
  const next = certificates.find((c) => c.role === 'next')
  const renewNow = authCertificateRenewal('expired', applyFix(options))
  const stageNext = authCertificateRenewal('valid', applyFix(options))
  if (!current?.certificate) {
    checks.push(
      check(
        'authCertificate',
        'Exchange auth certificate',
        'fail',
        [
          current
            ? `${current.thumbprint} named by Get-AuthConfig is in no certificate store`
            : 'Get-AuthConfig names no current certificate',
        ],
        current
          ? `Find the certificate (Get-ExchangeCertificate -Server <each server> -Thumbprint ${current.thumbprint}) and import it where it is missing, or renew it: ${renewNow}`
          : renewNow,
        'Without the auth certificate Exchange can neither sign nor be trusted.',
      ),
    )
  } else {
    const days = daysUntil(current.certificate.notAfter, now)
    // Health Checker's tiers: 60 days or more green, 30 to 60 yellow, under 30 red
    const status: CheckStatus = days < expiryFailDays ? 'fail' : days < expiryWarningDays ? 'warn' : 'pass'
    checks.push(
      check(
        'authCertificate',
        'Exchange auth certificate',
        status,
        [
          `${current.thumbprint}, ${current.certificate.subject}`,
          days < 0
            ? `expired on ${current.certificate.notAfter.toISOString().slice(0, 10)}`
            : `expires on ${current.certificate.notAfter.toISOString().slice(0, 10)}, in ${days} day(s)`,
        ],
        days < 0 ? renewNow : stageNext,
        days < 0
          ? 'An expired auth certificate breaks every OAuth call between Exchange and Microsoft 365.'
          : `It expires within ${days < expiryFailDays ? expiryFailDays : expiryWarningDays} days: stage the next one and upload it before then (switching at once would break hybrid OAuth and every Teams service principal until each is updated).`,
      ),
    )
  }
  if (next) {
    checks.push(
      check(
        'authCertificate.next',
        'Next auth certificate',
        next.certificate ? 'pass' : 'fail',
        [
          `${next.thumbprint} effective ${config?.NextCertificateEffectiveDate ?? '(no date)'}`,
          next.certificate ? 'in the certificate store' : 'in no certificate store',
        ],
        `Import the next certificate ${next.thumbprint} on every Exchange server, or stage another: ${stageNext}`,
        'Get-AuthConfig names a next certificate that no Exchange server holds.',
      ),
    )
  }

  // Entra: the certificates as Verify keys on every service principal the profile needs
  for (const appId of servicePrincipalsFor(options.profile)) {
    checks.push(
      await entraCheck(
        targets,
        appId,
        current?.certificate ?? null,
        next?.certificate ?? null,
        certificates,
        options,
      ),
    )
  }

  checks.push(...(await hybridChecks(targets, byAppId(appIds.exchangeOnline) ?? null, options)))
  checks.push(...(await ewsPolicyChecks(targets, options)))
  checks.push(...(await buildChecks(targets, options)))
  if (options.delegate && options.delegator)
    checks.push(await delegateCheck(targets, options.delegate, options.delegator))

  const cloud = cloudCheck(options)
  if (cloud) checks.push(cloud)

  const [org] = await read(targets, { cmdlet: 'Get-OrganizationConfig', params: {} })
  const counts = { pass: 0, warn: 0, fail: 0 }
  for (const c of checks) counts[c.status]++
  return {
    organisation:
      (org && typeof org.Name === 'string' && org.Name) || options.domain || 'Exchange organisation',
    profile: options.profile,
    checkedAt: now.toISOString(),
    ok: counts.warn === 0 && counts.fail === 0,
    counts,
    checks,
  }
}
