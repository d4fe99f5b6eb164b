import type { KeyCredential, ServicePrincipal } from '@teams-oauth/core'
import { identifierHex, sameKeyBytes } from '@teams-oauth/core/adapter'
import { tryDescribeBase64Certificate } from './certificates'
import { deterministicGuid } from './ids'
import type { EntraState, ServicePrincipalState, StoredKeyCredential } from './state'

/** A service principal as Graph returns it (the fields teams-oauth reads, and a few more). */
export type GraphServicePrincipal = ServicePrincipal & {
  accountEnabled: boolean
  servicePrincipalType: string
  appOwnerOrganizationId: string | null
}

/** Graph's answer to a bad request: the Graph door turns it into the HTTP response. */
export class FakeGraphError extends Error {
  override name = 'FakeGraphError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }

  /** Graph's error body. */
  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } }
  }
}

/** Graph prints dates without milliseconds: 2025-01-01T00:00:00Z. */
export function graphDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export const microsoftTenantId = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a'

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const keyTypes = ['AsymmetricX509Cert', 'X509CertAndPassword']
const keyUsages = ['Sign', 'Verify']

export function findServicePrincipal(
  state: EntraState,
  by: { appId: string } | { id: string },
): ServicePrincipalState | null {
  const wanted = ('appId' in by ? by.appId : by.id).toLowerCase()
  return (
    state.servicePrincipals.find((sp) => ('appId' in by ? sp.appId : sp.id).toLowerCase() === wanted) ?? null
  )
}

function keyCredential(key: StoredKeyCredential, withValue: boolean): KeyCredential {
  return {
    keyId: key.keyId,
    type: key.type,
    usage: key.usage,
    key: withValue ? key.key : null,
    displayName: key.displayName,
    customKeyIdentifier: key.customKeyIdentifier,
    startDateTime: key.startDateTime,
    endDateTime: key.endDateTime,
  }
}

export function servicePrincipalView(
  sp: ServicePrincipalState,
  withKeyValues: boolean,
): GraphServicePrincipal {
  return {
    id: sp.id,
    appId: sp.appId,
    displayName: sp.displayName,
    accountEnabled: true,
    servicePrincipalType: 'Application',
    appOwnerOrganizationId: microsoftTenantId,
    keyCredentials: sp.keyCredentials.map((key) => keyCredential(key, withKeyValues)),
  }
}

/** What can be wrong with a key in a write; each door words it its own way. */
export type KeyProblem =
  | { kind: 'keyMissing'; index: number }
  | { kind: 'invalidCertificate'; index: number }
  | { kind: 'invalidProperty'; index: number; property: string }
  /** A known keyId sent with other properties than stored: Graph does not update a credential. */
  | { kind: 'keyNotUpdatable'; index: number; keyId: string }
  /** strictKeyCredentials: a kept key sent with more than {type, usage, key, displayName}. */
  | { kind: 'notMinimal'; index: number; property: string }

/** The problems that are about the form a kept key was sent in, not its value. */
export const isKeyFormProblem = (problem: KeyProblem): boolean =>
  problem.kind === 'keyNotUpdatable' || problem.kind === 'notMinimal'

const minimalProperties = ['type', 'usage', 'key', 'displayName']
const instantOf = (value: unknown) => (typeof value === 'string' ? new Date(value).getTime() : null)

/** The first property of a re-sent credential that is not as stored (left out counts, a null stored value aside). */
function changedProperty(stored: StoredKeyCredential, sent: Record<string, unknown>): string | null {
  for (const name of ['type', 'usage', 'displayName', 'customKeyIdentifier'] as const) {
    const value = sent[name] === undefined ? (stored[name] === null ? null : undefined) : sent[name]
    const same =
      typeof value === 'string' && typeof stored[name] === 'string'
        ? name === 'customKeyIdentifier'
          ? identifierHex(value) === identifierHex(stored[name])
          : value === stored[name]
        : value === stored[name]
    if (!same) return name
  }
  if (!sameKeyBytes(sent['key'] as string, stored.key)) return 'key'
  for (const name of ['startDateTime', 'endDateTime'] as const)
    if (instantOf(sent[name]) !== instantOf(stored[name])) return name
  return null
}

function parseDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

export interface KeyValidationOptions {
  /**
   * What Graph does with an existing key sent back with `key: null` (as a filtered list read
   * returns it): accepts the PATCH and drops that key from the collection, so the key is lost.
   * Only the Graph door turns this on; the in-process port refuses every null key.
   */
  dropNullKeysOfExisting?: boolean
  /** Kept keys only in the minimal form (see EntraState.strictKeyCredentials). */
  strictKeyCredentials?: boolean
}

/**
 * Validates a whole key collection as Graph does on PATCH and turns it into stored keys: every key
 * needs a type, a usage and a key that is a base64 DER certificate; a given keyId is kept, a
 * missing one gets an id derived from the service principal and the certificate;
 * customKeyIdentifier defaults to the thumbprint, the dates to the certificate's. With
 * dropNullKeysOfExisting, a `key: null` whose keyId names a key the service principal has is left
 * out of the result instead of failing; a null key without such a keyId still fails.
 */
export function validateKeyCredentials(
  sp: ServicePrincipalState,
  input: unknown[],
  fail: (problem: KeyProblem) => Error,
  options: KeyValidationOptions = {},
): StoredKeyCredential[] {
  const result: StoredKeyCredential[] = []
  input.forEach((raw, index) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw fail({ kind: 'invalidProperty', index, property: 'keyCredentials' })
    }
    const key = raw as Record<string, unknown>
    const type = keyTypes.find(
      (t) => typeof key['type'] === 'string' && t.toLowerCase() === key['type'].toLowerCase(),
    )
    if (!type) throw fail({ kind: 'invalidProperty', index, property: 'type' })
    const usage = keyUsages.find(
      (u) => typeof key['usage'] === 'string' && u.toLowerCase() === key['usage'].toLowerCase(),
    )
    if (!usage) throw fail({ kind: 'invalidProperty', index, property: 'usage' })
    if (key['key'] === null && options.dropNullKeysOfExisting && isExistingKeyId(sp, key['keyId'])) return
    if (key['key'] === null || key['key'] === undefined) throw fail({ kind: 'keyMissing', index })
    if (typeof key['key'] !== 'string') throw fail({ kind: 'invalidCertificate', index })
    const certificate = tryDescribeBase64Certificate(key['key'])
    if (!certificate) throw fail({ kind: 'invalidCertificate', index })
    const known =
      typeof key['keyId'] === 'string'
        ? sp.keyCredentials.find((k) => k.keyId.toLowerCase() === (key['keyId'] as string).toLowerCase())
        : undefined
    if (
      options.strictKeyCredentials &&
      (known || sp.keyCredentials.some((k) => sameKeyBytes(k.key, key['key'] as string)))
    ) {
      const extra = Object.keys(key).find(
        (name) => !minimalProperties.includes(name) && key[name] !== undefined,
      )
      if (extra === 'keyId') throw fail({ kind: 'keyNotUpdatable', index, keyId: key['keyId'] as string })
      if (extra) throw fail({ kind: 'notMinimal', index, property: extra })
    }
    if (known && changedProperty(known, key))
      throw fail({ kind: 'keyNotUpdatable', index, keyId: key['keyId'] as string })

    let keyId: string
    if (key['keyId'] !== undefined && key['keyId'] !== null) {
      if (typeof key['keyId'] !== 'string' || !guidPattern.test(key['keyId'])) {
        throw fail({ kind: 'invalidProperty', index, property: 'keyId' })
      }
      keyId = key['keyId'].toLowerCase()
    } else {
      keyId = deterministicGuid('keyCredential', sp.id, certificate.thumbprint, type, usage)
      for (let n = 2; result.some((k) => k.keyId === keyId) || input.some((k) => sameKeyId(k, keyId)); n++) {
        keyId = deterministicGuid('keyCredential', sp.id, certificate.thumbprint, type, usage, String(n))
      }
    }
    if (result.some((k) => k.keyId === keyId))
      throw fail({ kind: 'invalidProperty', index, property: 'keyId' })

    const start =
      key['startDateTime'] === undefined || key['startDateTime'] === null
        ? certificate.notBefore
        : parseDate(key['startDateTime'])
    if (!start) throw fail({ kind: 'invalidProperty', index, property: 'startDateTime' })
    const end =
      key['endDateTime'] === undefined || key['endDateTime'] === null
        ? certificate.notAfter
        : parseDate(key['endDateTime'])
    if (!end) throw fail({ kind: 'invalidProperty', index, property: 'endDateTime' })
    const displayName = key['displayName']
    if (displayName !== undefined && displayName !== null && typeof displayName !== 'string') {
      throw fail({ kind: 'invalidProperty', index, property: 'displayName' })
    }
    const custom = key['customKeyIdentifier']
    if (custom !== undefined && custom !== null && typeof custom !== 'string') {
      throw fail({ kind: 'invalidProperty', index, property: 'customKeyIdentifier' })
    }
    result.push({
      keyId,
      type,
      usage,
      key: key['key'].trim(),
      // a displayName sent as null stays null; only a missing one takes the subject
      displayName: displayName === undefined ? certificate.subject : displayName,
      customKeyIdentifier: typeof custom === 'string' ? custom : certificate.thumbprint,
      startDateTime: graphDate(start),
      endDateTime: graphDate(end),
    })
  })
  return result
}

function isExistingKeyId(sp: ServicePrincipalState, keyId: unknown): boolean {
  return (
    typeof keyId === 'string' && sp.keyCredentials.some((k) => k.keyId.toLowerCase() === keyId.toLowerCase())
  )
}

function sameKeyId(raw: unknown, keyId: string): boolean {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    typeof (raw as { keyId?: unknown }).keyId === 'string' &&
    (raw as { keyId: string }).keyId.toLowerCase() === keyId
  )
}

const badRequest = (message: string) => new FakeGraphError(400, 'Request_BadRequest', message)
const invalidValue = (property: string) =>
  badRequest(`Invalid value specified for property '${property}' of resource 'KeyCredential'.`)

/** Graph's words for each key problem (400 Bad Request). */
export function graphKeyError(problem: KeyProblem): FakeGraphError {
  switch (problem.kind) {
    case 'keyMissing':
      return invalidValue('key')
    case 'invalidCertificate':
      return badRequest('Invalid certificate: Key value is invalid certificate')
    case 'keyNotUpdatable':
      return badRequest(`Update to existing credential with KeyId '${problem.keyId}' is not allowed.`)
    case 'notMinimal':
      return invalidValue(problem.property)
    case 'invalidProperty':
      if (problem.property === 'usage' || problem.property === 'type') {
        return badRequest(
          `The value for the property "${problem.property}" in one of your credentials is invalid. Acceptable values are ${(problem.property === 'usage' ? keyUsages : keyTypes).join(', ')}.`,
        )
      }
      return invalidValue(problem.property)
  }
}
