import type { z } from 'zod'
import {
  assertCertificateUsable,
  authCertificateRenewal,
  type CertificateInfo,
  daysUntil,
  parseCertificate,
} from '../certificate'
import { parseCmdletOutput } from '../cmdlet-output'
import { authConfigObject } from '../exchange-objects'
import { quote } from '../script/quote'
import { pinned, read, type StepContext, type StepKind, stepObject } from './step'

export const authCertificateStep = stepObject('authCertificate', {})
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

/** How to get a usable certificate when there is none: switched at once, since nothing can break further. */
export const authCertificateBlockedFix = `renew it (${authCertificateRenewal('expired')})`

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
        problem: `Exchange has no current auth certificate (Get-AuthConfig names none): ${authCertificateBlockedFix}, or pass --certificate <file>`,
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
        blocked: `Exchange's auth certificate ${current.thumbprint} cannot be used: ${authCertificateBlockedFix}`,
      }
    const notes: string[] = []
    const exchanges = [configured.current, configured.next].flatMap((t) => (t ? [t.toUpperCase()] : []))
    if (source === 'file' && !exchanges.includes(current.thumbprint)) {
      const which = `the certificate from the file (${current.thumbprint}) is neither Exchange's current auth certificate (${configured.current ?? 'none'}) nor its next (${configured.next ?? 'none'})`
      // Microsoft's services would verify Exchange's tokens against a key Exchange does not sign with
      if (!context.input.anyCertificate)
        return {
          actions: [],
          desired,
          actual: `file ${current.thumbprint}, not Exchange's`,
          blocked: `${which}: leave out --certificate to upload Exchange's own, or export the right one (Get-AuthConfig names its thumbprint); --any-certificate uploads this one anyway`,
        }
      notes.push(`${which}; uploaded anyway (--any-certificate)`)
    }
    if (configured.next && !next)
      notes.push(`the next auth certificate ${configured.next} is in no certificate store`)
    const usableNext =
      next && next.notAfter.getTime() > context.now.getTime() && next.thumbprint !== current.thumbprint
        ? next
        : null
    const days = daysUntil(current.notAfter, context.now)
    if (source === 'exchange' && days < 60 && !usableNext)
      notes.push(
        `the auth certificate ${current.thumbprint} expires in ${days} day(s): stage the next one now (${authCertificateRenewal('valid')})`,
      )
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
  printCheck() {
    // As decide: the current certificate must be usable; a next one is added when valid and different.
    return [
      '$authConfig = Get-AuthConfig @dc',
      '$certificates = @()',
      '$currentThumbprint = [string]$authConfig.CurrentCertificateThumbprint',
      '$nextThumbprint = [string]$authConfig.NextCertificateThumbprint',
      '$current = $null',
      'if (-not $currentThumbprint) {',
      `  $blocked.Add(${quote(`Exchange has no current auth certificate (Get-AuthConfig names none): ${authCertificateBlockedFix}`)})`,
      '} else {',
      '  $current = Get-TeamsOAuthCertificate $currentThumbprint',
      "  if (-not $current) { $blocked.Add('the auth certificate ' + $currentThumbprint + ' named by Get-AuthConfig is in no Exchange server''s certificate store: export it where it is and run teams-oauth apply --certificate <file>') }",
      `  elseif ($current.NotAfter.ToUniversalTime() -le $nowUtc -or $current.NotBefore.ToUniversalTime() -gt $nowUtc) { $blocked.Add('Exchange''s auth certificate ' + $current.Thumbprint + ' cannot be used (valid ' + $current.NotBefore.ToString('yyyy-MM-dd') + ' to ' + $current.NotAfter.ToString('yyyy-MM-dd') + '): ' + ${quote(authCertificateBlockedFix)}) }`,
      '  else { $certificates += $current }',
      '}',
      'if ($nextThumbprint) {',
      '  $next = Get-TeamsOAuthCertificate $nextThumbprint',
      "  if (-not $next) { Write-Warning ('the next auth certificate ' + $nextThumbprint + ' is in no certificate store') }",
      '  elseif ($current -and $next.NotAfter.ToUniversalTime() -gt $nowUtc -and $next.Thumbprint -ne $current.Thumbprint) { $certificates += $next }',
      '}',
    ].join('\n')
  },
  print() {
    return '# Nothing to change on Exchange: the certificates to upload were found by the checks above.'
  },
  undo: () => [],
}
