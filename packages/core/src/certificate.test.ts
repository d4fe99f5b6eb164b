import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { assertCertificateUsable, parseCertificate } from './certificate'
import { TeamsOAuthError } from './errors'

const fixture = (name: string) => readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url))
const now = new Date('2027-06-01T00:00:00Z')

const opensslThumbprint = (name: string) =>
  execFileSync('openssl', [
    'x509',
    '-in',
    new URL(`../test/fixtures/${name}`, import.meta.url).pathname,
    '-noout',
    '-fingerprint',
    '-sha1',
  ])
    .toString()
    .split('=')[1]!
    .trim()
    .replaceAll(':', '')

describe('parseCertificate', () => {
  const rsa = parseCertificate(fixture('rsa.pem'))

  it('reads PEM, DER and PKCS#7 (.p7b) as the same certificate', () => {
    expect(parseCertificate(fixture('rsa.cer')).thumbprint).toBe(rsa.thumbprint)
    expect(parseCertificate(fixture('rsa.p7b')).thumbprint).toBe(rsa.thumbprint)
    expect(Buffer.from(parseCertificate(fixture('rsa.p7b')).der)).toEqual(fixture('rsa.cer'))
  })

  it('writes the thumbprint as Exchange does: uppercase hex SHA-1 of the DER bytes', () => {
    expect(rsa.thumbprint).toMatch(/^[0-9A-F]{40}$/)
    expect(rsa.thumbprint).toBe(opensslThumbprint('rsa.pem'))
  })

  it('reads the subject and the validity dates', () => {
    expect(rsa.subject).toBe('CN=Microsoft Exchange Server Auth Certificate')
    expect(rsa.notAfter.getTime()).toBeGreaterThan(rsa.notBefore.getTime())
    expect(rsa.keyType).toBe('rsa')
  })

  it('reads EC certificates, also inside a PEM PKCS#7', () => {
    const ec = parseCertificate(fixture('ec.pem'))
    expect(ec.keyType).toBe('ec')
    expect(parseCertificate(fixture('ec-p7b.pem')).thumbprint).toBe(ec.thumbprint)
  })

  it.each([
    ['an empty file', new Uint8Array()],
    ['text that is no certificate', new TextEncoder().encode('hello')],
    ['a private key', fixture('test-only-private-key.pem')],
  ])('fails with CERTIFICATE_INVALID on %s', (_name, bytes) => {
    expect(() => parseCertificate(bytes)).toThrowError(TeamsOAuthError)
    try {
      parseCertificate(bytes)
    } catch (error) {
      expect((error as TeamsOAuthError).code).toBe('CERTIFICATE_INVALID')
      expect((error as TeamsOAuthError).message).toMatch(/^certificate: /)
    }
  })
})

describe('assertCertificateUsable', () => {
  it('accepts a certificate inside its validity period', () => {
    expect(() => assertCertificateUsable(parseCertificate(fixture('rsa.pem')), now)).not.toThrow()
  })

  it('fails on an expired certificate and says how to renew it', () => {
    expect(() => assertCertificateUsable(parseCertificate(fixture('expired.pem')), now)).toThrowError(
      /expired on 2021-01-01.*New-ExchangeCertificate.*Set-AuthConfig -NewCertificateThumbprint/,
    )
  })

  it('fails on a certificate that is not valid yet', () => {
    expect(() => assertCertificateUsable(parseCertificate(fixture('future.pem')), now)).toThrowError(
      /not valid before 2040-01-01/,
    )
  })
})
