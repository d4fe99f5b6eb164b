/// <reference path="../../../types/node-forge-asn1.d.ts" />
import { createHash, X509Certificate } from 'node:crypto'
import type forge from 'node-forge'
import asn1 from 'node-forge/lib/asn1.js'
import type { CertificateRef } from './actions'
import { isTeamsOAuthError, TeamsOAuthError } from './errors'

export interface CertificateInfo {
  der: Uint8Array
  /** Uppercase hex SHA-1 of the DER bytes, as Exchange writes it. */
  thumbprint: string
  subject: string
  notBefore: Date
  notAfter: Date
  keyType: string
}

const newAuthCertificate =
  "New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName 'cn=Microsoft Exchange Server Auth Certificate' " +
  "-FriendlyName 'Microsoft Exchange Server Auth Certificate' -DomainName @() (answer N when it asks to overwrite the default SMTP certificate)"

/**
 * The Exchange Management Shell commands that renew the auth certificate (run on an Exchange server).
 * A certificate still in use is renewed by staging a next one, so nothing that trusts the current one
 * breaks; only an expired one is switched at once, with Microsoft's follow-ups.
 */
export function authCertificateRenewal(state: 'valid' | 'expired', apply = 'teams-oauth apply'): string {
  if (state === 'valid')
    return (
      `${newAuthCertificate}; ` +
      'Set-AuthConfig -NewCertificateThumbprint <new thumbprint> -NewCertificateEffectiveDate (Get-Date).AddDays(2) ' +
      '(a date ahead: the new certificate is staged as the next one and the current one stays in use; put it on every Exchange server before that date); ' +
      `then run ${apply}, which uploads the next certificate to the service principals too; ` +
      'after it has become the current one, run the Hybrid Configuration Wizard again'
    )
  return (
    `${newAuthCertificate}; ` +
    'Set-AuthConfig -NewCertificateThumbprint <new thumbprint> -NewCertificateEffectiveDate (Get-Date); ' +
    'Set-AuthConfig -PublishCertificate; Set-AuthConfig -ClearPreviousCertificate; ' +
    'Restart-Service MSExchangeServiceHost; ' +
    'Restart-WebAppPool MSExchangeOWAAppPool; Restart-WebAppPool MSExchangeECPAppPool (or IISReset); ' +
    `run the Hybrid Configuration Wizard again (hybrid OAuth trusts the certificate); then run ${apply}`
  )
}

const renewal = `Renew the Exchange auth certificate: ${authCertificateRenewal('expired')}.`

const invalid = (problem: string, data: Record<string, unknown> = {}) =>
  new TeamsOAuthError('CERTIFICATE_INVALID', `certificate: ${problem}`, { field: 'certificate', ...data })

export const thumbprintOf = (der: Uint8Array): string =>
  createHash('sha1').update(der).digest('hex').toUpperCase()

const toBytes = (binary: string): Uint8Array => Uint8Array.from(binary, (c) => c.charCodeAt(0))
const toBinary = (bytes: Uint8Array): string => Buffer.from(bytes).toString('binary')

/** The certificates inside a PKCS#7 SignedData (a .p7b), as DER, without parsing their keys (EC works too). */
function certificatesFromPkcs7(der: Uint8Array): Uint8Array[] {
  const contentInfo = asn1.fromDer(toBinary(der))
  const explicit = (contentInfo.value as forge.asn1.Asn1[])[1]
  const signedData = (explicit?.value as forge.asn1.Asn1[] | undefined)?.[0]
  const certificates = (signedData?.value as forge.asn1.Asn1[] | undefined)?.find(
    (node) => node.tagClass === asn1.Class.CONTEXT_SPECIFIC && node.type === 0,
  )
  if (!certificates) throw invalid('the PKCS#7 file holds no certificate')
  return (certificates.value as forge.asn1.Asn1[]).map((node) => toBytes(asn1.toDer(node).getBytes()))
}

const pemBlocks = (text: string): { label: string; der: Uint8Array }[] =>
  [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)].map((m) => ({
    label: m[1] ?? '',
    der: Uint8Array.from(Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64')),
  }))

const isPkcs7 = (der: Uint8Array): boolean => {
  // ContentInfo starts with the OID 1.2.840.113549.1.7.2 (signedData)
  const oid = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]
  const window = Buffer.from(der.subarray(0, 32))
  return window.indexOf(Buffer.from(oid)) >= 0
}

/** Picks the leaf of a chain: the certificate that issued no other one in the set. */
function leafOf(ders: Uint8Array[]): Uint8Array {
  if (ders.length === 1) return ders[0]!
  const certs = ders.map((der) => ({ der, x509: new X509Certificate(der) }))
  const leaf = certs.find((c) => !certs.some((other) => other !== c && other.x509.checkIssued(c.x509)))
  return (leaf ?? certs[0]!).der
}

/** Reads a certificate from DER, PEM or PKCS#7 (DER or PEM) bytes. Only the public part is kept. */
export function parseCertificate(input: Uint8Array | string): CertificateInfo {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input
  if (bytes.length === 0) throw invalid('the file is empty')
  let candidates: Uint8Array[]
  const text = Buffer.from(bytes).toString('latin1')
  if (text.includes('-----BEGIN')) {
    const blocks = pemBlocks(text)
    if (blocks.some((b) => b.label.includes('PRIVATE KEY')))
      throw invalid('the file holds a private key; give only the public certificate (.cer)')
    candidates = blocks.flatMap((b) =>
      b.label === 'PKCS7' || isPkcs7(b.der) ? certificatesFromPkcs7(b.der) : [b.der],
    )
  } else {
    try {
      candidates = isPkcs7(bytes) ? certificatesFromPkcs7(bytes) : [bytes]
    } catch (error) {
      if (isTeamsOAuthError(error)) throw error
      throw invalid('the PKCS#7 file cannot be read')
    }
  }
  if (candidates.length === 0)
    throw invalid('no certificate found (expected a DER .cer, a PEM or a .p7b file)')
  let der: Uint8Array
  let x509: X509Certificate
  try {
    der = leafOf(candidates)
    x509 = new X509Certificate(der)
  } catch {
    throw invalid('not an X.509 certificate (expected a DER .cer, a PEM or a .p7b file)')
  }
  return {
    der: Uint8Array.from(x509.raw),
    thumbprint: thumbprintOf(x509.raw),
    subject: x509.subject.split('\n').join(', '),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    keyType: x509.publicKey.asymmetricKeyType ?? 'unknown',
  }
}

/** Fails with CERTIFICATE_INVALID when the certificate is expired or not valid yet, saying how to renew it. */
export function assertCertificateUsable(cert: CertificateInfo, now: Date): void {
  const data = {
    thumbprint: cert.thumbprint,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  }
  if (cert.notAfter.getTime() <= now.getTime())
    throw invalid(`${cert.thumbprint} expired on ${cert.notAfter.toISOString()}. ${renewal}`, data)
  if (cert.notBefore.getTime() > now.getTime())
    throw invalid(
      `${cert.thumbprint} is not valid before ${cert.notBefore.toISOString()}; use the current auth certificate, or wait until it is valid.`,
      data,
    )
}

export const daysUntil = (date: Date, now: Date): number =>
  Math.floor((date.getTime() - now.getTime()) / 86_400_000)

export const certificateRef = (cert: CertificateInfo): CertificateRef => ({
  thumbprint: cert.thumbprint,
  der: Buffer.from(cert.der).toString('base64'),
  subject: cert.subject,
  notBefore: cert.notBefore.toISOString(),
  notAfter: cert.notAfter.toISOString(),
})
