import {
  apply,
  buildRunbook,
  emptyJournal,
  type Journal,
  type KeyCredential,
  plan,
  type RunbookInput,
  type RunEvent,
  type Targets,
} from '@teams-oauth/core'
import { type FakeTenant, makeTestCertificate } from '@teams-oauth/fakes'
import { graphHandlers } from '@teams-oauth/fakes/graph'
import type { HttpHandler } from 'msw'
import type { SetupServer } from 'msw/node'
import { graphEntra } from '../src/graph-entra'

export const sfbAppId = '00000004-0000-0ff1-ce00-000000000000'

/** An access token shaped as Entra issues them: a JWT naming the tenant, so no request asks Graph for it. */
export const tokenOf = (tenant: FakeTenant): string =>
  ['{"alg":"none"}', JSON.stringify({ tid: tenant.state().entra.tenantId }), 'signature']
    .map((part, i) => (i < 2 ? Buffer.from(part).toString('base64url') : part))
    .join('.')

/** The real engine's targets: the fake's Exchange in process, and graphEntra over the fake's Graph door (msw). */
export function graphTargets(tenant: FakeTenant, server: SetupServer, before: HttpHandler[] = []) {
  const handlers = graphHandlers(tenant)
  server.resetHandlers(...before, ...handlers)
  const targets: Targets = {
    exchange: tenant.exchange,
    entra: graphEntra({
      tokenProvider: async () => tokenOf(tenant),
      retry: { maxAttempts: 3, maxTotalMs: 10_000 },
      sleep: async () => {},
    }),
  }
  return { targets, stats: handlers.stats }
}

/** plan, then apply, as the CLI runs them; the events and the journal are kept even when apply fails. */
export async function planAndApply(
  targets: Targets,
  input: Partial<RunbookInput> = {},
  journal: Journal = emptyJournal(),
  armFaults: () => void = () => {},
) {
  const runbook = buildRunbook({ profile: 'sfbonline', domain: 'contoso.com', ...input })
  const events: RunEvent[] = []
  const planned = await plan(runbook, targets)
  armFaults()
  try {
    await apply(planned, targets, { journal, onEvent: (event) => events.push(event) })
    return { error: null, events, journal }
  } catch (error) {
    return { error: error as Error & { code?: string; data?: Record<string, unknown> }, events, journal }
  }
}

/** A key another administrator adds, as stored keys come back whole plus one more certificate. */
export function anotherAdminAdds(tenant: FakeTenant, appId: string, subject: string): KeyCredential {
  const certificate = makeTestCertificate({ subject })
  const sp = tenant.graph.getServicePrincipal({ appId })
  if (!sp) throw new Error(`no service principal ${appId}`)
  const key = {
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
    key: Buffer.from(certificate.der).toString('base64'),
    displayName: subject,
  }
  tenant.graph.patchKeyCredentials(sp.id, { keyCredentials: [...sp.keyCredentials, key] })
  const added = tenant.graph.getServicePrincipal({ appId })?.keyCredentials.find((k) => k.key === key.key)
  if (!added) throw new Error('the other administrator’s key was not added')
  return added
}

export const keysOf = (tenant: FakeTenant, appId = sfbAppId): KeyCredential[] =>
  tenant.graph.getServicePrincipal({ appId })?.keyCredentials ?? []
