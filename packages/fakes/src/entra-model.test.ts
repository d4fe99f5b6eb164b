import { TeamsOAuthError } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { makeTestCertificate } from './certificates'
import { FakeGraphError } from './entra-model'
import { appIds } from './seed'
import { createFakeTenant } from './tenant'

const base64 = (der: Uint8Array) => Buffer.from(der).toString('base64')

function graphError(action: () => void): FakeGraphError {
  try {
    action()
  } catch (error) {
    expect(error).toBeInstanceOf(FakeGraphError)
    return error as FakeGraphError
  }
  throw new Error('expected a Graph error')
}

describe('Entra reads', () => {
  it('returns key values when one object is read', async () => {
    const tenant = createFakeTenant()
    const sp = await tenant.entra.getServicePrincipal(appIds.teamsScheduler)
    expect(sp?.appId).toBe(appIds.teamsScheduler)
    expect(sp?.keyCredentials.every((k) => typeof k.key === 'string' && k.key.length > 0)).toBe(true)
    expect(tenant.graph.getServicePrincipal({ id: sp!.id })?.keyCredentials[0]?.key).toBe(
      sp?.keyCredentials[0]?.key,
    )
  })

  it('returns key: null on every key of a list read', () => {
    const tenant = createFakeTenant()
    const list = tenant.graph.listServicePrincipals({ appId: appIds.skypeForBusinessOnline })
    expect(list).toHaveLength(1)
    expect(list[0]!.keyCredentials.length).toBeGreaterThan(0)
    expect(list[0]!.keyCredentials.every((k) => k.key === null)).toBe(true)
    expect(tenant.graph.listServicePrincipals()).toHaveLength(4)
  })

  it('answers an unknown appId with null', async () => {
    const tenant = createFakeTenant()
    expect(await tenant.entra.getServicePrincipal('11111111-1111-1111-1111-111111111111')).toBeNull()
    expect(tenant.graph.getServicePrincipal({ appId: '11111111-1111-1111-1111-111111111111' })).toBeNull()
  })
})

describe('replacing key credentials', () => {
  it('replaces the whole collection: a key not sent back is gone', async () => {
    const tenant = createFakeTenant()
    const sp = (await tenant.entra.getServicePrincipal(appIds.skypeForBusinessOnline))!
    const cert = makeTestCertificate({ subject: 'CN=Replace' })
    await tenant.entra.setKeyCredentials(sp.id, [
      { type: 'AsymmetricX509Cert', usage: 'Verify', key: base64(cert.der) },
    ])
    const after = (await tenant.entra.getServicePrincipal(appIds.skypeForBusinessOnline))!
    expect(after.keyCredentials).toHaveLength(1)
  })

  it('keeps a given keyId, derives a missing one, and defaults identifier and dates from the certificate', async () => {
    const tenant = createFakeTenant()
    const sp = (await tenant.entra.getServicePrincipal(appIds.teamsScheduler))!
    const kept = sp.keyCredentials[0]!
    const cert = makeTestCertificate({
      subject: 'CN=Microsoft Exchange Server Auth Certificate',
      notBefore: new Date('2025-03-01T00:00:00Z'),
      notAfter: new Date('2030-03-01T00:00:00Z'),
    })
    await tenant.entra.setKeyCredentials(sp.id, [
      { ...kept, key: kept.key! },
      { type: 'AsymmetricX509Cert', usage: 'Verify', key: base64(cert.der), displayName: 'Exchange auth' },
    ])
    const keys = (await tenant.entra.getServicePrincipal(appIds.teamsScheduler))!.keyCredentials
    expect(keys[0]).toEqual(kept)
    expect(keys[1]).toMatchObject({
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      displayName: 'Exchange auth',
      customKeyIdentifier: cert.thumbprint,
      startDateTime: '2025-03-01T00:00:00Z',
      endDateTime: '2030-03-01T00:00:00Z',
    })
    expect(keys[1]!.keyId).toMatch(/^[0-9a-f-]{36}$/)
    const again = createFakeTenant()
    await again.entra.setKeyCredentials(sp.id, [
      { ...kept, key: kept.key! },
      { type: 'AsymmetricX509Cert', usage: 'Verify', key: base64(cert.der), displayName: 'Exchange auth' },
    ])
    expect((await again.entra.getServicePrincipal(appIds.teamsScheduler))!.keyCredentials[1]!.keyId).toBe(
      keys[1]!.keyId,
    )
  })

  it('refuses a null key in process with KEY_VALUE_MISSING and changes nothing, even with a known keyId', async () => {
    const tenant = createFakeTenant()
    const sp = (await tenant.entra.getServicePrincipal(appIds.cloudVoicemail))!
    const before = tenant.state()
    const error = await tenant.entra
      .setKeyCredentials(sp.id, [{ ...sp.keyCredentials[0]!, key: null as unknown as string }])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TeamsOAuthError)
    expect((error as TeamsOAuthError).code).toBe('KEY_VALUE_MISSING')
    expect(tenant.state()).toEqual(before)
  })

  it('refuses an unknown service principal id', async () => {
    await expect(
      createFakeTenant().entra.setKeyCredentials('11111111-1111-1111-1111-111111111111', []),
    ).rejects.toMatchObject({ code: 'SERVICE_PRINCIPAL_NOT_FOUND' })
  })
})

describe('Graph-level PATCH validation', () => {
  const tenant = createFakeTenant()
  const sp = tenant.graph.getServicePrincipal({ appId: appIds.teamsScheduler })!
  const cert = makeTestCertificate({ subject: 'CN=Graph Validation' })

  it('answers 400 for a null key whose keyId names no key of the service principal', () => {
    const before = tenant.state()
    for (const keyId of [undefined, null, '11111111-2222-4333-8444-555555555555']) {
      const error = graphError(() =>
        tenant.graph.patchKeyCredentials(sp.id, {
          keyCredentials: [{ keyId, type: 'AsymmetricX509Cert', usage: 'Verify', key: null }],
        }),
      )
      expect(error.status).toBe(400)
      expect(error.code).toBe('Request_BadRequest')
      expect(error.message).toBe("Invalid value specified for property 'key' of resource 'KeyCredential'.")
    }
    // a known keyId with the key left out (not null) is not what a list read returns: still a 400
    const known = sp.keyCredentials[0]!
    const { key: _left, ...withoutKey } = known
    expect(
      graphError(() => tenant.graph.patchKeyCredentials(sp.id, { keyCredentials: [withoutKey] })).status,
    ).toBe(400)
    expect(tenant.state()).toEqual(before)
  })

  it('accepts an existing key re-sent with key: null and drops it, as Graph does: the key is lost', () => {
    const fresh = createFakeTenant()
    const target = fresh.graph.getServicePrincipal({ appId: appIds.skypeForBusinessOnline })!
    expect(target.keyCredentials.length).toBeGreaterThan(1)
    const [lost, kept] = target.keyCredentials
    const added = makeTestCertificate({ subject: 'CN=Added beside a null key' })
    fresh.graph.patchKeyCredentials(target.id, {
      keyCredentials: [
        { ...lost!, key: null },
        { ...kept!, keyId: kept!.keyId.toUpperCase() },
        { type: 'AsymmetricX509Cert', usage: 'Verify', key: base64(added.der) },
      ],
    })
    const after = fresh.graph.getServicePrincipal({ id: target.id })!.keyCredentials
    expect(after.map((k) => k.keyId)).not.toContain(lost!.keyId)
    expect(after).toContainEqual(kept)
    expect(after.map((k) => k.customKeyIdentifier)).toEqual([kept!.customKeyIdentifier, added.thumbprint])
    expect(fresh.changes.at(-1)).toMatchObject({
      operation: 'patchKeyCredentials',
      detail: {
        before: target.keyCredentials.map((k) => ({
          keyId: k.keyId,
          customKeyIdentifier: k.customKeyIdentifier,
        })),
        after: after.map((k) => ({ keyId: k.keyId, customKeyIdentifier: k.customKeyIdentifier })),
      },
    })
  })

  it('answers 400 for a key that is not a certificate', () => {
    const error = graphError(() =>
      tenant.graph.patchKeyCredentials(sp.id, {
        keyCredentials: [
          { type: 'AsymmetricX509Cert', usage: 'Verify', key: Buffer.from('hello').toString('base64') },
        ],
      }),
    )
    expect(error).toMatchObject({
      status: 400,
      message: 'Invalid certificate: Key value is invalid certificate',
    })
  })

  it('answers 400 for a missing type or usage and for a body without keyCredentials', () => {
    expect(
      graphError(() =>
        tenant.graph.patchKeyCredentials(sp.id, {
          keyCredentials: [{ usage: 'Verify', key: base64(cert.der) }],
        }),
      ).status,
    ).toBe(400)
    expect(
      graphError(() =>
        tenant.graph.patchKeyCredentials(sp.id, {
          keyCredentials: [{ type: 'AsymmetricX509Cert', key: base64(cert.der) }],
        }),
      ).status,
    ).toBe(400)
    expect(graphError(() => tenant.graph.patchKeyCredentials(sp.id, { displayName: 'x' })).status).toBe(400)
    const usage = graphError(() =>
      tenant.graph.patchKeyCredentials(sp.id, {
        keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Encrypt', key: base64(cert.der) }],
      }),
    )
    expect(usage.message).toBe(
      'The value for the property "usage" in one of your credentials is invalid. Acceptable values are Sign, Verify.',
    )
  })

  it('answers 404 for an unknown id', () => {
    const error = graphError(() =>
      tenant.graph.patchKeyCredentials('11111111-1111-1111-1111-111111111111', { keyCredentials: [] }),
    )
    expect(error).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' })
    expect(error.toBody().error.code).toBe('Request_ResourceNotFound')
  })

  it('applies a valid body and records it', () => {
    tenant.graph.patchKeyCredentials(sp.id, {
      keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: base64(cert.der) }],
    })
    const keys = tenant.graph.getServicePrincipal({ id: sp.id })!.keyCredentials
    expect(keys).toHaveLength(1)
    expect(keys[0]!.customKeyIdentifier).toBe(cert.thumbprint)
    expect(keys[0]!.displayName).toBe('CN=Graph Validation')
    expect(tenant.changes.at(-1)).toMatchObject({
      system: 'entra',
      operation: 'patchKeyCredentials',
      target: sp.id,
    })
  })
})
