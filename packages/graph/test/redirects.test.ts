import { createFakeTenant } from '@teams-oauth/fakes'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphTargets, planAndApply } from './graph-run'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

const foreignHost = 'graph.attacker.example'

/** Answers the n-th GET from now with a redirect to a foreign host that serves keys of its own. */
function redirectingGet(n: number) {
  const foreign: string[] = []
  let gets = 0
  const handlers = [
    http.all(`https://${foreignHost}/*`, ({ request }) => {
      foreign.push(`${request.method} ${request.url}`)
      return HttpResponse.json({ id: 'x', appId: 'x', displayName: 'x', keyCredentials: [] })
    }),
    http.get('https://graph.microsoft.com/v1.0/*', ({ request }) => {
      if (++gets !== n) return undefined
      return new HttpResponse(null, {
        status: 302,
        headers: { location: `https://${foreignHost}${new URL(request.url).pathname}` },
      })
    }),
  ]
  return { handlers, foreign }
}

describe('a Graph answer that redirects', () => {
  it('to a foreign host on the backup read stops apply with GRAPH_REDIRECTED naming the host, and nothing is written', async () => {
    const tenant = createFakeTenant()
    // GET 1 is plan's read, GET 2 the engine's backup read before the write
    const { handlers, foreign } = redirectingGet(2)
    const { targets, stats } = graphTargets(tenant, server, handlers)
    const before = tenant.state().entra
    const run = await planAndApply(targets)
    expect(run.error).toMatchObject({ code: 'GRAPH_REDIRECTED', data: { locationHost: foreignHost } })
    expect(run.error?.message).toContain(foreignHost)
    expect(foreign).toEqual([])
    expect(stats.byMethod.PATCH).toBeUndefined()
    expect(tenant.state().entra).toEqual(before)
  })

  it('on plan’s read stops the plan before any change', async () => {
    const tenant = createFakeTenant()
    const { handlers, foreign } = redirectingGet(1)
    const { targets } = graphTargets(tenant, server, handlers)
    const before = tenant.state()
    await expect(planAndApply(targets)).rejects.toMatchObject({ code: 'GRAPH_REDIRECTED' })
    expect(foreign).toEqual([])
    expect(tenant.state()).toEqual(before)
  })
})
