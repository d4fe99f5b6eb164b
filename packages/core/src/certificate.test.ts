import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  assertCertificateUsable,
  authCertificateRenewal,
  certificateRef,
  daysUntil,
  parseCertificate,
} from './certificate'
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

describe('parseCertificate of a chain', () => {
  // chain.pem: the issuing CA first, then the leaf it signed; chain-p7b.pem: leaf first
  const leafThumbprint = '5B3FD1A55733087AABEE17A96306BB5AE7F6AFB9'
  const leafDer = () =>
    Buffer.from(
      fixture('chain.pem')
        .toString('latin1')
        .split('-----BEGIN CERTIFICATE-----')[2]!
        .split('-----END CERTIFICATE-----')[0]!
        .replace(/\s+/g, ''),
      'base64',
    )

  it.each([
    ['a PEM of the CA then the leaf', 'chain.pem'],
    ['a DER .p7b', 'chain.p7b'],
    ['a PEM PKCS#7, leaf first', 'chain-p7b.pem'],
  ])('picks the leaf from %s', (_name, file) => {
    const cert = parseCertificate(fixture(file))
    expect(cert.thumbprint).toBe(leafThumbprint)
    expect(Buffer.from(cert.der)).toEqual(leafDer())
  })

  it('picks the leaf of a chain with an intermediate, whatever the order', () => {
    // chain-intermediate.pem: the intermediate, the root, then the leaf the intermediate signed
    const cert = parseCertificate(fixture('chain-intermediate.pem'))
    expect(cert.thumbprint).toBe('846B20FF1796DFA6DFE3029D1F3131360663F6F2')
  })

  it('reads a PKCS#7 inside a PEM block labelled CERTIFICATE', () => {
    const relabelled = fixture('chain-p7b.pem').toString('latin1').replaceAll('PKCS7', 'CERTIFICATE')
    expect(parseCertificate(relabelled).thumbprint).toBe(leafThumbprint)
  })

  it('reads text with Windows line ends as the same certificate', () => {
    const crlf = fixture('chain.pem').toString('latin1').replaceAll('\n', '\r\n')
    expect(parseCertificate(crlf).thumbprint).toBe(leafThumbprint)
  })

  it('reads the subject in order, comma separated, and the validity dates to the second', () => {
    const cert = parseCertificate(fixture('chain.pem'))
    expect(cert.subject).toBe('CN=Microsoft Exchange Server Auth Certificate, O=Contoso, C=US')
    expect(cert.notBefore.toISOString()).toBe('2026-12-01T14:56:05.000Z')
    expect(cert.notAfter.toISOString()).toBe('2036-11-28T14:56:05.000Z')
    expect(cert.keyType).toBe('rsa')
  })

  it('reads a string as it reads its bytes', () => {
    const text = fixture('rsa.pem').toString('utf8')
    expect(parseCertificate(text)).toEqual(parseCertificate(fixture('rsa.pem')))
  })
})

describe('parseCertificate refuses', () => {
  const refusal = (input: Uint8Array | string) => {
    try {
      parseCertificate(input)
    } catch (error) {
      return error as TeamsOAuthError
    }
    throw new Error('accepted')
  }
  const p7b = fixture('chain.p7b')

  it.each([
    ['an empty file', new Uint8Array(), 'certificate: the file is empty'],
    [
      'a PKCS#7 that holds no certificate',
      fixture('empty.p7b'),
      'certificate: the PKCS#7 file holds no certificate',
    ],
    [
      'a PEM PKCS#7 that holds no certificate',
      `-----BEGIN PKCS7-----\n${fixture('empty.p7b').toString('base64')}\n-----END PKCS7-----\n`,
      'certificate: the PKCS#7 file holds no certificate',
    ],
    ['a cut PKCS#7', new Uint8Array(p7b.subarray(0, 48)), 'certificate: the PKCS#7 file cannot be read'],
    [
      'a PKCS#7 of the signedData type with no content',
      new Uint8Array([0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]),
      'certificate: the PKCS#7 file holds no certificate',
    ],
    [
      'a PKCS#7 of the signedData type with empty content',
      new Uint8Array([
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x00,
      ]),
      'certificate: the PKCS#7 file holds no certificate',
    ],
    [
      'bytes that start with the signedData type itself',
      new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]),
      'certificate: the PKCS#7 file holds no certificate',
    ],
    [
      'text that is neither PEM nor a certificate',
      'hello',
      'certificate: not an X.509 certificate (expected a DER .cer, a PEM or a .p7b file)',
    ],
    [
      'text with a BEGIN line and no whole block',
      '-----BEGIN CERTIFICATE-----\nMIIB\n',
      'certificate: no certificate found (expected a DER .cer, a PEM or a .p7b file)',
    ],
    [
      'a PEM block that is no certificate',
      '-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n',
      'certificate: not an X.509 certificate (expected a DER .cer, a PEM or a .p7b file)',
    ],
    [
      'bytes that are no certificate',
      new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]),
      'certificate: not an X.509 certificate (expected a DER .cer, a PEM or a .p7b file)',
    ],
    [
      'an encrypted private key beside the certificate',
      `${fixture('rsa.pem').toString()}\n-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n`,
      'certificate: the file holds a private key; give only the public certificate (.cer)',
    ],
    [
      'an RSA private key',
      '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n',
      'certificate: the file holds a private key; give only the public certificate (.cer)',
    ],
  ])('%s', (_name, input, message) => {
    const error = refusal(input)
    expect(error.code).toBe('CERTIFICATE_INVALID')
    expect(error.message).toBe(message)
    expect(error.data).toMatchObject({ field: 'certificate' })
  })
})

describe('a certificate in time', () => {
  const cert = parseCertificate(fixture('chain.pem'))

  it('is usable from its first second and expired from its last', () => {
    expect(() => assertCertificateUsable(cert, cert.notBefore)).not.toThrow()
    expect(() => assertCertificateUsable(cert, new Date(cert.notAfter.getTime() - 1))).not.toThrow()
    expect(() => assertCertificateUsable(cert, new Date(cert.notBefore.getTime() - 1))).toThrow(
      /is not valid before 2026-12-01T14:56:05.000Z; use the current auth certificate, or wait until it is valid\.$/,
    )
    expect(() => assertCertificateUsable(cert, cert.notAfter)).toThrow(
      /expired on 2036-11-28T14:56:05.000Z\. /,
    )
  })

  it('names the certificate and its dates in the refusal', () => {
    for (const when of [cert.notAfter, new Date('2020-01-01T00:00:00Z')]) {
      try {
        assertCertificateUsable(cert, when)
        throw new Error('accepted')
      } catch (error) {
        expect((error as TeamsOAuthError).code).toBe('CERTIFICATE_INVALID')
        expect((error as TeamsOAuthError).message.startsWith(`certificate: ${cert.thumbprint} `)).toBe(true)
        expect((error as TeamsOAuthError).data).toEqual({
          field: 'certificate',
          thumbprint: cert.thumbprint,
          notBefore: '2026-12-01T14:56:05.000Z',
          notAfter: '2036-11-28T14:56:05.000Z',
        })
      }
    }
  })

  it('counts whole days left, rounding down', () => {
    const day = 86_400_000
    const now = new Date('2030-01-01T00:00:00Z')
    expect(daysUntil(new Date(now.getTime() + 1.5 * day), now)).toBe(1)
    expect(daysUntil(new Date(now.getTime() + day), now)).toBe(1)
    expect(daysUntil(new Date(now.getTime() + day - 1), now)).toBe(0)
    expect(daysUntil(new Date(now.getTime() - 0.5 * day), now)).toBe(-1)
  })

  it('is referred to by its thumbprint, base64 DER, subject and ISO dates', () => {
    expect(certificateRef(cert)).toEqual({
      thumbprint: cert.thumbprint,
      der: Buffer.from(cert.der).toString('base64'),
      subject: 'CN=Microsoft Exchange Server Auth Certificate, O=Contoso, C=US',
      notBefore: '2026-12-01T14:56:05.000Z',
      notAfter: '2036-11-28T14:56:05.000Z',
    })
  })
})

describe('authCertificateRenewal', () => {
  it('says word for word what to run, for a valid and an expired certificate', () => {
    const make =
      "New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName 'cn=Microsoft Exchange Server Auth Certificate' -FriendlyName 'Microsoft Exchange Server Auth Certificate' -DomainName @() (answer N when it asks to overwrite the default SMTP certificate)"
    expect(authCertificateRenewal('valid')).toBe(
      `${make}; Set-AuthConfig -NewCertificateThumbprint <new thumbprint> -NewCertificateEffectiveDate (Get-Date).AddDays(2) (a date ahead: the new certificate is staged as the next one and the current one stays in use; put it on every Exchange server before that date); then run teams-oauth apply, which uploads the next certificate to the service principals too; after it has become the current one, run the Hybrid Configuration Wizard again`,
    )
    expect(authCertificateRenewal('expired', 'X')).toBe(
      `${make}; Set-AuthConfig -NewCertificateThumbprint <new thumbprint> -NewCertificateEffectiveDate (Get-Date); Set-AuthConfig -PublishCertificate; Set-AuthConfig -ClearPreviousCertificate; Restart-Service MSExchangeServiceHost; Restart-WebAppPool MSExchangeOWAAppPool; Restart-WebAppPool MSExchangeECPAppPool (or IISReset); run the Hybrid Configuration Wizard again (hybrid OAuth trusts the certificate); then run X`,
    )
  })

  it('stages a next certificate while the current one is still valid, then runs the given apply', () => {
    const text = authCertificateRenewal('valid', 'npx teams-oauth apply --profile teams')
    expect(text).toMatch(/^New-ExchangeCertificate -KeySize 2048 /)
    expect(text).toContain('-NewCertificateEffectiveDate (Get-Date).AddDays(2)')
    expect(text).toContain(
      'then run npx teams-oauth apply --profile teams, which uploads the next certificate',
    )
    expect(text).not.toContain('-PublishCertificate')
  })

  it('switches an expired one at once, with the follow-ups, and ends with apply', () => {
    const text = authCertificateRenewal('expired')
    expect(text).toContain('-NewCertificateEffectiveDate (Get-Date); Set-AuthConfig -PublishCertificate')
    expect(text).toContain('Restart-Service MSExchangeServiceHost')
    expect(text).toMatch(/; then run teams-oauth apply$/)
  })
})
