import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { certificateRef, parseCertificate } from './certificate'
import { executeEntraAction } from './entra-actions'
import { TeamsOAuthError } from './errors'
import type { EntraPort, KeyCredential, KeyCredentialWrite } from './ports'

const fixture = (name: string) =>
  certificateRef(parseCertificate(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url))))
const auth = fixture('rsa.cer')
const expired = fixture('expired.pem')
const other = fixture('other.pem')

const key = (keyId: string, c: typeof auth): KeyCredential => ({
  keyId,
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: c.der,
  displayName: null,
  startDateTime: c.notBefore,
  endDateTime: c.notAfter,
})

/** An Entra port that, like MSOnline, stores every key it is sent under a fresh keyId. */
function renumbering(keys: KeyCredential[]): EntraPort & { keys: () => KeyCredential[] } {
  let current = keys
  let next = 0
  return {
    keys: () => current,
    getServicePrincipal: async (appId) => ({
      id: 'sp',
      appId,
      displayName: 'Skype for Business Online',
      keyCredentials: current,
    }),
    setKeyCredentials: async (_id, sent) => {
      current = sent.map((k) => ({ ...k, keyId: `renumbered-${++next}` }) as KeyCredential)
    },
  }
}

describe('executeEntraAction', () => {
  it('restores dropped keys once, on a service that gives them new keyIds, and a second undo changes nothing', async () => {
    const entra = renumbering([key('old', expired), key('keep', other)])
    const appId = '00000004-0000-0ff1-ce00-000000000000'
    const added = await executeEntraAction(entra, {
      system: 'entra',
      op: 'addKey',
      appId,
      servicePrincipalId: 'sp',
      displayName: 'x',
      certificate: auth,
      dropKeyIds: ['old'],
    })
    expect(added.changed).toBe(true)
    const undo = {
      system: 'entra' as const,
      op: 'removeKey' as const,
      appId,
      servicePrincipalId: 'sp',
      thumbprint: auth.thumbprint,
      restore: [key('old', expired)],
    }
    expect((await executeEntraAction(entra, undo)).changed).toBe(true)
    expect(
      entra
        .keys()
        .map((k) => k.key)
        .sort(),
    ).toEqual([expired.der, other.der].sort())
    expect((await executeEntraAction(entra, undo)).changed).toBe(false)
    expect(entra.keys()).toHaveLength(2)
  })
})

const appId = '00000004-0000-0ff1-ce00-000000000000'
const addAuth = {
  system: 'entra' as const,
  op: 'addKey' as const,
  appId,
  servicePrincipalId: 'sp',
  displayName: 'x',
  certificate: auth,
  dropKeyIds: [],
}

/** An Entra port over a list of keys, with a hook to refuse or alter each write and to change the keys before a read. */
function scripted(options: {
  keys: KeyCredential[]
  write?: (sent: KeyCredentialWrite[], call: number) => KeyCredential[]
  beforeRead?: (read: number, keys: KeyCredential[]) => KeyCredential[]
}) {
  let current = options.keys
  let reads = 0
  const writes: KeyCredentialWrite[][] = []
  const port: EntraPort = {
    getServicePrincipal: async (id) => {
      current = options.beforeRead?.(++reads, current) ?? current
      return { id: 'sp', appId: id, displayName: 'Skype for Business Online', keyCredentials: current }
    },
    setKeyCredentials: async (_id, sent) => {
      writes.push(sent)
      current =
        options.write?.(sent, writes.length) ??
        sent.map((k, i) => ({ ...k, keyId: k.keyId ?? `new-${writes.length}-${i}` }) as KeyCredential)
    },
  }
  return { port, writes, keys: () => current }
}

const refusedForm = () =>
  new TeamsOAuthError('KEY_FORM_REFUSED', "Update to existing credential with KeyId 'keep' is not allowed.", {
    status: 400,
  })

describe('executeEntraAction writes', () => {
  it('sends kept keys once more in the minimal form when the whole form is refused, and records that form', async () => {
    const entra = scripted({
      keys: [key('keep', other)],
      write: (sent) => {
        if (sent.some((k) => k.keyId)) throw refusedForm()
        return sent.map((k, i) => ({ ...k, keyId: `new-${i}` }) as KeyCredential)
      },
    })
    const done = await executeEntraAction(entra.port, addAuth)
    expect(done).toMatchObject({ changed: true, result: { keyForm: 'minimal', rereads: 0 } })
    expect(entra.writes).toHaveLength(2)
    expect(entra.writes[1]?.[0]).toEqual({
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      key: other.der,
      displayName: null,
    })
    expect(entra.keys().map((k) => k.key)).toEqual([other.der, auth.der])
  })

  it('does not send the keys again when the refusal is not about their form', async () => {
    const entra = scripted({
      keys: [key('keep', other)],
      write: () => {
        throw new TeamsOAuthError('GRAPH_REQUEST_FAILED', 'Invalid certificate', { status: 400 })
      },
    })
    await expect(executeEntraAction(entra.port, addAuth)).rejects.toMatchObject({
      code: 'GRAPH_REQUEST_FAILED',
    })
    expect(entra.writes).toHaveLength(1)
  })

  it('says to use --drop-expired-keys when even the minimal form is refused and an expired key was kept', async () => {
    const entra = scripted({
      keys: [key('old', expired), key('keep', other)],
      write: () => {
        throw refusedForm()
      },
    })
    const error = await executeEntraAction(entra.port, addAuth).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'KEY_FORM_REFUSED', data: { expiredKeyIds: ['old'] } })
    expect((error as Error).message).toContain('--drop-expired-keys')
    expect(entra.writes).toHaveLength(2)
  })

  it('fails with KEY_WRITE_UNVERIFIED when a kept key is not there after a write the port reported done', async () => {
    const entra = scripted({
      keys: [key('keep', other), key('old', expired)],
      write: (sent) => sent.slice(1).map((k, i) => ({ ...k, keyId: k.keyId ?? `new-${i}` }) as KeyCredential),
    })
    await expect(executeEntraAction(entra.port, addAuth)).rejects.toMatchObject({
      code: 'KEY_WRITE_UNVERIFIED',
      data: { missingKeyIds: ['keep'] },
    })
  })

  it('fails with KEY_WRITE_UNVERIFIED when the certificate is not there after the write', async () => {
    const entra = scripted({
      keys: [key('keep', other)],
      write: (sent) => sent.slice(0, -1) as KeyCredential[],
    })
    await expect(executeEntraAction(entra.port, addAuth)).rejects.toMatchObject({
      code: 'KEY_WRITE_UNVERIFIED',
      data: { certificateCopies: 0 },
    })
  })

  it('computes the write again from the latest read when the keys changed after the backup read', async () => {
    const entra = scripted({
      keys: [key('keep', other)],
      beforeRead: (read, keys) => (read === 2 ? [...keys, key('theirs', expired)] : keys),
    })
    const done = await executeEntraAction(entra.port, addAuth)
    expect(done).toMatchObject({ changed: true, result: { rereads: 1 } })
    expect(entra.writes).toHaveLength(1)
    expect(entra.writes[0]?.map((k) => k.keyId)).toEqual(['keep', 'theirs', undefined])
    expect(done.before.keyCredentials.map((k) => k.keyId)).toEqual(['keep', 'theirs'])
  })

  it('changes nothing when the latest read already has the certificate', async () => {
    const entra = scripted({
      keys: [key('keep', other)],
      beforeRead: (read, keys) => (read === 2 ? [...keys, key('same', auth)] : keys),
    })
    await expect(executeEntraAction(entra.port, addAuth)).resolves.toMatchObject({ changed: false })
    expect(entra.writes).toHaveLength(0)
  })
})
