import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { certificateRef, parseCertificate } from './certificate'
import { executeEntraAction } from './entra-actions'
import type { EntraPort, KeyCredential } from './ports'

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
