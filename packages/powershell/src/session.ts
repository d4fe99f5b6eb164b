import { cmdletNamePattern } from '@teams-oauth/core/adapter'
import { describeCall } from './debug-log'
import { childEnvironment } from './environment'
import { PowerShellError } from './errors'
import { hostScript } from './host-script'
import { commandFailed, request, serve, unwrap } from './protocol'
import { openShellProcess, type ShellProcess } from './shell-process'
import { type Parameters, toWire } from './wire'

export interface PowerShellCall {
  /** A command name such as Get-MailUser; it travels as data and runs as `& $name @params`. */
  command: string
  params?: Parameters
  /** Only these properties of each output object (Select-Object style). */
  select?: string[]
  /** A remote session's (Deserialized) enums by name, as live enums are; by default their number, as handed over. */
  enumNames?: boolean
  timeoutMs?: number
}

export interface PowerShellScript {
  /** FIXED script text, written in code: never built from values. Values go in `params` and arrive as `param()` arguments. */
  script: string
  params?: Parameters
  select?: string[]
  timeoutMs?: number
}

export interface PowerShellSessionOptions {
  /** 'pwsh' (default), 'powershell.exe', or a path. */
  executable?: string
  /** Per-call timeout; a call that outlives it kills the process and the next call starts a fresh one. Default 120 s. */
  timeoutMs?: number
  /** Run once in the global scope of every process this session starts (e.g. connecting to Exchange). */
  setup?: PowerShellScript
  /** Parameter names whose values never reach the debug log (in addition to values wrapped by secret()). */
  secretParameters?: string[]
  /** Debug log: process starts and exits, each call with secret values redacted, stderr lines. */
  onDebug?: (message: string) => void
  /** Environment of the process (default: this process's); secrets (see childEnvironment) are dropped either way. */
  env?: NodeJS.ProcessEnv
  cwd?: string
}

export interface PowerShellSessionStats {
  processesStarted: number
  calls: number
}

/** Every method answers with a promise: bad input is a rejected promise, never a synchronous throw. */
export interface PowerShellSession {
  /** Runs one command; resolves to its output converted to plain JSON values, rejects with PowerShellError. */
  invoke(call: PowerShellCall): Promise<unknown[]>
  /** Runs a fixed script in a child scope with `params` splatted onto its param() block. */
  run(script: PowerShellScript): Promise<unknown[]>
  /** Starts the process (and runs the setup) now rather than on the first call. */
  start(): Promise<void>
  close(): Promise<void>
  readonly stats: Readonly<PowerShellSessionStats>
}

interface Host {
  process: ShellProcess
  /**
   * Script texts this process has compiled, by the id it keeps them under: a script's text
   * travels with its first call only, later calls name its id.
   */
  scripts: Map<string, number>
  /** Ids are never reused within a process, so an id always means the text it was sent with. */
  nextScriptId: number
}

const defaultTimeoutMs = 120_000
const bootstrapTimeoutMs = 60_000
/** Distinct script texts a process keeps compiled; scripts beyond these travel whole each time. */
const maxCachedScripts = 256

export function createPowerShellSession(options: PowerShellSessionOptions = {}): PowerShellSession {
  const executable = options.executable ?? 'pwsh'
  const secretNames = new Set((options.secretParameters ?? []).map((name) => name.toLowerCase()))
  const debug = options.onDebug ?? (() => {})
  const stats: PowerShellSessionStats = { processesStarted: 0, calls: 0 }
  let host: Host | null = null
  let starting: Promise<Host> | null = null
  let tail: Promise<unknown> = Promise.resolve()
  let closed = false

  const serialise = <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work, work)
    tail = result.catch(() => {})
    return result
  }

  const spawnHost = async (): Promise<Host> => {
    stats.processesStarted += 1
    const started: Host = {
      process: openShellProcess({
        executable,
        env: { ...childEnvironment(options.env ?? process.env), TERM: 'dumb', NO_COLOR: '1' },
        cwd: options.cwd,
        debug,
      }),
      scripts: new Map(),
      nextScriptId: 1,
    }
    const shell = started.process
    shell.onExit(() => {
      if (host === started) host = null
    })
    debug(`powershell: started ${executable}`)
    try {
      const bootstrap = Buffer.from(hostScript, 'utf8').toString('base64')
      shell.write(
        `. ([ScriptBlock]::Create([System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${bootstrap}'))))`,
      )
      const [version, pid] = unwrap(
        await request(
          shell,
          '__TeamsOAuthCall',
          { kind: 'script', script: '$PSVersionTable.PSVersion.ToString(); $PID' },
          bootstrapTimeoutMs,
        ),
        'bootstrap',
      )
      debug(
        `powershell: process ${shell.pid ?? '?'} ready (PowerShell ${String(version)}, PID ${String(pid)})`,
      )
      if (options.setup) {
        const setup = options.setup
        debug(`powershell: setup ${describeCall('script', setup.params, secretNames)}`)
        const envelope = await request(
          shell,
          '. __TeamsOAuthSetup',
          { kind: 'setup', script: setup.script, params: toWire(setup.params) },
          setup.timeoutMs ?? options.timeoutMs ?? defaultTimeoutMs,
        )
        if (!envelope.ok) throw commandFailed('setup', envelope.error, { setup: true })
      }
      await serve(shell, bootstrapTimeoutMs)
    } catch (error) {
      shell.kill('start failed')
      throw error
    }
    return started
  }

  const ensureHost = async (): Promise<Host> => {
    if (closed) throw new PowerShellError('POWERSHELL_UNAVAILABLE', 'the PowerShell session is closed')
    if (host && !host.process.exited) return host
    if (!starting) {
      starting = spawnHost().finally(() => {
        starting = null
      })
      host = await starting
      return host
    }
    return starting
  }

  /** The request's script fields: the text with its id the first time, then the id alone. */
  const scriptFields = (target: Host, script: string): Record<string, unknown> => {
    const known = target.scripts.get(script)
    if (known !== undefined) return { scriptId: known }
    if (target.scripts.size >= maxCachedScripts) return { script }
    const scriptId = target.nextScriptId++
    target.scripts.set(script, scriptId)
    return { scriptId, script }
  }

  const call = async (
    what: string,
    fields: { command: string } | { script: string },
    input: { params?: Parameters; select?: string[]; enumNames?: boolean; timeoutMs?: number },
  ): Promise<unknown[]> => {
    const params = toWire(input.params)
    return serialise(async () => {
      const target = await ensureHost()
      stats.calls += 1
      const began = Date.now()
      debug(`powershell: call ${describeCall(what, input.params, secretNames)}`)
      const body =
        'command' in fields
          ? { kind: 'command', command: fields.command }
          : { kind: 'script', ...scriptFields(target, fields.script) }
      const envelope = await request(
        target.process,
        '__TeamsOAuthCall',
        { ...body, params, select: input.select ?? null, enumNames: input.enumNames === true },
        input.timeoutMs ?? options.timeoutMs ?? defaultTimeoutMs,
      ).catch((error: unknown) => {
        // a process that failed this way is stopped; with it goes what it compiled
        target.scripts.clear()
        throw error
      })
      // a script that failed the first time it was sent may not have compiled: send it again next time
      if (!envelope.ok && 'script' in body) target.scripts.delete(body.script as string)
      debug(`powershell: ${what} ${envelope.ok ? 'ok' : 'failed'} in ${Date.now() - began} ms`)
      return unwrap(envelope, what)
    })
  }

  return {
    get stats() {
      return { ...stats }
    },
    async invoke(request: PowerShellCall) {
      if (!cmdletNamePattern.test(request.command)) {
        throw new PowerShellError('INPUT_INVALID', `not a command name: ${JSON.stringify(request.command)}`)
      }
      return call(request.command, { command: request.command }, request)
    },
    async run(script: PowerShellScript) {
      return call('script', { script: script.script }, script)
    },
    async start() {
      await serialise(ensureHost)
    },
    async close() {
      closed = true
      await tail
      const current = host
      host = null
      if (current && !current.process.exited) {
        await current.process.close()
        debug(`powershell: closed process ${current.process.pid ?? '?'}`)
      }
    },
  }
}
