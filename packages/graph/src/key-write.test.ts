import type { KeyCredential, KeyCredentialWrite } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { empty, graphError, json, type Scripted, scriptedEntra, token } from '../test/scripted-fetch'

// The write of a service principal's keyCredentials, each answer of Graph scripted: PATCH replaces
// the whole collection, so a write whose answer was lost is read back before it is sent again.
const spId = 'a0f4e8b2-1c3d-4e5f-8a9b-0c1d2e3f4a5b'
const appId = '00000004-0000-0ff1-ce00-000000000000'
const root = 'https://graph.microsoft.com/v1.0'
const patchUrl = `${root}/servicePrincipals/${spId}`
const readBackUrl = `${patchUrl}?$select=id,appId,displayName,keyCredentials`

const kept: KeyCredentialWrite = {
  keyId: '11111111-aaaa-4bbb-8ccc-000000000001',
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: Buffer.from('kept certificate').toString('base64'),
  displayName: 'CN=kept',
}
const added: KeyCredentialWrite = {
  type: 'AsymmetricX509Cert',
  usage: 'Verify',
  key: Buffer.from('new certificate').toString('base64'),
  displayName: 'CN=new',
}
const keys = [kept, added]

const stored = (key: KeyCredentialWrite, keyId: string): KeyCredential => ({
  keyId,
  type: key.type,
  usage: key.usage,
  key: key.key,
  displayName: key.displayName ?? null,
  customKeyIdentifier: null,
  startDateTime: null,
  endDateTime: null,
})
const before = [stored(kept, kept.keyId as string)]
const after = [...before, stored(added, '22222222-aaaa-4bbb-8ccc-000000000002')]
/** Graph's answer to the read-back: the service principal with these keys. */
const holding = (keyCredentials: KeyCredential[]) =>
  json(200, { id: spId, appId, displayName: 'Skype for Business Online', keyCredentials })
const dropped = () => new Error('socket hang up')

async function write(script: Scripted[], sent = keys) {
  const run = scriptedEntra(script)
  const error = await run.entra.setKeyCredentials(spId, sent).then(
    () => null,
    (e: unknown) => e as Error & { code: string; data: Record<string, unknown> },
  )
  const requests = run.sent.map((request) => `${request.method} ${request.url}`)
  return { ...run, error, requests }
}

describe('a key write Graph answers', () => {
  it.each([
    ['204', () => empty(204)],
    ['200 with the object', () => holding(after)],
  ])('with %s is one PATCH of the whole collection, and nothing else', async (_, answer) => {
    const { error, requests, sent } = await write([answer()])
    expect(error).toBeNull()
    expect(requests).toEqual([`PATCH ${patchUrl}`])
    expect(JSON.parse(sent[0]?.body ?? '')).toEqual({ keyCredentials: keys })
  })

  it('URL-encodes the service principal id', async () => {
    const run = scriptedEntra([empty(204)])
    await run.entra.setKeyCredentials('sp/with spaces', keys)
    expect(run.sent[0]?.url).toBe(`${root}/servicePrincipals/sp%2Fwith%20spaces`)
  })
})

describe('a key write whose answer is lost', () => {
  it.each([
    ['the connection dropped', dropped],
    ['a gateway answered 502', () => graphError(502, 'BadGateway', 'No answer.')],
    ['a gateway answered 504', () => graphError(504, 'GatewayTimeout', 'No answer.')],
  ])('when %s, is read back by id with the key values and not sent again when it landed', async (_, lost) => {
    const { error, requests } = await write([lost(), holding(after)])
    expect(error).toBeNull()
    expect(requests).toEqual([`PATCH ${patchUrl}`, `GET ${readBackUrl}`])
  })

  it.each([
    ['the connection dropped', dropped],
    ['a gateway answered 502', () => graphError(502, 'BadGateway', 'No answer.')],
    ['a gateway answered 504', () => graphError(504, 'GatewayTimeout', 'No answer.')],
  ])('when %s and it did not land, is sent once more', async (_, lost) => {
    const { error, requests, sent } = await write([lost(), holding(before), empty(204)])
    expect(error).toBeNull()
    expect(requests).toEqual([`PATCH ${patchUrl}`, `GET ${readBackUrl}`, `PATCH ${patchUrl}`])
    expect(sent[2]?.body).toBe(sent[0]?.body)
  })

  it('twice, is read back again and done when the second one landed', async () => {
    const { error, requests } = await write([dropped(), holding(before), dropped(), holding(after)])
    expect(error).toBeNull()
    expect(requests).toEqual([
      `PATCH ${patchUrl}`,
      `GET ${readBackUrl}`,
      `PATCH ${patchUrl}`,
      `GET ${readBackUrl}`,
    ])
  })

  it('twice without landing, fails naming the write, and sends no third', async () => {
    const { error, requests } = await write([dropped(), holding(before), dropped(), holding(before)])
    expect(error).toMatchObject({
      code: 'GRAPH_REQUEST_FAILED',
      data: { method: 'PATCH', url: patchUrl, servicePrincipalId: spId },
    })
    expect(error?.message).toBe(
      `The connection to Microsoft Graph dropped twice during PATCH ${patchUrl}, and the key credentials read back are not the ones sent.`,
    )
    expect(requests.filter((request) => request.startsWith('PATCH'))).toHaveLength(2)
  })

  it('is not taken as landed when the keys read back are not exactly the ones sent', async () => {
    // the new key is there, the kept one is gone: not the collection sent
    const { requests } = await write([dropped(), holding([after[1] as KeyCredential]), empty(204)])
    expect(requests).toEqual([`PATCH ${patchUrl}`, `GET ${readBackUrl}`, `PATCH ${patchUrl}`])
  })

  it('fails without sending again when the service principal is gone', async () => {
    const { error, requests } = await write([
      dropped(),
      graphError(404, 'Request_ResourceNotFound', 'Resource does not exist.'),
    ])
    expect(error).toMatchObject({
      code: 'GRAPH_REQUEST_FAILED',
      data: { method: 'GET', url: readBackUrl, status: 404, servicePrincipalId: spId },
    })
    expect(error?.message).toBe(
      `Microsoft Graph no longer finds the service principal ${spId} (GET ${readBackUrl} answered 404).`,
    )
    expect(requests).toHaveLength(2)
  })

  it('fails with what Graph said, without sending again, when the read-back fails', async () => {
    const { error, requests } = await write([dropped(), graphError(500, 'InternalServerError', 'Broke.')])
    expect(error).toMatchObject({
      code: 'GRAPH_REQUEST_FAILED',
      data: { method: 'GET', url: readBackUrl, status: 500, graphCode: 'InternalServerError' },
    })
    expect(requests).toHaveLength(2)
  })

  it('fails without sending again when the read-back is not a service principal', async () => {
    const { error, requests } = await write([
      dropped(),
      json(200, { id: spId, keyCredentials: [{ keyId: 'k' }] }),
    ])
    expect(error).toMatchObject({
      code: 'GRAPH_REQUEST_FAILED',
      data: {
        method: 'GET',
        url: readBackUrl,
        issues: expect.arrayContaining([expect.stringMatching(/^appId: /)]),
      },
    })
    expect(error?.data.issues).toContainEqual(expect.stringMatching(/^keyCredentials\.0\.type: /))
    expect(error?.message).toBe(
      `Microsoft Graph answered GET ${readBackUrl} with something that is not a service principal.`,
    )
    expect(requests).toHaveLength(2)
  })
})

describe('a key write Graph refuses', () => {
  it('in the form it was sent with KEY_FORM_REFUSED, saying what Graph said, the token redacted', async () => {
    const message = `Update to existing credential with KeyId '${kept.keyId}' is not allowed (${token}).`
    const { error, requests } = await write([
      graphError(400, 'Request_BadRequest', message, { 'request-id': 'r-400' }),
    ])
    const redacted = message.replace(token, '[redacted]')
    expect(error).toMatchObject({
      code: 'KEY_FORM_REFUSED',
      data: {
        method: 'PATCH',
        url: patchUrl,
        status: 400,
        property: 'keyId',
        keyId: kept.keyId,
        graphCode: 'Request_BadRequest',
        graphMessage: redacted,
        requestId: 'r-400',
      },
    })
    expect(error?.message).toBe(
      `Microsoft Graph refused the key credentials in the form they were sent (keyId): PATCH ${patchUrl} answered 400. Graph said: Request_BadRequest: ${redacted}`,
    )
    expect(requests).toHaveLength(1)
  })

  it('by its code alone, with no message', async () => {
    const { error } = await write([json(400, { error: { code: 'KeyNotUpdatable' } })])
    expect(error).toMatchObject({
      code: 'KEY_FORM_REFUSED',
      data: { graphCode: 'KeyNotUpdatable', graphMessage: null, requestId: null },
    })
    expect(error?.message).toMatch(/answered 400\. Graph said: KeyNotUpdatable: $/)
  })

  it('by its message alone, with no code', async () => {
    const message = "Invalid value specified for property 'endDateTime' of resource 'KeyCredential'."
    const { error } = await write([json(400, { error: { message } })])
    expect(error).toMatchObject({
      code: 'KEY_FORM_REFUSED',
      data: { property: 'endDateTime', graphCode: null },
    })
    expect(error?.message).toMatch(/answered 400\. Graph said: Invalid value specified/)
  })

  it('with a 400 about something else as a failed request, not a key form refusal', async () => {
    const { error } = await write([
      graphError(400, 'Request_BadRequest', 'Key credential value is not a valid certificate.'),
    ])
    expect(error).toMatchObject({
      code: 'GRAPH_REQUEST_FAILED',
      data: { method: 'PATCH', url: patchUrl, status: 400, graphCode: 'Request_BadRequest' },
    })
  })

  it.each([
    [403, 'GRAPH_FORBIDDEN'],
    [409, 'GRAPH_REQUEST_FAILED'],
    [500, 'GRAPH_REQUEST_FAILED'],
  ])('with %i is not a key form refusal, whatever the message says', async (status, code) => {
    const message = `Update to existing credential with KeyId '${kept.keyId}' is not allowed.`
    const { error, requests } = await write([graphError(status, 'Request_BadRequest', message)])
    expect(error).toMatchObject({ code, data: { method: 'PATCH', url: patchUrl, status } })
    expect(requests).toHaveLength(1)
  })
})

describe('a key write refused before anything is sent', () => {
  it.each([
    ['an empty service principal id', ''],
    ['no service principal id', undefined],
  ])('for %s', async (_, id) => {
    const run = scriptedEntra([])
    await expect(run.entra.setKeyCredentials(id as string, keys)).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: 'A service principal id is required.',
      data: { field: 'servicePrincipalId' },
    })
    expect(run.sent).toHaveLength(0)
  })

  it.each([
    ['null', null],
    ['empty', ''],
    ['missing', undefined],
  ])('for a kept key whose value is %s: sent so, Graph would drop that key', async (_, value) => {
    const run = scriptedEntra([])
    const withoutValue = { ...kept, key: value } as unknown as KeyCredentialWrite
    await expect(run.entra.setKeyCredentials(spId, [added, withoutValue])).rejects.toMatchObject({
      code: 'KEY_VALUE_MISSING',
      data: { index: 1, keyId: kept.keyId },
    })
    expect(run.sent).toHaveLength(0)
  })
})
