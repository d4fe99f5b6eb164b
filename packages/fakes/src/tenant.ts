import {
  type CmdletCall,
  type CmdletObject,
  type EntraPort,
  type ExchangePort,
  type ReadOptions,
  type Targets,
  TeamsOAuthError,
} from '@teams-oauth/core'
import { bindParameters, canonicalCmdletName, cmdletSpec, type ParameterSpec } from './binding'
import { ChangeLog, type ChangeRecord } from './changes'
import type { GraphServicePrincipal } from './entra-model'
import { exchangeCmdlets, listedMailboxes } from './exchange-cmdlets'
import {
  commandNotFound,
  domainControllerUnavailable,
  exchangeError,
  throttledByPolicy,
} from './exchange-errors'
import { mailboxObject } from './exchange-objects'
import { type FaultHooks, type FaultSwitches, Faults, type GraphFault, type LostAnswer } from './faults'
import { msolCmdlets, msolError } from './msol-cmdlets'
import { type FakeSeed, stateFromSeed } from './seed'
import { cloneState, type FakeState, fakeStateSchema } from './state'
import { entraDoors, type TenantWrite } from './tenant-entra'

export interface FakeTenant extends Targets {
  /** In-process door: invoke() runs the cmdlet against the model (the same code as invokeCmdlet). */
  exchange: ExchangePort
  /** In-process door: single-object reads with key values; setKeyCredentials replaces the collection. */
  entra: EntraPort
  /**
   * Runs ONE cmdlet, Exchange or MSOnline, against the model: what the PowerShell stand-in forwards
   * every call to. Failures throw TeamsOAuthError EXCHANGE_CMDLET_FAILED with ExchangeErrorData.
   */
  invokeCmdlet(call: CmdletCall): Promise<CmdletObject[]>
  /** Graph-level operations over the same Entra model, for the Graph door. */
  graph: {
    /** One object, key values present (GET servicePrincipals(appId='…') or /{id}). */
    getServicePrincipal(by: { appId: string } | { id: string }): GraphServicePrincipal | null
    /** A list read: key is null on every key, as Graph's list reads. */
    listServicePrincipals(filter?: { appId?: string; displayName?: string }): GraphServicePrincipal[]
    /**
     * PATCH keyCredentials: replaces the collection, validates each key; throws FakeGraphError. As
     * Graph does, an existing key re-sent with `key: null` (its keyId known) is accepted and lost.
     */
    patchKeyCredentials(id: string, body: unknown): void
    /** The tenant's organization object, as GET /organization lists it. */
    organization(): { id: string; displayName: string }
  }
  /** JSON-serialisable deep copy of the whole model (no change log, no fault switches). */
  state(): FakeState
  /** Append-only log of every write. */
  readonly changes: readonly ChangeRecord[]
  faults: FaultSwitches
  /** Consumed by the doors to count and trigger faults; not for consumers. */
  readonly faultHooks: FaultHooks
  /** Whether a cmdlet has a parameter in this build (New-MailUser -ApplicationAccount only on recent builds). */
  hasParameter(cmdlet: string, parameter: string): boolean
  /** DER bytes of a certificate in any Exchange server's store; null when absent. */
  exportCertificate(thumbprint: string): Uint8Array | null
}

export type { GraphFault }

/**
 * The reads an audit makes per mailbox: their handlers build every object and copy every array, so no
 * live reference into the model leaves; the JSON copy is saved (it was a third of a 100,000-mailbox audit).
 */
const freshOutput = new Set([
  'Get-Mailbox',
  'Get-MailboxFolderStatistics',
  'Get-MailboxFolderPermission',
  'Get-CASMailbox',
])

/** Only the named properties, as Select-Object gives them (a missing one comes back null). */
function selected(item: CmdletObject, select: string[] | undefined): CmdletObject {
  if (!select) return item
  return Object.fromEntries(select.map((name) => [name, item[name] ?? null]))
}

const msolCmdletNames = Object.keys(msolCmdlets)

/** What a caller sees when a write landed and its answer did not come back; `kill` tells the pwsh door to die. */
function answerLost(cmdlet: string, how: LostAnswer): TeamsOAuthError {
  return new TeamsOAuthError(
    'POWERSHELL_TIMEOUT',
    `${cmdlet}: no answer came back (the fake tenant applied the write, then lost its answer on purpose: loseAnswer)`,
    { cmdlet, lostAnswer: true, kill: how === 'kill' },
  )
}

function restoreState(state: unknown): FakeState {
  const parsed = fakeStateSchema.safeParse(state)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new TeamsOAuthError(
      'INPUT_INVALID',
      `not a fake tenant state: ${issue?.path.join('.')}: ${issue?.message}`,
      {
        path: issue?.path.map(String) ?? [],
      },
    )
  }
  return cloneState(parsed.data)
}

/** The in-memory Exchange organisation and Entra tenant, with its doors. */
export function createFakeTenant(seed?: FakeSeed | { state: FakeState }): FakeTenant {
  const model: FakeState = seed && 'state' in seed ? restoreState(seed.state) : stateFromSeed(seed)
  const log = new ChangeLog()
  const faults = new Faults()
  /** Set when a write of the call in progress landed but its answer is to be lost. */
  let lostAnswer: LostAnswer | null = null

  /** One write: a failWrite fault throws before anything changes; the change log records it after. */
  const write: TenantWrite = (system, operation, target, detail, mutate, faultError) => {
    if (faults.nextWrite()) throw faultError()
    mutate()
    log.record(system, operation, target, detail)
    if (system === 'exchange') lostAnswer = faults.nextExchangeWriteLanded() ?? lostAnswer
  }

  const extraParameters = (cmdlet: string): ParameterSpec[] =>
    cmdlet === 'New-MailUser' && model.exchange.supportsApplicationAccount
      ? [{ name: 'ApplicationAccount', type: 'SwitchParameter', mandatory: false }]
      : []

  function hasParameter(cmdlet: string, parameter: string): boolean {
    const name = canonicalCmdletName(cmdlet)
    const spec = name ? cmdletSpec(name, extraParameters(name)) : null
    return !!spec?.sets.some((set) =>
      set.parameters.some((p) => p.name.toLowerCase() === parameter.toLowerCase()),
    )
  }

  function runCmdlet(call: CmdletCall, allowMsol: boolean): CmdletObject[] {
    // Names resolve case-insensitively, as PowerShell resolves them; only the shape is checked here.
    if (typeof call?.cmdlet !== 'string' || typeof call.params !== 'object' || call.params === null) {
      throw new TeamsOAuthError('INPUT_INVALID', 'not a cmdlet call: expected { cmdlet, params }')
    }
    const cmdlet = canonicalCmdletName(call.cmdlet)
    const isMsol = cmdlet !== null && msolCmdletNames.includes(cmdlet)
    if (!cmdlet || (isMsol && !allowMsol)) throw commandNotFound(call.cmdlet)
    const spec = cmdletSpec(cmdlet, extraParameters(cmdlet))!
    const params = bindParameters(cmdlet, spec, call.params)

    if (isMsol) {
      return msolCmdlets[cmdlet]!({
        state: model.entra,
        cmdlet,
        params,
        write: (target, detail, mutate) =>
          write('entra', cmdlet, target, detail, mutate, () =>
            msolError(cmdlet, 'The fake tenant failed this write on purpose (failWrite).', target),
          ),
      })
    }

    const requestedDc = params.string('DomainController')
    const domainController =
      requestedDc === undefined
        ? (model.exchange.domainControllers[0] ?? 'dc01')
        : model.exchange.domainControllers.find((dc) => dc.toLowerCase() === requestedDc.toLowerCase())
    if (!domainController) throw domainControllerUnavailable(cmdlet, requestedDc!)
    const handler = exchangeCmdlets[cmdlet]
    if (!handler) throw commandNotFound(call.cmdlet)
    const whatIf = params.switch('WhatIf')
    return handler({
      state: model.exchange,
      cmdlet,
      params,
      domainController,
      write: (target, mutate) => {
        if (whatIf) return false
        write('exchange', cmdlet, target, params.detail(), mutate, () =>
          exchangeError(
            cmdlet,
            'ADTransientException',
            `Active Directory server ${domainController} is not available. Error message: The fake tenant failed this write on purpose (failWrite).`,
            { target },
          ),
        )
        return true
      },
    })
  }

  /** The latency and throttling faults an Exchange call meets before the model runs it. */
  async function meetFaults(call: CmdletCall): Promise<void> {
    const fault = faults.nextExchangeCall()
    if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
    if (fault.throttledForMs !== null) throw throttledByPolicy(call.cmdlet, fault.throttledForMs)
  }

  /** Output leaves the model as plain JSON, never as live references into it. */
  const invoke = async (
    call: CmdletCall,
    allowMsol: boolean,
    options: ReadOptions = {},
  ): Promise<CmdletObject[]> => {
    await meetFaults(call)
    lostAnswer = null
    try {
      const output = runCmdlet(call, allowMsol).map((item) => selected(item, options.select))
      if (lostAnswer) throw answerLost(call.cmdlet, lostAnswer)
      return freshOutput.has(canonicalCmdletName(call.cmdlet) ?? '') ? output : cloneState(output)
    } finally {
      lostAnswer = null
    }
  }

  /** Get-Mailbox's list streamed from the model, one object at a time; any other read as invoke gives it. */
  async function* stream(call: CmdletCall, options: ReadOptions = {}): AsyncIterable<CmdletObject> {
    const cmdlet = canonicalCmdletName(call.cmdlet)
    if (cmdlet !== 'Get-Mailbox' || call.params.Identity !== undefined) {
      yield* await invoke(call, false, options)
      return
    }
    await meetFaults(call)
    const spec = cmdletSpec(cmdlet)!
    const params = bindParameters(cmdlet, spec, call.params)
    const ctx = { state: model.exchange, params, cmdlet }
    for (const mailbox of listedMailboxes(ctx))
      yield cloneState(selected(mailboxObject(model.exchange, mailbox), options.select))
  }

  function exportCertificate(thumbprint: string): Uint8Array | null {
    const wanted = thumbprint.trim().toLowerCase()
    const stored = model.exchange.servers
      .flatMap((server) => server.certificates)
      .find((c) => c.thumbprint.toLowerCase() === wanted)
    return stored ? new Uint8Array(Buffer.from(stored.der, 'base64')) : null
  }

  const { entra, graph } = entraDoors(model, write)

  return {
    exchange: {
      invoke: (call, options) => invoke(call, false, options),
      stream,
      exportCertificate: async (thumbprint) => exportCertificate(thumbprint),
      hasParameter: async (cmdlet, parameter) => hasParameter(cmdlet, parameter),
    },
    entra,
    invokeCmdlet: (call) => invoke(call, true),
    graph,
    state: () => cloneState(model),
    get changes() {
      return log.records
    },
    faults: {
      failWrite: (n) => faults.failWrite(n),
      throttle: (options) => faults.throttle(options),
      dropConnection: (options) => faults.dropConnection(options),
      killSession: (options) => faults.killSession(options),
      afterGraphRequest: (options) => faults.afterGraphRequest(options),
      loseAnswer: (options) => faults.loseAnswer(options),
      latencyMs: (ms) => faults.latencyMs(ms),
      throttleCmdlets: (options) => faults.throttleCmdlets(options),
      reset: () => faults.reset(),
    },
    faultHooks: {
      nextGraphRequest: () => faults.nextGraphRequest(),
      graphRequestServed: () => faults.graphRequestServed(),
      nextCmdletCall: () => faults.nextCmdletCall(),
    },
    hasParameter,
    exportCertificate,
  }
}
