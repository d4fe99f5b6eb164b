import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { EntraAction } from './actions'
import { certificateRef, parseCertificate } from './certificate'
import { executeEntraAction, keyWriteResultSchema, maxKeyRereads } from './entra-actions'
import { TeamsOAuthError } from './errors'
import type { EntraPort, KeyCredential, KeyCredentialWrite, ServicePrincipal } from './ports'

const fixture = (name: string) =>
  certificateRef(parseCertificate(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url))))
const auth = fixture('rsa.cer')
const expired = fixture('expired.pem')
const other = fixture('other.pem')
const appId = '00000004-0000-0ff1-ce00-000000000000'
const now = new Date('2027-06-01T00:00:00Z')

const key = (keyId: string, c: typeof auth, displayName: string | null = null): KeyCredential => ({
  keyId,
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: c.der,
  displayName,
  startDateTime: c.notBefore,
  endDateTime: c.notAfter,
})

const addAuth: EntraAction = {
  system: 'entra',
  op: 'addKey',
  appId,
  servicePrincipalId: 'sp',
  displayName: 'x',
  certificate: auth,
  dropKeyIds: [],
}
const removeAuth = (restore: KeyCredential[] = []): EntraAction => ({
  system: 'entra',
  op: 'removeKey',
  appId,
  servicePrincipalId: 'sp',
  thumbprint: auth.thumbprint,
  restore,
})

/** An Entra port over a list of keys; `write` may refuse or alter a write, `beforeRead` change the keys. */
function port(options: {
  keys: KeyCredential[]
  write?: (sent: KeyCredentialWrite[], call: number) => KeyCredential[]
  beforeRead?: (read: number, keys: KeyCredential[]) => KeyCredential[]
  missing?: boolean
}) {
  let current = options.keys
  let reads = 0
  const writes: KeyCredentialWrite[][] = []
  const entra: EntraPort = {
    getServicePrincipal: async (id) => {
      current = options.beforeRead?.(++reads, current) ?? current
      if (options.missing) return null
      return { id: 'sp', appId: id, displayName: 'Skype for Business Online', keyCredentials: current }
    },
    setKeyCredentials: async (_id, sent) => {
      writes.push(sent)
      current =
        options.write?.(sent, writes.length) ??
        sent.map((k, i) => ({ ...k, keyId: k.keyId ?? `new-${writes.length}-${i}` }) as KeyCredential)
    },
  }
  return { entra, writes, keys: () => current, reads: () => reads }
}

const fails = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (error: unknown) => error as TeamsOAuthError,
  )

const formRefused = (
  message = "Update to existing credential with KeyId 'keep' is not allowed.",
  data = {},
) => new TeamsOAuthError('KEY_FORM_REFUSED', message, data)

describe('the result an Entra write journals', () => {
  it('is its form, its rereads and a note', () => {
    const result = { keyForm: 'minimal', rereads: 2, note: 'n' }
    expect(keyWriteResultSchema.parse(result)).toEqual(result)
    expect(keyWriteResultSchema.parse({ ...result, keyForm: 'whole' })).toEqual({
      ...result,
      keyForm: 'whole',
    })
    expect(keyWriteResultSchema.safeParse({ ...result, keyForm: 'other' }).success).toBe(false)
    expect(keyWriteResultSchema.safeParse({ keyForm: 'whole', note: 'n' }).success).toBe(false)
  })
})

describe('executeEntraAction reads', () => {
  it('fails with SERVICE_PRINCIPAL_NOT_FOUND, writing nothing, when there is no service principal', async () => {
    const entra = port({ keys: [], missing: true })
    expect((await fails(executeEntraAction(entra.entra, addAuth))).code).toBe('SERVICE_PRINCIPAL_NOT_FOUND')
    expect(entra.writes).toEqual([])
  })

  it('gives up, writing nothing, when the keys change at every read before the write', async () => {
    let n = 0
    const entra = port({
      keys: [key('keep', other)],
      beforeRead: (_, keys) => [...keys.slice(0, 1), key(`theirs-${++n}`, expired)],
    })
    const error = await fails(executeEntraAction(entra.entra, addAuth))
    expect(error.code).toBe('KEY_CONCURRENT_CHANGE')
    expect(error.data).toEqual({ appId, rereads: maxKeyRereads })
    expect(error.message).toBe(
      `Skype for Business Online: the keys of this service principal changed ${maxKeyRereads} times while teams-oauth prepared its write; someone else is changing them. Nothing was written. Run apply again once they are done.`,
    )
    expect(entra.writes).toEqual([])
    expect(entra.reads()).toBe(maxKeyRereads + 1)
  })

  it('records the backup once, just before the first write, even when it sends the keys a second time', async () => {
    const backups: ServicePrincipal[] = []
    const entra = port({
      keys: [key('keep', other)],
      write: (sent) => {
        if (sent.some((k) => k.keyId)) throw formRefused()
        return sent.map((k, i) => ({ ...k, keyId: `new-${i}` }) as KeyCredential)
      },
    })
    await executeEntraAction(entra.entra, addAuth, (sp) => {
      expect(entra.writes).toEqual([])
      backups.push(structuredClone(sp))
    })
    expect(backups.map((sp) => sp.keyCredentials.map((k) => k.keyId))).toEqual([['keep']])
    expect(entra.writes).toHaveLength(2)
  })
})

describe('executeEntraAction removing a key', () => {
  it('changes nothing when the certificate is gone and every key to restore is there', async () => {
    const entra = port({ keys: [key('keep', other)] })
    await expect(executeEntraAction(entra.entra, removeAuth([key('k', other)]))).resolves.toMatchObject({
      changed: false,
      result: null,
    })
    expect(entra.writes).toEqual([])
  })

  it('removes the certificate with nothing to restore', async () => {
    const entra = port({ keys: [key('keep', other), key('ours', auth)] })
    await expect(executeEntraAction(entra.entra, removeAuth())).resolves.toMatchObject({ changed: true })
    expect(entra.keys().map((k) => k.keyId)).toEqual(['keep'])
  })

  it('puts back a key to restore even when the certificate is already gone', async () => {
    const entra = port({ keys: [key('keep', other)] })
    await expect(executeEntraAction(entra.entra, removeAuth([key('old', expired)]))).resolves.toMatchObject({
      changed: true,
    })
    expect(entra.keys().map((k) => k.key)).toEqual([other.der, expired.der])
  })

  it('fails with KEY_WRITE_UNVERIFIED when the certificate is still there after the write', async () => {
    const entra = port({
      keys: [key('keep', other), key('ours', auth)],
      write: () => [key('keep', other), key('ours', auth)],
    })
    const error = await fails(executeEntraAction(entra.entra, removeAuth()))
    expect(error.code).toBe('KEY_WRITE_UNVERIFIED')
    expect(error.message).toMatch(
      new RegExp(
        `^Skype for Business Online: after the write, the certificate ${auth.thumbprint} is there 1 time\\(s\\), not at all\\. Another administrator probably wrote the keys`,
      ),
    )
  })
})

describe('executeEntraAction confirming a write', () => {
  it('names each kept key missing after the write, with its bytes, so it can be put back', async () => {
    const entra = port({
      keys: [key('keep', other, 'CN=other')],
      write: (sent) => sent.slice(1) as KeyCredential[],
    })
    const error = await fails(executeEntraAction(entra.entra, addAuth))
    expect(error.message).toMatch(
      /^Skype for Business Online: after the write, 1 kept key\(s\) are not there with their bytes \(keyId keep\)\. Another administrator/,
    )
    expect(error.data).toEqual({
      appId,
      missingKeyIds: ['keep'],
      missing: [{ keyId: 'keep', key: other.der, displayName: 'CN=other' }],
      certificateCopies: 1,
    })
  })

  it('lists every kept key missing', async () => {
    const entra = port({
      keys: [key('keep', other), key('old', expired)],
      write: (sent) => sent.slice(2) as KeyCredential[],
    })
    const error = await fails(executeEntraAction(entra.entra, addAuth))
    expect(error.message).toContain('2 kept key(s) are not there with their bytes (keyId keep, old).')
  })

  it('says how often the certificate is there when it is not there once', async () => {
    const entra = port({
      keys: [],
      write: (sent) => [...sent, ...sent].map((k, i) => ({ ...k, keyId: `n${i}` }) as KeyCredential),
    })
    const error = await fails(executeEntraAction(entra.entra, addAuth))
    expect(error.message).toContain(
      `after the write, the certificate ${auth.thumbprint} is there 2 time(s), not once.`,
    )
  })
})

describe('the note of an Entra write', () => {
  it('says the kept keys went whole', async () => {
    const done = await executeEntraAction(port({ keys: [key('keep', other)] }).entra, addAuth)
    expect(done.result).toEqual({
      keyForm: 'whole',
      rereads: 0,
      note: 'kept keys sent whole (keyId and every property as read)',
    })
  })

  it('says why they went in the minimal form, and that the keys changed meanwhile', async () => {
    const entra = port({
      keys: [key('keep', other)],
      beforeRead: (read, keys) => (read === 2 ? [...keys, key('theirs', other)] : keys),
      write: (sent) => {
        if (sent.some((k) => k.keyId)) throw formRefused('refused', { graphMessage: 'Graph said no' })
        return sent.map((k, i) => ({ ...k, keyId: `new-${i}` }) as KeyCredential)
      },
    })
    const done = await executeEntraAction(entra.entra, addAuth)
    expect(done.result?.note).toBe(
      "Graph refused kept keys sent whole (Graph said no), so they were sent again in Microsoft's minimal form {type, usage, key, displayName}: same bytes, new keyIds; the keys changed 1 time(s) while the write was prepared, so it was computed from the latest read",
    )
  })

  it('falls back on the refusal’s message, and on nothing when it has none', async () => {
    for (const [message, said] of [
      ['the whole form is refused', ' (the whole form is refused)'],
      ['', ''],
    ]) {
      const entra = port({
        keys: [key('keep', other)],
        write: (sent) => {
          if (sent.some((k) => k.keyId)) throw formRefused(message, { graphMessage: 42 })
          return sent.map((k, i) => ({ ...k, keyId: `new-${i}` }) as KeyCredential)
        },
      })
      const done = await executeEntraAction(entra.entra, addAuth)
      expect(done.result?.note).toBe(
        `Graph refused kept keys sent whole${said}, so they were sent again in Microsoft's minimal form {type, usage, key, displayName}: same bytes, new keyIds`,
      )
    }
  })
})

describe('a refusal of the minimal form too', () => {
  const refusing = (second: unknown) =>
    port({
      keys: [key('old', expired), key('keep', other)],
      write: (_sent, call) => {
        throw call === 1 ? formRefused() : second
      },
    })

  it('names the expired keys kept, for a form refusal or a bad request, keeping the refusal as its cause', async () => {
    for (const second of [
      formRefused('minimal refused'),
      new TeamsOAuthError('GRAPH_REQUEST_FAILED', 'Bad request', { status: 400 }),
    ]) {
      const error = await fails(executeEntraAction(refusing(second).entra, addAuth, undefined, now))
      expect(error.code).toBe(second.code)
      expect(error.data).toEqual({ ...second.data, expiredKeyIds: ['old'] })
      expect(error.message).toMatch(
        new RegExp(
          `^${second.message} The keys kept include 1 expired key\\(s\\) \\(keyId old\\), which Graph may refuse`,
        ),
      )
      expect(error.cause).toBe(second)
    }
  })

  it('names every expired key kept', async () => {
    const second = formRefused('minimal refused')
    const entra = port({
      keys: [key('old', expired), key('older', expired), key('keep', other)],
      write: (_sent, call) => {
        throw call === 1 ? formRefused() : second
      },
    })
    const error = await fails(executeEntraAction(entra.entra, addAuth, undefined, now))
    expect(error.message).toContain('The keys kept include 2 expired key(s) (keyId old, older),')
  })

  it('is passed on as it is when it is no bad request, or no expired key was kept', async () => {
    for (const second of [
      new Error('socket hang up'),
      new TeamsOAuthError('GRAPH_REQUEST_FAILED', 'Server error', { status: 500 }),
    ])
      expect(await fails(executeEntraAction(refusing(second).entra, addAuth, undefined, now))).toBe(second)
    const second = formRefused('minimal refused')
    const fresh = port({
      keys: [key('keep', other)],
      write: (_sent, call) => {
        throw call === 1 ? formRefused() : second
      },
    })
    expect(await fails(executeEntraAction(fresh.entra, addAuth, undefined, now))).toBe(second)
  })

  it('does not concern a refusal of the whole form that is not about the form', async () => {
    const refusal = new TeamsOAuthError('GRAPH_REQUEST_FAILED', 'Invalid certificate', { status: 400 })
    const entra = port({
      keys: [key('old', expired)],
      write: () => {
        throw refusal
      },
    })
    expect(await fails(executeEntraAction(entra.entra, addAuth, undefined, now))).toBe(refusal)
    expect(entra.writes).toHaveLength(1)
  })
})
