import type { EntraPort, KeyCredentialWrite } from '@teams-oauth/core'
import { type KeyForm, keepKey, keptKeyIn } from '@teams-oauth/core/adapter'
import { createFakeTenant, type FakeTenant, makeTestCertificate } from '@teams-oauth/fakes'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

/** One implementation of EntraPort, opened onto a fake tenant. */
export interface EntraPortSubject {
  name: string
  open(tenant: FakeTenant): Promise<{ entra: EntraPort; close?: () => Promise<void> }>
  /**
   * Whether a key written back with its keyId keeps that keyId after it was removed (Graph's PATCH
   * does; MSOnline creates a fresh keyId for every new credential).
   */
  keepsKeyIdsOfRestoredKeys: boolean
  /**
   * Whether a new key is stored with a customKeyIdentifier (Graph defaults it to the thumbprint;
   * MSOnline stores none, and its adapter derives it from the key bytes when reading).
   */
  storesCustomKeyIdentifier: boolean
  /**
   * Whether the port writes through Graph's PATCH, which refuses a kept key in a form it will not
   * take (KEY_FORM_REFUSED): a changed known keyId always, anything but the minimal form with
   * strictKeyCredentials. MSOnline adds credentials one by one and never refuses a form.
   */
  refusesKeyForms: boolean
}

export const sfbAppId = '00000004-0000-0ff1-ce00-000000000000'
export const schedulerAppId = '7557eb47-c689-4224-abcf-aef9bd7573df'
export const voicemailAppId = 'db7de2b5-2149-435e-8043-e080dd50afae'
export const missingAppId = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0'

const today = new Date(Date.UTC(2025, 5, 1))
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000)
const certificates = {
  old: makeTestCertificate({
    subject: 'CN=Old auth',
    notBefore: addDays(today, -700),
    notAfter: addDays(today, -10),
  }),
  current: makeTestCertificate({
    subject: 'CN=Current auth',
    notBefore: addDays(today, -300),
    notAfter: addDays(today, 400),
  }),
  other: makeTestCertificate({
    subject: 'CN=Other app',
    notBefore: addDays(today, -30),
    notAfter: addDays(today, 700),
  }),
  next: makeTestCertificate({
    subject: 'CN=Next auth',
    notBefore: addDays(today, -1),
    notAfter: addDays(today, 1000),
  }),
}

const base64 = (der: Uint8Array) => Buffer.from(der).toString('base64')
/** Graph prints dates without milliseconds. */
const graphDate = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

function storedKey(keyId: string, certificate: (typeof certificates)['old']) {
  return {
    keyId,
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
    key: base64(certificate.der),
    displayName: certificate.subject,
    customKeyIdentifier: certificate.thumbprint,
    startDateTime: graphDate(certificate.notBefore),
    endDateTime: graphDate(certificate.notAfter),
  }
}

/** A tenant with three service principals: two keys, no keys, one key. */
export function seededTenant(options: { strictKeyCredentials?: boolean } = {}): FakeTenant {
  const state = createFakeTenant().state()
  if (options.strictKeyCredentials) state.entra.strictKeyCredentials = true
  state.entra.servicePrincipals = [
    {
      id: 'a0f4e8b2-1c3d-4e5f-8a9b-0c1d2e3f4a5b',
      appId: sfbAppId,
      displayName: 'Skype for Business Online',
      keyCredentials: [
        storedKey('11111111-aaaa-4bbb-8ccc-000000000001', certificates.old),
        storedKey('11111111-aaaa-4bbb-8ccc-000000000002', certificates.current),
      ],
    },
    {
      id: 'b1a5f9c3-2d4e-4f60-9bac-1d2e3f4a5b6c',
      appId: schedulerAppId,
      displayName: 'Microsoft Teams Scheduling Service',
      keyCredentials: [],
    },
    {
      id: 'c2b6a0d4-3e5f-4071-8cbd-2e3f4a5b6c7d',
      appId: voicemailAppId,
      displayName: 'Cloud Voicemail',
      keyCredentials: [storedKey('22222222-aaaa-4bbb-8ccc-000000000001', certificates.other)],
    },
  ]
  return createFakeTenant({ state })
}

export const newKey = (certificate = certificates.next): KeyCredentialWrite => ({
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: base64(certificate.der),
  displayName: certificate.subject,
  startDateTime: certificate.notBefore.toISOString(),
  endDateTime: certificate.notAfter.toISOString(),
})

export const testCertificates = certificates

/** The model's own record of a service principal: the truth every port is checked against. */
export const truth = (tenant: FakeTenant, appId: string) => tenant.graph.getServicePrincipal({ appId })

const instant = (value: string | null | undefined) => (value ? new Date(value).getTime() : null)

/** What is left of keys when keyIds are not kept: bytes, kind, identifier and dates, in order. */
const shape = (keys: readonly Record<string, unknown>[] | undefined) =>
  (keys ?? [])
    .map((key) =>
      JSON.stringify([
        key.key,
        key.type,
        key.usage,
        String(key.customKeyIdentifier ?? '').toUpperCase(),
        instant(key.startDateTime as string),
        instant(key.endDateTime as string),
      ]),
    )
    .sort()

/** The EntraPort contract: every implementation passes the same tests against the same tenant, with Graph lenient and strict. */
export function entraPortContract(subject: EntraPortSubject): void {
  for (const strict of [false, true]) contractCases(subject, strict)
}

function contractCases(subject: EntraPortSubject, strict: boolean): void {
  describe(`EntraPort contract: ${subject.name}, strictKeyCredentials ${strict ? 'on' : 'off'}`, () => {
    let tenant: FakeTenant
    let entra: EntraPort
    let close: (() => Promise<void>) | undefined
    // Kept keys go in the form this door takes; in the minimal form they get new keyIds.
    const form: KeyForm = strict && subject.refusesKeyForms ? 'minimal' : 'whole'
    const kept = keptKeyIn(form)
    const keepsKeyIds = form === 'whole'

    beforeEach(async () => {
      tenant = seededTenant({ strictKeyCredentials: strict })
      ;({ entra, close } = await subject.open(tenant))
    })
    afterEach(async () => {
      await close?.()
    })

    it('reads a service principal with the value, type, usage, identifier and dates of every key', async () => {
      const read = await entra.getServicePrincipal(sfbAppId)
      const stored = truth(tenant, sfbAppId)
      expect(read).toMatchObject({
        id: stored?.id,
        appId: sfbAppId,
        displayName: 'Skype for Business Online',
      })
      expect(read?.keyCredentials).toHaveLength(2)
      for (const key of stored?.keyCredentials ?? []) {
        const found = read?.keyCredentials.find((candidate) => candidate.keyId === key.keyId)
        expect(found).toMatchObject({ type: 'AsymmetricX509Cert', usage: 'Verify', key: key.key })
        expect(found?.customKeyIdentifier?.toUpperCase()).toBe(key.customKeyIdentifier?.toUpperCase())
        expect(instant(found?.startDateTime)).toBe(instant(key.startDateTime as string))
        expect(instant(found?.endDateTime)).toBe(instant(key.endDateTime as string))
      }
    })

    it('reads a service principal without keys as an empty collection', async () => {
      await expect(entra.getServicePrincipal(schedulerAppId)).resolves.toMatchObject({
        appId: schedulerAppId,
        keyCredentials: [],
      })
    })

    it('resolves to null for an appId without a service principal', async () => {
      await expect(entra.getServicePrincipal(missingAppId)).resolves.toBeNull()
    })

    it('adds a certificate and keeps every existing key byte for byte', async () => {
      const before = truth(tenant, sfbAppId)
      const read = await entra.getServicePrincipal(sfbAppId)
      if (!read) throw new Error('seeded service principal not found')
      await entra.setKeyCredentials(read.id, [...read.keyCredentials.map(kept), newKey()])
      const after = truth(tenant, sfbAppId)
      expect(after?.keyCredentials).toHaveLength(3)
      for (const key of before?.keyCredentials ?? []) {
        if (keepsKeyIds) expect(after?.keyCredentials).toContainEqual(key)
        else expect(shape(after?.keyCredentials)).toContain(shape([key])[0])
      }
    })

    it('gives a new key the thumbprint as customKeyIdentifier and the certificate dates', async () => {
      const read = await entra.getServicePrincipal(schedulerAppId)
      if (!read) throw new Error('seeded service principal not found')
      await entra.setKeyCredentials(read.id, [newKey()])
      const [added] = truth(tenant, schedulerAppId)?.keyCredentials ?? []
      expect(added).toMatchObject({
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
        key: base64(certificates.next.der),
      })
      if (subject.storesCustomKeyIdentifier) {
        expect(added?.customKeyIdentifier?.toUpperCase()).toBe(certificates.next.thumbprint)
      } else expect(added?.customKeyIdentifier ?? null).toBeNull()
      expect(instant(added?.startDateTime as string)).toBe(certificates.next.notBefore.getTime())
      expect(instant(added?.endDateTime as string)).toBe(certificates.next.notAfter.getTime())
      const reread = await entra.getServicePrincipal(schedulerAppId)
      expect(reread?.keyCredentials.map((key) => key.customKeyIdentifier?.toUpperCase())).toEqual([
        certificates.next.thumbprint,
      ])
    })

    it('removes the keys left out of the collection and only those', async () => {
      const read = await entra.getServicePrincipal(sfbAppId)
      if (!read) throw new Error('seeded service principal not found')
      const [, current] = read.keyCredentials.map(kept)
      await entra.setKeyCredentials(read.id, [current as KeyCredentialWrite])
      const after = truth(tenant, sfbAppId)
      expect(after?.keyCredentials).toHaveLength(1)
      if (keepsKeyIds) expect(after?.keyCredentials.map((key) => key.keyId)).toEqual([current?.keyId])
      expect(after?.keyCredentials[0]?.key).toBe(current?.key)
    })

    it('refuses a key without its value and changes nothing', async () => {
      const before = tenant.state()
      const changes = tenant.changes.length
      const read = await entra.getServicePrincipal(sfbAppId)
      if (!read) throw new Error('seeded service principal not found')
      const keys = read.keyCredentials.map(kept)
      const withNull = [
        { ...keys[0], key: null } as unknown as KeyCredentialWrite,
        keys[1] as KeyCredentialWrite,
        newKey(),
      ]
      await expect(entra.setKeyCredentials(read.id, withNull)).rejects.toMatchObject({
        code: 'KEY_VALUE_MISSING',
      })
      expect(tenant.state()).toEqual(before)
      expect(tenant.changes).toHaveLength(changes)
    })

    it('refuses a key with an empty value and changes nothing', async () => {
      const before = tenant.state()
      const read = await entra.getServicePrincipal(sfbAppId)
      if (!read) throw new Error('seeded service principal not found')
      await expect(entra.setKeyCredentials(read.id, [{ ...newKey(), key: '' }])).rejects.toMatchObject({
        code: 'KEY_VALUE_MISSING',
      })
      expect(tenant.state()).toEqual(before)
    })

    // MSOnline adds credentials one by one and has no form to refuse.
    if (subject.refusesKeyForms)
      it('refuses a known keyId sent with a property other than stored with KEY_FORM_REFUSED, and changes nothing', async () => {
        const read = await entra.getServicePrincipal(sfbAppId)
        if (!read) throw new Error('seeded service principal not found')
        const before = tenant.state()
        // A kept key re-sent without its customKeyIdentifier: Graph does not update a credential.
        const { customKeyIdentifier: _, ...changed } = keepKey(read.keyCredentials[0] as never)
        await expect(
          entra.setKeyCredentials(read.id, [changed, ...read.keyCredentials.slice(1).map(keepKey)]),
        ).rejects.toMatchObject({ code: 'KEY_FORM_REFUSED' })
        expect(tenant.state()).toEqual(before)
      })

    if (strict && subject.refusesKeyForms)
      it('refuses kept keys sent whole with KEY_FORM_REFUSED and changes nothing', async () => {
        const read = await entra.getServicePrincipal(sfbAppId)
        if (!read) throw new Error('seeded service principal not found')
        const before = tenant.state()
        await expect(
          entra.setKeyCredentials(read.id, [...read.keyCredentials.map(keepKey), newKey()]),
        ).rejects.toMatchObject({ code: 'KEY_FORM_REFUSED' })
        expect(tenant.state()).toEqual(before)
      })

    it('changes nothing when the same keys are written again', async () => {
      const read = await entra.getServicePrincipal(sfbAppId)
      if (!read) throw new Error('seeded service principal not found')
      const before = tenant.state()
      await entra.setKeyCredentials(read.id, read.keyCredentials.map(kept))
      if (keepsKeyIds) expect(tenant.state().entra).toEqual(before.entra)
      else expect(shape(truth(tenant, sfbAppId)?.keyCredentials)).toEqual(shape(read.keyCredentials))
    })

    it('restores the keys read first after a certificate was added', async () => {
      const backup = await entra.getServicePrincipal(sfbAppId)
      if (!backup) throw new Error('seeded service principal not found')
      const before = truth(tenant, sfbAppId)
      await entra.setKeyCredentials(backup.id, [...backup.keyCredentials.map(kept), newKey()])
      await entra.setKeyCredentials(backup.id, backup.keyCredentials.map(kept))
      if (keepsKeyIds) expect(truth(tenant, sfbAppId)).toEqual(before)
      else expect(shape(truth(tenant, sfbAppId)?.keyCredentials)).toEqual(shape(before?.keyCredentials))
    })

    it('restores a removed key with its bytes and dates', async () => {
      const backup = await entra.getServicePrincipal(sfbAppId)
      if (!backup) throw new Error('seeded service principal not found')
      const before = truth(tenant, sfbAppId)
      await entra.setKeyCredentials(backup.id, [kept(backup.keyCredentials[1] as never)])
      await entra.setKeyCredentials(backup.id, backup.keyCredentials.map(kept))
      const after = truth(tenant, sfbAppId)
      if (subject.keepsKeyIdsOfRestoredKeys && keepsKeyIds) expect(after).toEqual(before)
      else {
        const shape = (sp: typeof after) =>
          sp?.keyCredentials
            .map((key) => [key.key, instant(key.startDateTime as string), instant(key.endDateTime as string)])
            .sort()
        expect(shape(after)).toEqual(shape(before))
      }
    })

    it('leaves other service principals untouched', async () => {
      const others = [truth(tenant, schedulerAppId), truth(tenant, voicemailAppId)]
      const read = await entra.getServicePrincipal(sfbAppId)
      if (!read) throw new Error('seeded service principal not found')
      await entra.setKeyCredentials(read.id, [...read.keyCredentials.map(kept), newKey()])
      expect([truth(tenant, schedulerAppId), truth(tenant, voicemailAppId)]).toEqual(others)
    })
  })
}
