import { describe, expect, it } from 'vitest'
import { graphError, json, scriptedEntra } from '../test/scripted-fetch'
import { tenantIdOfToken } from './graph-entra'

// Reads of graphEntra, each answer of Graph scripted: the service principal by appId, and the tenant's id.
const appId = '00000004-0000-0ff1-ce00-000000000000'
const root = 'https://graph.microsoft.com/v1.0'
const readUrl = `${root}/servicePrincipals(appId='${appId}')?$select=id,appId,displayName,keyCredentials`
const sp = { id: 'sp-1', appId, displayName: 'Skype for Business Online', keyCredentials: [] }
const tenantId = '5e7c2f1a-9b3d-4c8e-a6f0-1d2b3c4e5f60'
const organizationUrl = `${root}/organization?$select=id`

describe('getServicePrincipal', () => {
  it('takes an appId in capitals as the same GUID', async () => {
    const { entra, sent } = scriptedEntra([json(200, sp)])
    await expect(entra.getServicePrincipal(appId.toUpperCase())).resolves.toEqual(sp)
    expect(sent[0]?.url).toBe(readUrl.replace(appId, appId.toUpperCase()))
  })

  it.each([
    ['a GUID followed by OData', `${appId}') or startswith(displayName,'`],
    ['a GUID after other text', `x') or appId eq ('${appId}`],
    ['a GUID without its dashes', appId.replaceAll('-', '')],
    ['an empty string', ''],
  ])('refuses %s without sending anything', async (_, value) => {
    const { entra, sent } = scriptedEntra([])
    await expect(entra.getServicePrincipal(value)).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: `appId must be a GUID, got "${value}".`,
      data: { field: 'appId', value },
    })
    expect(sent).toHaveLength(0)
  })

  it('refuses anything but a string, even one that prints as a GUID', async () => {
    const { entra, sent } = scriptedEntra([])
    await expect(entra.getServicePrincipal([appId] as unknown as string)).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      data: { field: 'appId', value: appId },
    })
    expect(sent).toHaveLength(0)
  })

  it('fails on an answer that is not JSON, saying what it asked', async () => {
    const { entra } = scriptedEntra([new Response('<html>proxy login</html>', { status: 200 })])
    const error = await entra.getServicePrincipal(appId).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'GRAPH_REQUEST_FAILED', data: { method: 'GET', url: readUrl } })
    expect((error as { data: { issues: string[] } }).data.issues.length).toBeGreaterThan(0)
  })

  it('fails on a 500 with what Graph said', async () => {
    const { entra } = scriptedEntra([graphError(500, 'InternalServerError', 'Broke.')])
    await expect(entra.getServicePrincipal(appId)).rejects.toMatchObject({
      code: 'GRAPH_REQUEST_FAILED',
      data: {
        method: 'GET',
        url: readUrl,
        status: 500,
        graphCode: 'InternalServerError',
        graphMessage: 'Broke.',
      },
    })
  })

  it('is null on 404 only', async () => {
    const { entra } = scriptedEntra([graphError(404, 'Request_ResourceNotFound', 'Not found.')])
    await expect(entra.getServicePrincipal(appId)).resolves.toBeNull()
  })
})

describe("the tenant's id", () => {
  it('is the tid claim of a JWT access token, with no request sent', async () => {
    const claims = Buffer.from(JSON.stringify({ tid: tenantId })).toString('base64url')
    const { entra, sent } = scriptedEntra([], { tokenProvider: async () => `e30.${claims}.sig` })
    await expect(entra.tenantId?.()).resolves.toBe(tenantId)
    expect(sent).toHaveLength(0)
  })
})

describe("the tenant's id, asked of Graph when the token does not name it", () => {
  const opaque = { tokenProvider: async () => 'an-opaque-token' }

  it('is the id of the organization, in lowercase', async () => {
    const { entra, sent } = scriptedEntra([json(200, { value: [{ id: tenantId.toUpperCase() }] })], opaque)
    await expect(entra.tenantId?.()).resolves.toBe(tenantId)
    expect(sent.map((request) => `${request.method} ${request.url}`)).toEqual([`GET ${organizationUrl}`])
  })

  it.each([
    ['no organization', { value: [] }],
    ['no list', {}],
    ['an id that is not a GUID', { value: [{ id: 'contoso' }] }],
    ['no id', { value: [{}] }],
    ['null', null],
  ])('fails when Graph answers with %s', async (_, body) => {
    const { entra } = scriptedEntra([json(200, body)], opaque)
    await expect(entra.tenantId?.()).rejects.toMatchObject({
      code: 'GRAPH_REQUEST_FAILED',
      message: `Microsoft Graph answered GET ${organizationUrl} without the tenant's id.`,
      data: { method: 'GET', url: organizationUrl },
    })
  })

  it('fails when the answer is not JSON', async () => {
    const { entra } = scriptedEntra([new Response('not json', { status: 200 })], opaque)
    await expect(entra.tenantId?.()).rejects.toMatchObject({ code: 'GRAPH_REQUEST_FAILED' })
  })

  it('fails with what Graph said when it refuses', async () => {
    const { entra } = scriptedEntra(
      [graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges.')],
      opaque,
    )
    await expect(entra.tenantId?.()).rejects.toMatchObject({
      code: 'GRAPH_FORBIDDEN',
      data: { method: 'GET', url: organizationUrl, graphCode: 'Authorization_RequestDenied' },
    })
  })
})

describe('tenantIdOfToken', () => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const header = part({ alg: 'RS256', typ: 'JWT' })

  it('reads the tid claim of a JWT in lowercase', () => {
    expect(tenantIdOfToken(`${header}.${part({ tid: tenantId.toUpperCase() })}.sig`)).toBe(tenantId)
  })

  it.each([
    ['two parts', `${header}.${part({ tid: tenantId })}`],
    ['four parts', `${header}.${part({ tid: tenantId })}.sig.extra`],
    ['an empty payload', `${header}..sig`],
    ['a payload that is JSON null', `${header}.${part(null)}.sig`],
    ['a tid that is a list', `${header}.${part({ tid: [tenantId] })}.sig`],
  ])('is null for a token of %s', (_, value) => {
    expect(tenantIdOfToken(value)).toBeNull()
  })
})
