/// <reference path="../../../types/node-forge-asn1.d.ts" />
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
  X509Certificate,
} from 'node:crypto'
import { readFileSync } from 'node:fs'
import { thumbprintOf } from '@teams-oauth/core/adapter'
import type forge from 'node-forge'
import asn1 from 'node-forge/lib/asn1.js'
import { packageFile } from './package-file'

/** A certificate as tests and seeds handle it. */
export interface TestCertificate {
  der: Uint8Array
  pem: string
  /** Uppercase hex SHA-1 of the DER bytes, as Exchange and Graph print it. */
  thumbprint: string
  subject: string
  notBefore: Date
  notAfter: Date
}

export interface TestCertificateOptions {
  /** Distinguished name, most specific first: "CN=Auth, O=Contoso". */
  subject?: string
  notBefore?: Date
  notAfter?: Date
  keyType?: 'rsa' | 'ec'
}

const dayMs = 86_400_000

/** Midnight UTC of the given day: keeps default dates stable across a test run. */
export function startOfDayUtc(date: Date): Date {
  return new Date(Math.floor(date.getTime() / dayMs) * dayMs)
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * dayMs)
}

/**
 * The keys every test certificate is signed with: fixed, test-only keys shipped with the package
 * (keys/test-only-<kind>.pem), read at the first certificate of each kind. Generating an RSA key
 * instead took longer than everything else `createFakeTenant` does, and fixed keys make the same
 * options give the same certificate in every process.
 */
const keys = new Map<'rsa' | 'ec', { privateKey: KeyObject; publicKey: KeyObject }>()
function keyPair(kind: 'rsa' | 'ec') {
  let pair = keys.get(kind)
  if (!pair) {
    const privateKey = createPrivateKey(readFileSync(packageFile(`keys/test-only-${kind}.pem`)))
    pair = { privateKey, publicKey: createPublicKey(privateKey) }
    keys.set(kind, pair)
  }
  return pair
}

const attributeOids: Record<string, string> = {
  CN: '2.5.4.3',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  O: '2.5.4.10',
  OU: '2.5.4.11',
}

function nameAsn1(dn: string): forge.asn1.Asn1 {
  const parts = dn
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf('=')
      const type = part.slice(0, at).trim().toUpperCase()
      const oid = attributeOids[type]
      if (at < 1 || !oid) throw new Error(`unsupported distinguished name part: ${part}`)
      return { type, oid, value: part.slice(at + 1).trim() }
    })
    // X.509 stores the least specific part first; Windows prints the most specific first.
    .reverse()
  return asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.SEQUENCE,
    true,
    parts.map(({ type, oid, value }) =>
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
          asn1.create(
            asn1.Class.UNIVERSAL,
            type === 'C' ? asn1.Type.PRINTABLESTRING : asn1.Type.UTF8,
            false,
            Buffer.from(value, 'utf8').toString('binary'),
          ),
        ]),
      ]),
    ),
  )
}

function timeAsn1(date: Date): forge.asn1.Asn1 {
  return date.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date))
}

function algorithmAsn1(kind: 'rsa' | 'ec'): forge.asn1.Asn1 {
  const oid = kind === 'rsa' ? '1.2.840.113549.1.1.11' : '1.2.840.10045.4.3.2'
  const parts = [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes())]
  if (kind === 'rsa') parts.push(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''))
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, parts)
}

const cache = new Map<string, TestCertificate>()

/**
 * A self-signed certificate. The same options give the same certificate (the key is fixed and
 * the serial number derives from the options), so seeds built twice are deep-equal.
 */
export function makeTestCertificate(options: TestCertificateOptions = {}): TestCertificate {
  const kind = options.keyType ?? 'rsa'
  const subject = options.subject ?? 'CN=Test Certificate'
  const notBefore = options.notBefore ?? addDays(startOfDayUtc(new Date()), -1)
  const notAfter = options.notAfter ?? addDays(notBefore, 730)
  const cacheKey = JSON.stringify([kind, subject, notBefore.toISOString(), notAfter.toISOString()])
  const cached = cache.get(cacheKey)
  if (cached) return cached

  const { privateKey, publicKey } = keyPair(kind)
  const serial = createHash('sha256').update(cacheKey).digest().subarray(0, 16)
  serial[0] = (serial[0]! & 0x7f) | 0x10
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  const tbs = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, String.fromCharCode(2)),
    ]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, Buffer.from(serial).toString('binary')),
    algorithmAsn1(kind),
    nameAsn1(subject),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [timeAsn1(notBefore), timeAsn1(notAfter)]),
    nameAsn1(subject),
    asn1.fromDer(Buffer.from(spki).toString('binary')),
  ])
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary')
  const signature = sign('sha256', tbsDer, privateKey)
  const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    algorithmAsn1(kind),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${signature.toString('binary')}`),
  ])
  const der = new Uint8Array(Buffer.from(asn1.toDer(certificate).getBytes(), 'binary'))
  const result = { ...describeCertificate(der), der }
  cache.set(cacheKey, result)
  return result
}

/** Uppercase hex SHA-1 of DER bytes: core's, so the fakes and the engine cannot disagree. */
export { thumbprintOf }

function toPem(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}

/** Reads DER bytes; throws when they are not an X.509 certificate. */
export function describeCertificate(der: Uint8Array): TestCertificate {
  const x509 = new X509Certificate(der)
  return {
    der,
    pem: toPem(der),
    thumbprint: thumbprintOf(der),
    subject: x509.subject.split('\n').reverse().join(', '),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
  }
}

/** describeCertificate for base64 input; null when the text is not a base64 DER certificate. */
export function tryDescribeBase64Certificate(base64: string): TestCertificate | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64.trim())) return null
  try {
    return describeCertificate(new Uint8Array(Buffer.from(base64, 'base64')))
  } catch {
    return null
  }
}
