import { createPublicKey, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { describeCertificate, makeTestCertificate, tryDescribeBase64Certificate } from './certificates'

describe('makeTestCertificate', () => {
  it('makes a self-signed RSA certificate with the subject and dates asked for', () => {
    const notBefore = new Date('2025-01-01T00:00:00Z')
    const notAfter = new Date('2030-01-01T00:00:00Z')
    const cert = makeTestCertificate({ subject: 'CN=Auth, O=Contoso', notBefore, notAfter })
    const x509 = new X509Certificate(cert.der)
    expect(x509.verify(x509.publicKey)).toBe(true)
    expect(x509.publicKey.asymmetricKeyType).toBe('rsa')
    expect(cert.subject).toBe('CN=Auth, O=Contoso')
    expect(cert.notBefore).toEqual(notBefore)
    expect(cert.notAfter).toEqual(notAfter)
    expect(cert.thumbprint).toMatch(/^[0-9A-F]{40}$/)
    expect(cert.pem).toContain('-----BEGIN CERTIFICATE-----')
  })

  it('makes EC certificates too', () => {
    const cert = makeTestCertificate({ subject: 'CN=Elliptic', keyType: 'ec' })
    const x509 = new X509Certificate(cert.der)
    expect(x509.publicKey.asymmetricKeyType).toBe('ec')
    expect(x509.verify(x509.publicKey)).toBe(true)
  })

  it('gives the same certificate for the same options and another for other options', () => {
    const a = makeTestCertificate({ subject: 'CN=Same' })
    expect(makeTestCertificate({ subject: 'CN=Same' }).thumbprint).toBe(a.thumbprint)
    expect(makeTestCertificate({ subject: 'CN=Other' }).thumbprint).not.toBe(a.thumbprint)
  })

  it("signs with the package's fixed test-only keys, so every process makes the same certificates", () => {
    for (const keyType of ['rsa', 'ec'] as const) {
      const shipped = createPublicKey(
        readFileSync(new URL(`../keys/test-only-${keyType}.pem`, import.meta.url)),
      )
      const made = new X509Certificate(makeTestCertificate({ subject: 'CN=Fixed', keyType }).der).publicKey
      expect(made.export({ type: 'spki', format: 'der' })).toEqual(
        shipped.export({ type: 'spki', format: 'der' }),
      )
    }
  })

  it('encodes dates after 2049 as generalized time', () => {
    const cert = makeTestCertificate({ subject: 'CN=Long', notAfter: new Date('2060-06-01T00:00:00Z') })
    expect(describeCertificate(cert.der).notAfter.toISOString()).toBe('2060-06-01T00:00:00.000Z')
  })
})

describe('tryDescribeBase64Certificate', () => {
  it('reads base64 DER and refuses anything else', () => {
    const cert = makeTestCertificate()
    expect(tryDescribeBase64Certificate(Buffer.from(cert.der).toString('base64'))?.thumbprint).toBe(
      cert.thumbprint,
    )
    expect(tryDescribeBase64Certificate('bm90IGEgY2VydGlmaWNhdGU=')).toBeNull()
    expect(tryDescribeBase64Certificate('not base64!')).toBeNull()
  })
})
