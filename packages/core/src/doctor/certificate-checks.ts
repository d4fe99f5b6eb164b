import { authCertificateRenewal, type CertificateInfo, daysUntil, parseCertificate } from '../certificate'
import { authConfigObject } from '../exchange-objects'
import type { Targets } from '../ports'
import { type Check, type CheckStatus, check } from './checks'
import { applyFix, type DiagnoseOptions, expiryFailDays, expiryWarningDays, read } from './context'

/**
 * The auth certificate's health, beyond what the runbook needs of it: in a store, how long it has
 * left (Health Checker's tiers), and whether the next one Get-AuthConfig names is held anywhere.
 */
export async function certificateChecks(targets: Targets, options: DiagnoseOptions): Promise<Check[]> {
  const now = options.now ?? new Date()
  const checks: Check[] = []
  const [rawConfig] = await read(targets, { cmdlet: 'Get-AuthConfig', params: {} })
  const config = rawConfig ? authConfigObject.parse(rawConfig) : null
  const certificates: {
    role: 'current' | 'next'
    thumbprint: string
    certificate: CertificateInfo | null
  }[] = []
  for (const [role, thumbprint] of [
    ['current', config?.CurrentCertificateThumbprint],
    ['next', config?.NextCertificateThumbprint],
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

  return checks
}
