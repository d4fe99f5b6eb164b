import { z } from 'zod'
import {
  assertCertificateUsable,
  authCertificateRenewal,
  type CertificateInfo,
  parseCertificate,
} from '../certificate'
import { parseCmdletOutput } from '../cmdlet-output'
import { authConfigObject } from '../exchange-objects'
import { pinned, read, type StepContext, type StepKind } from './step'

export const authCertificateStep = z.object({
  kind: z.literal('authCertificate'),
  id: z.string(),
})
export type AuthCertificateStep = z.infer<typeof authCertificateStep>

interface Observed {
  source: 'file' | 'exchange'
  /** null when there is none to use; `problem` says why */
  current: CertificateInfo | null
  problem: string | null
  next: CertificateInfo | null
  configured: { current: string | null; next: string | null; nextEffective: string | null }
}

async function exportFromExchange(context: StepContext, thumbprint: string): Promise<CertificateInfo | null> {
  const der = await context.targets.exchange.exportCertificate(thumbprint)
  return der ? parseCertificate(der) : null
}

const renewal = `renew it (${authCertificateRenewal}), then run again`

const describe = (c: CertificateInfo) =>
  `${c.thumbprint} (valid until ${c.notAfter.toISOString().slice(0, 10)})`

export const authCertificate: StepKind<AuthCertificateStep, Observed> = {
  kind: 'authCertificate',
  title: () => 'Exchange auth certificate',
  async observe(_step, context) {
    const [config] = await read(context, { cmdlet: 'Get-AuthConfig', params: pinned(context, {}) })
    const auth = config ? parseCmdletOutput('Get-AuthConfig', authConfigObject, config) : null
    const configured = {
      current: auth?.CurrentCertificateThumbprint || null,
      next: auth?.NextCertificateThumbprint || null,
      nextEffective: auth?.NextCertificateEffectiveDate ?? null,
    }
    // A renewed certificate waiting to take effect is uploaded too, whichever certificate is current.
    const next = configured.next ? await exportFromExchange(context, configured.next) : null
    if (context.input.certificate)
      return {
        source: 'file',
        current: parseCertificate(context.input.certificate),
        problem: null,
        next,
        configured,
      }
    if (!configured.current)
      return {
        source: 'exchange',
        current: null,
        problem: `Exchange has no current auth certificate (Get-AuthConfig names none): ${renewal}, or pass --certificate <file>`,
        next,
        configured,
      }
    const current = await exportFromExchange(context, configured.current)
    const problem = current
      ? null
      : `the auth certificate ${configured.current} named by Get-AuthConfig is in no Exchange server's certificate store: export it where it is and pass --certificate <file>`
    return { source: 'exchange', current, problem, next, configured }
  },
  decide(_step, { source, current, problem, next, configured }, context) {
    const desired = 'a valid auth certificate'
    if (!current)
      return { actions: [], desired, actual: 'none usable', blocked: problem ?? 'no auth certificate' }
    if (source === 'file') assertCertificateUsable(current, context.now)
    else if (
      current.notAfter.getTime() <= context.now.getTime() ||
      current.notBefore.getTime() > context.now.getTime()
    )
      return {
        actions: [],
        desired,
        actual: `current ${current.thumbprint} ${current.notAfter.getTime() <= context.now.getTime() ? `expired on ${current.notAfter.toISOString().slice(0, 10)}` : `not valid before ${current.notBefore.toISOString().slice(0, 10)}`}`,
        blocked: `Exchange's auth certificate ${current.thumbprint} cannot be used: ${renewal}`,
      }
    const notes: string[] = []
    if (source === 'file' && configured.current && configured.current.toUpperCase() !== current.thumbprint)
      notes.push(
        `the certificate from the file (${current.thumbprint}) is not Exchange's current auth certificate (${configured.current})`,
      )
    if (configured.next && !next)
      notes.push(`the next auth certificate ${configured.next} is in no certificate store`)
    const usableNext =
      next && next.notAfter.getTime() > context.now.getTime() && next.thumbprint !== current.thumbprint
        ? next
        : null
    const certificates: StepContext['certificates'] = [{ role: 'current', certificate: current }]
    if (usableNext) certificates.push({ role: 'next', certificate: usableNext })
    return {
      actions: [],
      desired,
      actual: [`current ${describe(current)}`, ...(usableNext ? [`next ${describe(usableNext)}`] : [])].join(
        '; ',
      ),
      notes,
      provides: { certificates },
    }
  },
  print() {
    return [
      "# The auth certificate: public part only (DER), from this server's store or through Get-ExchangeCertificate",
      '$authConfig = Get-AuthConfig @dc',
      '$thumbprints = @($authConfig.CurrentCertificateThumbprint, $authConfig.NextCertificateThumbprint) | Where-Object { $_ }',
      '$certificates = foreach ($thumbprint in $thumbprints) {',
      "  $local = Get-Item -Path ('Cert:\\LocalMachine\\My\\' + $thumbprint) -ErrorAction SilentlyContinue",
      '  if ($local) { $bytes = $local.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Cert) }',
      '  else { $bytes = (Get-ExchangeCertificate -Thumbprint $thumbprint).RawData }',
      "  if (-not $bytes) { Write-Warning ('Certificate ' + $thumbprint + ' was not found; skipped.'); continue }",
      '  $x509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([byte[]]$bytes)',
      "  if ($x509.NotAfter -lt (Get-Date)) { Write-Warning ('Certificate ' + $thumbprint + ' has expired; skipped.'); continue }",
      '  $x509',
      '}',
      "if (-not $certificates) { throw 'No valid auth certificate found: renew it (New-ExchangeCertificate, Set-AuthConfig) first.' }",
    ].join('\n')
  },
  undo: () => [],
}
