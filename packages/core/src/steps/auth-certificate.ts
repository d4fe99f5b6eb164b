import { z } from 'zod'
import { assertCertificateUsable, type CertificateInfo, parseCertificate } from '../certificate'
import { TeamsOAuthError } from '../errors'
import { authConfigObject } from '../exchange-objects'
import { pinned, read, type StepContext, type StepKind } from './step'

export const authCertificateStep = z.object({
  kind: z.literal('authCertificate'),
  id: z.string(),
})
export type AuthCertificateStep = z.infer<typeof authCertificateStep>

interface Observed {
  source: 'file' | 'exchange'
  current: CertificateInfo
  next: CertificateInfo | null
  configured: { current: string | null; next: string | null; nextEffective: string | null }
}

async function exportFromExchange(context: StepContext, thumbprint: string): Promise<CertificateInfo | null> {
  const der = await context.targets.exchange.exportCertificate(thumbprint)
  return der ? parseCertificate(der) : null
}

export const authCertificate: StepKind<AuthCertificateStep, Observed> = {
  kind: 'authCertificate',
  title: () => 'Exchange auth certificate',
  async observe(_step, context) {
    const [config] = await read(context, { cmdlet: 'Get-AuthConfig', params: pinned(context, {}) })
    const auth = config ? authConfigObject.parse(config) : null
    const configured = {
      current: auth?.CurrentCertificateThumbprint ?? null,
      next: auth?.NextCertificateThumbprint || null,
      nextEffective: auth?.NextCertificateEffectiveDate ?? null,
    }
    if (context.input.certificate) {
      return { source: 'file', current: parseCertificate(context.input.certificate), next: null, configured }
    }
    if (!configured.current)
      throw new TeamsOAuthError(
        'CERTIFICATE_INVALID',
        'Exchange has no current auth certificate (Get-AuthConfig shows no CurrentCertificateThumbprint). Create one (New-ExchangeCertificate … -SubjectName "cn=Microsoft Exchange Server Auth Certificate"), set it with Set-AuthConfig, or pass --certificate <file>.',
        { field: 'certificate' },
      )
    const current = await exportFromExchange(context, configured.current)
    if (!current)
      throw new TeamsOAuthError(
        'CERTIFICATE_INVALID',
        `the auth certificate ${configured.current} named by Get-AuthConfig is in no Exchange server's certificate store; export it where it is and pass --certificate <file>.`,
        { field: 'certificate', thumbprint: configured.current },
      )
    const next = configured.next ? await exportFromExchange(context, configured.next) : null
    return { source: 'exchange', current, next, configured }
  },
  decide(_step, { source, current, next, configured }, context) {
    assertCertificateUsable(current, context.now)
    const notes: string[] = []
    if (source === 'file' && configured.current && configured.current.toUpperCase() !== current.thumbprint)
      notes.push(
        `the certificate from the file (${current.thumbprint}) is not Exchange's current auth certificate (${configured.current})`,
      )
    if (configured.next && !next)
      notes.push(`the next auth certificate ${configured.next} is in no certificate store`)
    const usableNext = next && next.notAfter.getTime() > context.now.getTime() ? next : null
    const certificates: StepContext['certificates'] = [{ role: 'current', certificate: current }]
    if (usableNext) certificates.push({ role: 'next', certificate: usableNext })
    const describe = (c: CertificateInfo) =>
      `${c.thumbprint} (valid until ${c.notAfter.toISOString().slice(0, 10)})`
    return {
      actions: [],
      desired: 'a valid auth certificate',
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
