import {
  type CmdletCall,
  type CmdletObject,
  type CmdletValue,
  type ExchangePort,
  isTeamsOAuthError,
  type ReadOptions,
  TeamsOAuthError,
} from '@teams-oauth/core'
import { exchangeCmdletError, isExchangeNotFound } from '@teams-oauth/core/adapter'
import {
  createPowerShellSession,
  type Parameters,
  type PowerShellScript,
  type PowerShellSession,
  secret,
} from '@teams-oauth/powershell'
import {
  hasParameterScript,
  localCertificateScript,
  localSetup,
  moduleSetup,
  remoteSetup,
  remoteTeardown,
} from './setup-scripts'

/** How to reach Exchange. */
export type ExchangeConnection =
  /** On an Exchange server: the Exchange Management Shell's own connection (Windows PowerShell 5.1). */
  | { mode: 'local' }
  /** Remote PowerShell, e.g. http://ex01.contoso.com/PowerShell/, Kerberos; the current user unless a credential is given. */
  | { mode: 'remote'; connectionUri: string; credential?: { userName: string; password: string } }
  /** Import a module that defines the cmdlets (the fakes' stand-in). */
  | { mode: 'module'; modulePath: string; moduleArguments?: CmdletValue[] }

export type ConnectExchangeOptions = ExchangeConnection & {
  /** PowerShell executable: default 'powershell.exe' for local mode (the snap-in needs Windows PowerShell), else 'pwsh'. */
  executable?: string
  /** Exchange server whose certificate store holds the auth certificate (remote and module modes). */
  server?: string
  /** Per-call timeout (default 120 s); connecting has its own (default 5 min). */
  timeoutMs?: number
  connectTimeoutMs?: number
  /** Progress for people: "connecting…" and the like. */
  onProgress?: (message: string) => void
  /** Debug log of the PowerShell session (secrets redacted). */
  onDebug?: (message: string) => void
  env?: NodeJS.ProcessEnv
}

/** An ExchangePort over one PowerShell session; close() ends it. */
export interface ExchangeConnectionPort extends ExchangePort {
  close(): Promise<void>
  readonly session: PowerShellSession
}

/**
 * Connects to Exchange over one long-lived PowerShell session and returns core's ExchangePort.
 * The connection is made now (so a wrong URI or missing snap-in fails here, before any plan) and
 * again, transparently, if the process has to be replaced after a timeout or a crash.
 */
export async function connectExchange(options: ConnectExchangeOptions): Promise<ExchangeConnectionPort> {
  const progress = options.onProgress ?? (() => {})
  const setup = setupFor(options)
  const session = createPowerShellSession({
    executable: options.executable ?? (options.mode === 'local' ? 'powershell.exe' : 'pwsh'),
    timeoutMs: options.timeoutMs,
    setup: { ...setup.script, timeoutMs: options.connectTimeoutMs ?? 300_000 },
    secretParameters: ['Password'],
    onDebug: options.onDebug,
    env: options.env,
  })

  progress(`Connecting to Exchange (${setup.label})…`)
  try {
    await session.start()
  } catch (error) {
    await session.close()
    throw connectionFailed(setup.label, error)
  }
  progress('Connected to Exchange.')

  return {
    session,
    async invoke(call: CmdletCall, read?: ReadOptions): Promise<CmdletObject[]> {
      try {
        // The host hands back each object in the plain form core's schemas describe
        // (packages/core/src/exchange-objects.ts), converted once: a remote session's Deserialized
        // enum is its name, an ADObjectId, ServerVersion or SmtpAddress the string Exchange prints,
        // a multi-valued property an array (or null), a date ISO 8601 UTC.
        const output = await session.invoke({
          command: call.cmdlet,
          params: redacted(call.params),
          enumNames: true,
          ...(read?.select ? { select: read.select } : {}),
        })
        return output.filter((item): item is CmdletObject => typeof item === 'object' && item !== null)
      } catch (error) {
        throw cmdletFailure(call.cmdlet, error)
      }
    },
    async exportCertificate(thumbprint: string): Promise<Uint8Array | null> {
      if (options.mode === 'local') {
        const [raw] = await session.run({
          script: localCertificateScript,
          params: { Thumbprint: thumbprint },
        })
        return typeof raw === 'string' ? new Uint8Array(Buffer.from(raw, 'base64')) : null
      }
      const params: Record<string, CmdletValue> = { Thumbprint: thumbprint }
      if (options.server) params.Server = options.server
      try {
        const [certificate] = await session.invoke({
          command: 'Get-ExchangeCertificate',
          params,
          select: ['RawData'],
        })
        const raw = (certificate as { RawData?: unknown } | undefined)?.RawData
        return typeof raw === 'string' && raw !== '' ? new Uint8Array(Buffer.from(raw, 'base64')) : null
      } catch (error) {
        const failure = cmdletFailure('Get-ExchangeCertificate', error)
        if (isExchangeNotFound(failure)) return null
        throw failure
      }
    },
    async hasParameter(cmdlet: string, parameter: string): Promise<boolean> {
      const [answer] = await session.run({
        script: hasParameterScript,
        params: { Name: cmdlet, Parameter: parameter },
      })
      return answer === true
    },
    async close(): Promise<void> {
      if (options.mode === 'remote') await session.run({ script: remoteTeardown }).catch(() => {})
      await session.close()
    },
  }
}

function setupFor(options: ConnectExchangeOptions): { label: string; script: PowerShellScript } {
  switch (options.mode) {
    case 'local':
      return { label: 'Exchange Management Shell on this server', script: { script: localSetup } }
    case 'remote':
      return {
        label: options.connectionUri,
        script: {
          script: remoteSetup,
          params: {
            ConnectionUri: options.connectionUri,
            UserName: options.credential?.userName ?? '',
            Password: secret(options.credential?.password ?? ''),
          },
        },
      }
    case 'module':
      return {
        label: `module ${options.modulePath}`,
        script: {
          script: moduleSetup,
          params: { ModulePath: options.modulePath, ArgumentList: options.moduleArguments ?? [] },
        },
      }
  }
}

/** The debug log redacts only names it knows: every value whose parameter speaks of a password goes as a secret. */
function redacted(params: CmdletCall['params']): Parameters {
  const out: Parameters = {}
  for (const [name, value] of Object.entries(params))
    out[name] = /password/i.test(name) ? secret(value) : value
  return out
}

/** A failed cmdlet in Exchange's words; anything else (timeout, crash) stays the session's error. */
function cmdletFailure(cmdlet: string, error: unknown): unknown {
  if (!isTeamsOAuthError(error, 'POWERSHELL_COMMAND_FAILED')) return error
  const { message, category, reason, fullyQualifiedErrorId, target } = error.data
  return exchangeCmdletError({ cmdlet, message, category, reason, fullyQualifiedErrorId, target })
}

function connectionFailed(label: string, error: unknown): TeamsOAuthError {
  if (isTeamsOAuthError(error) && error.code !== 'POWERSHELL_COMMAND_FAILED') return error
  const detail = error instanceof Error ? error.message.replace(/^setup: /, '') : String(error)
  return new TeamsOAuthError(
    'EXCHANGE_UNAVAILABLE',
    `Could not connect to Exchange (${label}): ${detail}`,
    { connection: label, ...(isTeamsOAuthError(error) ? { powershell: error.data } : {}) },
    { cause: error },
  )
}
