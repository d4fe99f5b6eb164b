import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type CmdletCall, type CmdletObject, type ExchangePort, isTeamsOAuthError } from '@teams-oauth/core'
import { cmdletCallSchema, exchangeErrorDataSchema } from '@teams-oauth/core/adapter'
import { cmdletSpec, knownCmdlets, type ParameterSpec } from './binding'
import { readBody } from './http-body'
import { packageFile } from './package-file'
import { deserializedShapes } from './pwsh-shapes'

/** What the PowerShell door needs of a fake tenant (FakeTenant has all of it). */
export interface PwshDoorTenant {
  invokeCmdlet(call: CmdletCall): Promise<CmdletObject[]>
  exchange: Pick<ExchangePort, 'hasParameter'>
  readonly faultHooks: { nextCmdletCall(): { kill: boolean } }
}

export interface FakeExchangeServer {
  /** http://127.0.0.1:<port>: pass it to the stand-in module (-ArgumentList or $env:TEAMS_OAUTH_FAKE_URL). */
  url: string
  /** Path of the stand-in module, TeamsOAuth.Fake.psm1. */
  modulePath: string
  close(): Promise<void>
}

type ParameterSets = { name: string; parameters: ParameterSpec[] }[]

/** Parameters only some builds have; the model says whether this one does. */
const buildParameters: { cmdlet: string; parameter: ParameterSpec }[] = [
  {
    cmdlet: 'New-MailUser',
    parameter: { name: 'ApplicationAccount', type: 'SwitchParameter', mandatory: false },
  },
]

/** The stand-in module's path: the package's pwsh/TeamsOAuth.Fake.psm1. */
export function fakeModulePath(): string {
  return packageFile('pwsh/TeamsOAuth.Fake.psm1')
}

/**
 * Serves the fake tenant to the PowerShell stand-in over loopback HTTP:
 * GET /cmdlets (the cmdlets and their parameter sets, for the stand-in to declare), GET /shapes
 * (how a remote Exchange session shapes each cmdlet's output, for the stand-in to rebuild) and
 * POST /invoke ({cmdlet, params} -> {ok, value} | {ok: false, error} | {kill: true}).
 */
export async function startFakeExchangeServer(tenant: PwshDoorTenant): Promise<FakeExchangeServer> {
  const server = createServer((request, response) => {
    handle(tenant, request, response).catch((error: unknown) => {
      send(response, 500, { ok: false, error: doorError(error) })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    modulePath: fakeModulePath(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function handle(
  tenant: PwshDoorTenant,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method === 'GET' && request.url === '/cmdlets') {
    send(response, 200, { cmdlets: await describeCmdlets(tenant) })
    return
  }
  if (request.method === 'GET' && request.url === '/shapes') {
    send(response, 200, deserializedShapes)
    return
  }
  if (request.method === 'POST' && request.url === '/invoke') {
    const parsed = cmdletCallSchema.safeParse(JSON.parse(await readBody(request)))
    if (!parsed.success) {
      send(response, 400, {
        ok: false,
        error: doorError(new Error(`not a cmdlet call: ${parsed.error.message}`)),
      })
      return
    }
    if (tenant.faultHooks.nextCmdletCall().kill) {
      send(response, 200, { kill: true })
      return
    }
    try {
      send(response, 200, { ok: true, value: await tenant.invokeCmdlet(parsed.data) })
    } catch (error) {
      // a write that landed and whose answer is lost with the session: the stand-in dies instead of answering
      if ((error as { data?: { kill?: unknown } }).data?.kill === true) send(response, 200, { kill: true })
      else send(response, 200, { ok: false, error: doorError(error) })
    }
    return
  }
  send(response, 404, {
    ok: false,
    error: doorError(new Error(`no such route: ${request.method} ${request.url}`)),
  })
}

async function describeCmdlets(tenant: PwshDoorTenant): Promise<Record<string, ParameterSets>> {
  // The model's own view of each cmdlet (the reference's on-premises sets), so both doors bind alike.
  const cmdlets: Record<string, ParameterSets> = {}
  for (const name of knownCmdlets()) {
    const spec = cmdletSpec(name)
    if (spec) cmdlets[name] = spec.sets
  }
  for (const { cmdlet, parameter } of buildParameters) {
    const sets = cmdlets[cmdlet]
    if (!sets || !(await tenant.exchange.hasParameter(cmdlet, parameter.name))) continue
    cmdlets[cmdlet] = sets.map((set) => ({ ...set, parameters: [...set.parameters, parameter] }))
  }
  return cmdlets
}

/** The model's ExchangeErrorData when it is one; otherwise an error of the door itself. */
function doorError(error: unknown): Record<string, unknown> {
  if (isTeamsOAuthError(error)) {
    const data = exchangeErrorDataSchema.safeParse(error.data)
    if (data.success) return data.data
  }
  return {
    message: error instanceof Error ? error.message : String(error),
    category: 'NotSpecified',
    reason: error instanceof Error ? error.name : 'Error',
    fullyQualifiedErrorId: 'FakeExchangeServerError',
    target: null,
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  response.end(text)
}
