import type { KeyCredentialWrite } from '@teams-oauth/core'
import { keepKey } from '@teams-oauth/core/adapter'
import { createFakeTenant, type FakeTenant } from '@teams-oauth/fakes'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { newKey, seededTenant, sfbAppId, testCertificates, truth } from '../../graph/test/entra-port-contract'
import { addKeyKeepingEvery, msolThroughDoor } from './msol-door'

const pwsh = pwshTestGate()

/** A client secret MSOnline holds next to the certificates; teams-oauth never touches it. */
const symmetric = {
  keyId: '33333333-aaaa-4bbb-8ccc-000000000001',
  type: 'Symmetric',
  usage: 'Verify',
  key: Buffer.alloc(32, 7).toString('base64'),
  displayName: null,
  customKeyIdentifier: null,
  startDateTime: '2025-01-01T00:00:00Z',
  endDateTime: '2027-01-01T00:00:00Z',
}

/** The seeded tenant, with a Symmetric credential on the Skype for Business Online service principal. */
function tenantWithSymmetricKey(): FakeTenant {
  const state = seededTenant().state()
  const sp = state.entra.servicePrincipals.find((candidate) => candidate.appId === sfbAppId)
  if (!sp) throw new Error('seeded service principal not found')
  sp.keyCredentials.push(symmetric)
  return createFakeTenant({ state })
}

const certificateKeys = (tenant: FakeTenant) =>
  (truth(tenant, sfbAppId)?.keyCredentials ?? []).filter((key) => key.type === 'AsymmetricX509Cert')
const bytesOf = (keys: { key: string | null }[]) => keys.map((key) => key.key).sort()

describe.runIf(pwsh.run)('msolEntra with credentials other than certificates', () => {
  const door = msolThroughDoor(pwsh.executable)
  let tenant: FakeTenant

  async function open() {
    tenant = tenantWithSymmetricKey()
    return door.openEntra(tenant)
  }

  it('reads only the certificate keys', async () => {
    const { read } = await open()
    expect(read.keyCredentials.map((key) => key.keyId)).toEqual(
      certificateKeys(tenant).map((key) => key.keyId),
    )
    expect(read.keyCredentials.every((key) => key.type === 'AsymmetricX509Cert')).toBe(true)
  })

  it('adds a certificate next to a Symmetric credential and keeps every key', async () => {
    const { entra, read } = await open()
    await addKeyKeepingEvery(entra, tenant, read)
    expect(certificateKeys(tenant)).toHaveLength(3)
    expect(truth(tenant, sfbAppId)?.keyCredentials).toContainEqual(symmetric)
  })

  it('removes a certificate left out and never the Symmetric credential', async () => {
    const { entra, read } = await open()
    const [old, current] = read.keyCredentials.map(keepKey)
    await entra.setKeyCredentials(read.id, [current as KeyCredentialWrite])
    const after = truth(tenant, sfbAppId)?.keyCredentials ?? []
    expect(after.map((key) => key.keyId).sort()).toEqual([current?.keyId, symmetric.keyId].sort())
    expect(after.some((key) => key.keyId === old?.keyId)).toBe(false)
    expect(after).toContainEqual(symmetric)
  })

  it('loses no key when the process dies between the adds and the removes', async () => {
    const { entra, read } = await open()
    const before = truth(tenant, sfbAppId)?.keyCredentials ?? []
    const [, current] = read.keyCredentials.map(keepKey)
    // call 1 reads the keys, call 2 adds the new certificate, call 3 removes the old one
    tenant.faults.killSession({ atCall: 3 })
    await entra.setKeyCredentials(read.id, [current as KeyCredentialWrite, newKey()])
    expect(door.crashRetries()).toBe(1)
    const after = truth(tenant, sfbAppId)?.keyCredentials ?? []
    expect(after).toContainEqual(symmetric)
    expect(after).toContainEqual(before.find((key) => key.keyId === current?.keyId))
    expect(bytesOf(certificateKeys(tenant))).toEqual(bytesOf([current as KeyCredentialWrite, newKey()]))
  })

  it('restores a backup once although MSOnline stores the re-added key under a new KeyId', async () => {
    const { entra, read: backup } = await open()
    const kept = backup.keyCredentials.map(keepKey)
    const shape = () => bytesOf(certificateKeys(tenant))
    const before = shape()
    // the change the engine rolls back: the old certificate replaced by the next one
    await entra.setKeyCredentials(backup.id, [kept[1] as KeyCredentialWrite, newKey()])
    // the restore dies after re-adding the old certificate, before removing the next one
    tenant.faults.killSession({ atCall: 3 })
    await entra.setKeyCredentials(backup.id, kept)
    expect(door.crashRetries()).toBe(1)
    expect(shape()).toEqual(before)
    const restored = certificateKeys(tenant).find(
      (key) => key.key === Buffer.from(testCertificates.old.der).toString('base64'),
    )
    expect(restored?.keyId).not.toBe(kept[0]?.keyId)
    // the same restore again (a second rollback) changes nothing
    const changes = tenant.changes.length
    await entra.setKeyCredentials(backup.id, kept)
    expect(tenant.changes).toHaveLength(changes)
    expect(shape()).toEqual(before)
    expect(truth(tenant, sfbAppId)?.keyCredentials).toContainEqual(symmetric)
  })
})
