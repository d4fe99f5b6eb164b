import { describe, expect, it } from 'vitest'
import { graphRedirectError, graphResponseError, keyFormRefusal, readGraphErrorBody } from './graph-errors'

const nothingSaid = { code: null, message: null, innerRequestId: null }
const said = (code: string | null, message: string | null) => ({ code, message, innerRequestId: null })

describe("readGraphErrorBody: what Graph's error body says", () => {
  it('reads the code, the message and the request id of innerError', () => {
    const body = {
      error: {
        code: 'Request_BadRequest',
        message: 'Invalid value.',
        innerError: { date: '2025-06-01T10:00:00', 'request-id': 'r-1', 'client-request-id': 'c-1' },
      },
    }
    expect(readGraphErrorBody(JSON.stringify(body))).toEqual({
      code: 'Request_BadRequest',
      message: 'Invalid value.',
      innerRequestId: 'r-1',
    })
  })

  it('reads the request id of an innererror spelled in lowercase, as some services write it', () => {
    const body = { error: { code: 'X', message: 'y', innererror: { 'request-id': 'r-2' } } }
    expect(readGraphErrorBody(JSON.stringify(body)).innerRequestId).toBe('r-2')
  })

  it('reads the code and message of an error without innerError', () => {
    expect(readGraphErrorBody('{"error":{"code":"Forbidden","message":"No."}}')).toEqual(
      said('Forbidden', 'No.'),
    )
  })

  it.each([
    ['an empty body', ''],
    ['an HTML page', '<html><body>Bad gateway</body></html>'],
    ['JSON null', 'null'],
    ['JSON without an error', '{"value":[]}'],
    ['an error that is text', '{"error":"boom"}'],
    ['an error that is null', '{"error":null}'],
  ])('finds nothing said in %s', (_, text) => {
    expect(readGraphErrorBody(text)).toEqual(nothingSaid)
  })

  it('takes only text for the code, the message and the request id', () => {
    const body = { error: { code: 500, message: { text: 'x' }, innerError: { 'request-id': 7 } } }
    expect(readGraphErrorBody(JSON.stringify(body))).toEqual(nothingSaid)
  })
})

describe('keyFormRefusal: a 400 that refuses the form key credentials were sent in', () => {
  it("names the keyId of an existing credential Graph will not update, from Graph's message", () => {
    const message =
      "Update to existing credential with KeyId 'd3c1e7a2-5b4f-4e6a-9c8d-7f6e5d4c3b2a' is not allowed."
    expect(keyFormRefusal(said('Request_BadRequest', message))).toEqual({
      property: 'keyId',
      keyId: 'd3c1e7a2-5b4f-4e6a-9c8d-7f6e5d4c3b2a',
    })
  })

  it('reads the message whatever its case', () => {
    expect(
      keyFormRefusal(said(null, "update to existing credential with keyid 'k-1' is not allowed")),
    ).toEqual({
      property: 'keyId',
      keyId: 'k-1',
    })
  })

  it('knows the refusal by its code KeyNotUpdatable alone, without a message', () => {
    expect(keyFormRefusal(said('KeyNotUpdatable', null))).toEqual({ property: 'keyId', keyId: null })
  })

  it.each(['keyId', 'customKeyIdentifier', 'startDateTime', 'endDateTime', 'displayName'])(
    'names the key credential property %s when the message does',
    (property) => {
      const message = `Invalid value specified for property '${property}' of resource 'KeyCredential'.`
      expect(keyFormRefusal(said('Request_BadRequest', message))).toEqual({ property, keyId: null })
    },
  )

  it.each([
    [
      'a property of the service principal itself',
      "Invalid value specified for property 'displayName' of resource 'ServicePrincipal'.",
    ],
    ['a certificate Graph cannot read', 'Key credential value is not a valid certificate.'],
    [
      'a property whose name ends in a key property',
      "Invalid value specified for property 'userDisplayName' of resource 'KeyCredential'.",
    ],
    [
      'a property whose name starts with a key property',
      "Invalid value specified for property 'displayNames' of resource 'KeyCredential'.",
    ],
    ['no message at all', null],
  ])('is not a refusal of the form for %s', (_, message) => {
    expect(keyFormRefusal(said('Request_BadRequest', message))).toBeNull()
  })
})

describe('graphResponseError', () => {
  const failure = {
    method: 'GET',
    url: 'https://graph.microsoft.com/v1.0/organization',
    status: 500,
    graphCode: 'InternalServerError',
    graphMessage: 'Something broke.',
    requestId: 'r-9',
  }

  it('says what was asked, how Graph answered, what Graph said and its request id, and keeps them as data', () => {
    const error = graphResponseError(failure)
    expect(error.code).toBe('GRAPH_REQUEST_FAILED')
    expect(error.message).toBe(
      'Microsoft Graph request failed: GET https://graph.microsoft.com/v1.0/organization answered 500. ' +
        'Graph said: InternalServerError: Something broke. (request-id r-9)',
    )
    expect(error.data).toEqual(failure)
  })

  it("gives Graph's message without a code, its code without a message, and neither when it said nothing", () => {
    const request = 'GET https://graph.microsoft.com/v1.0/organization answered 500.'
    expect(graphResponseError({ ...failure, graphCode: null, requestId: null }).message).toBe(
      `Microsoft Graph request failed: ${request} Graph said: Something broke.`,
    )
    expect(graphResponseError({ ...failure, graphMessage: null, requestId: null }).message).toBe(
      `Microsoft Graph request failed: ${request} Graph said: InternalServerError`,
    )
    expect(
      graphResponseError({ ...failure, graphCode: null, graphMessage: null, requestId: null }).message,
    ).toBe(`Microsoft Graph request failed: ${request}`)
  })

  it('tells a 401 to get a fresh token and a 403 which permission and roles are needed', () => {
    const unauthorized = graphResponseError({ ...failure, status: 401 })
    expect(unauthorized.code).toBe('GRAPH_UNAUTHORIZED')
    expect(unauthorized.message).toContain(
      'answered 401. Graph said: InternalServerError: Something broke. (request-id r-9)',
    )
    expect(unauthorized.message).toContain('Get a fresh token for this Graph host.')
    expect(unauthorized.message).toContain('Application.ReadWrite.All')
    expect(unauthorized.data).toMatchObject({ status: 401, requestId: 'r-9' })
    const forbidden = graphResponseError({ ...failure, status: 403 })
    expect(forbidden.code).toBe('GRAPH_FORBIDDEN')
    expect(forbidden.message).toContain('Microsoft Graph refused the request: GET')
    expect(forbidden.message).toContain('(request-id r-9)')
    expect(forbidden.message).toMatch(
      / teams-oauth needs the Microsoft Graph permission Application\.ReadWrite\.All: delegated, signed in as a user holding the Application Administrator or Cloud Application Administrator role, or as an application permission granted with admin consent\.$/,
    )
    expect(forbidden.data).toMatchObject({ status: 403, graphCode: 'InternalServerError' })
  })
})

describe('graphRedirectError', () => {
  const redirect = {
    method: 'PATCH',
    url: 'https://graph.microsoft.com/v1.0/servicePrincipals/x',
    status: 307,
  }

  it('names the host the redirect points to and says nothing was read or written there', () => {
    const error = graphRedirectError({ ...redirect, location: 'https://evil.example/v1.0/x' })
    expect(error.code).toBe('GRAPH_REDIRECTED')
    expect(error.message).toBe(
      'Microsoft Graph answered PATCH https://graph.microsoft.com/v1.0/servicePrincipals/x with a redirect (307) ' +
        'to evil.example; teams-oauth never follows redirects, so nothing was read from there or written. ' +
        'Check the Graph URL (--graph-url) and any proxy between this machine and Graph.',
    )
    expect(error.data).toEqual({ ...redirect, locationHost: 'evil.example' })
  })

  it('resolves a relative location against the URL asked', () => {
    expect(graphRedirectError({ ...redirect, location: '/beta/x' }).data).toMatchObject({
      locationHost: 'graph.microsoft.com',
    })
  })

  it.each([
    ['no location', null],
    ['a location that is not a URL', 'http://[::1'],
  ])('says the location is unreadable for %s', (_, location) => {
    const error = graphRedirectError({ ...redirect, location })
    expect(error.message).toContain('with a redirect (307) to an unreadable location;')
    expect(error.data).toMatchObject({ locationHost: null })
  })
})
