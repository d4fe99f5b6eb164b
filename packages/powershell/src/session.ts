import { randomBytes } from 'node:crypto'
import type { CmdletValue } from '@teams-oauth/core'
import { cmdletNamePattern, parameterNamePattern } from '@teams-oauth/core/adapter'
import { PowerShell } from 'node-powershell'
import { PowerShellError, type PowerShellFailure } from './errors'
import { hostScript } from './host-script'
import { isSecret, type Secret } from './secret'

/** A parameter value: JSON as in CmdletValue, bytes as Uint8Array, or a value wrapped by secret(). */
export type ParameterValue = CmdletValue | Uint8Array | Secret | undefined
export type Parameters = Record<string, ParameterValue>

export interface PowerShellCall {
  /** A command name such as Get-MailUser; it travels as data and runs as `& $name @params`. */
  command: string
  params?: Parameters
  /** Only these properties of each output object (Select-Object style). */
  select?: string[]
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

export interface PowerShellSession {
  /** Runs one command; resolves to its output converted to plain JSON values, throws PowerShellError. */
  invoke(call: PowerShellCall): Promise<unknown[]>
  /** Runs a fixed script in a child scope with `params` splatted onto its param() block. */
  run(script: PowerShellScript): Promise<unknown[]>
  /** Starts the process (and runs the setup) now rather than on the first call. */
  start(): Promise<void>
  close(): Promise<void>
  readonly stats: Readonly<PowerShellSessionStats>
}

type Envelope = { ok: true; value: unknown[] } | { ok: false; error: PowerShellFailure }

interface Host {
  shell: PowerShell
  exited: boolean
  pid: number | undefined
}

const defaultTimeoutMs = 120_000
const bootstrapTimeoutMs = 60_000
/** How much of each parameter value the debug log shows. */
const loggedValueLength = 200

const silent = () => {}
/**
 * node-powershell's shell (child-shell) logs every command line, our base64 payloads, through the
 * `debug` package to console.log whenever DEBUG names it (DEBUG=*), which would print secrets and
 * break JSON output. Its constructor builds those loggers with setDebuggers (private in its
 * types), so this subclass replaces that method: nothing of node-powershell's own is printed.
 */
class QuietPowerShell extends PowerShell {}
Object.defineProperty(QuietPowerShell.prototype, 'setDebuggers', {
  value: () => ({ comment: silent, command: silent, output: silent }),
})

/** Names of variables that hold a secret: the Graph token, client secrets, passwords, keys. */
const secretVariable =
  /TOKEN|SECRET|PASSW|CREDENTIAL|API_?KEY|PRIVATE_?KEY|CERTIFICATE_PATH|CONNECTION_?STRING/i

/** The environment a PowerShell child gets: this one without any variable that holds a secret. */
export function childEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !secretVariable.test(name)))
}

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

  const kill = (target: Host, why: string) => {
    if (host === target) host = null
    if (target.exited) return
    target.exited = true
    debug(`powershell: stopping process ${target.pid ?? '?'} (${why})`)
    target.shell.dispose('SIGKILL').catch(() => {})
  }

  const spawnHost = async (): Promise<Host> => {
    stats.processesStarted += 1
    const shell = new QuietPowerShell({
      executable,
      executableOptions: { '-NoProfile': true, '-NonInteractive': true },
      spawnOptions: {
        env: { ...childEnvironment(options.env ?? process.env), TERM: 'dumb', NO_COLOR: '1' },
        cwd: options.cwd,
      },
      throwOnInvocationError: false,
    })
    const child = (shell as unknown as { process: { pid?: number; once(e: string, f: () => void): void } })
      .process
    const started: Host = { shell, exited: false, pid: child.pid }
    child.once('exit', () => {
      started.exited = true
      if (host === started) host = null
      debug(`powershell: process ${started.pid ?? '?'} exited`)
    })
    shell.streams.stdin.on('error', () => {})
    shell.streams.stderr.on('data', (chunk: string | Buffer) => {
      for (const line of chunk.toString().split(/\r?\n/)) {
        // node-powershell writes a 16-character delimiter around every invocation.
        if (line.trim() !== '' && !/^[0-9A-Za-z]{16}$/.test(line.trim())) debug(`powershell stderr: ${line}`)
      }
    })
    debug(`powershell: started ${executable} process ${started.pid ?? '?'}`)
    try {
      const bootstrap = Buffer.from(hostScript, 'utf8').toString('base64')
      await exchange(
        started,
        `. ([ScriptBlock]::Create([System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${bootstrap}'))))`,
        bootstrapTimeoutMs,
      )
      const [version] = unwrap(
        await request(
          started,
          '__TeamsOAuthCall',
          { kind: 'script', script: '$PSVersionTable.PSVersion.ToString()' },
          bootstrapTimeoutMs,
        ),
        'bootstrap',
      )
      debug(`powershell: process ${started.pid ?? '?'} ready (PowerShell ${String(version)})`)
      if (options.setup) {
        const setup = options.setup
        debug(`powershell: setup ${describe('script', setup.params)}`)
        const envelope = await request(
          started,
          '. __TeamsOAuthSetup',
          { kind: 'setup', script: setup.script, params: toWire(setup.params) },
          setup.timeoutMs ?? options.timeoutMs ?? defaultTimeoutMs,
        )
        if (!envelope.ok) throw commandFailed('setup', envelope.error, { setup: true })
      }
    } catch (error) {
      kill(started, 'start failed')
      throw error
    }
    return started
  }

  const ensureHost = async (): Promise<Host> => {
    if (closed) throw new PowerShellError('POWERSHELL_UNAVAILABLE', 'the PowerShell session is closed')
    if (host && !host.exited) return host
    if (!starting) {
      starting = spawnHost().finally(() => {
        starting = null
      })
      host = await starting
      return host
    }
    return starting
  }

  /** Writes one fixed line and reads what the process printed for it; enforces the timeout. */
  const exchange = async (target: Host, line: string, timeoutMs: number): Promise<string> => {
    let timer: NodeJS.Timeout | undefined
    const invocation = target.shell.invoke(line)
    invocation.catch(() => {})
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        kill(target, 'timed out')
        reject(
          new PowerShellError(
            'POWERSHELL_TIMEOUT',
            `PowerShell did not answer within ${timeoutMs} ms; the process was stopped`,
            {
              timeoutMs,
            },
          ),
        )
      }, timeoutMs)
    })
    try {
      const result = await Promise.race([invocation, timeout])
      const stdout = result.stdout?.toString('utf8')
      if (stdout === undefined || target.exited) throw crashed(target)
      return stdout
    } catch (error) {
      if (error instanceof PowerShellError) throw error
      if (isMissingExecutable(error)) {
        throw new PowerShellError(
          'POWERSHELL_UNAVAILABLE',
          `PowerShell could not be started: '${executable}' was not found (install PowerShell 7 or pass another executable)`,
          { executable },
          { cause: error },
        )
      }
      throw crashed(target, error)
    } finally {
      clearTimeout(timer)
      // node-powershell keeps every command line (our payloads, secrets included) and its output: keep none
      target.shell.history.length = 0
    }
  }

  const crashed = (target: Host, cause?: unknown) => {
    kill(target, 'crashed')
    return new PowerShellError(
      'POWERSHELL_CRASHED',
      'the PowerShell process exited during the call; the next call starts a fresh one',
      { pid: target.pid ?? null },
      { cause },
    )
  }

  const request = async (
    target: Host,
    entry: '__TeamsOAuthCall' | '. __TeamsOAuthSetup',
    body: Record<string, unknown>,
    timeoutMs: number,
  ): Promise<Envelope> => {
    const marker = `TOA${randomBytes(12).toString('hex')}`
    const payload = Buffer.from(JSON.stringify({ ...body, marker }), 'utf8').toString('base64')
    // The only varying text: base64, which holds no quote character.
    const stdout = await exchange(target, `${entry} '${payload}'`, timeoutMs)
    return parseEnvelope(target, stdout, marker)
  }

  const parseEnvelope = (target: Host, stdout: string, marker: string): Envelope => {
    const start = stdout.indexOf(`${marker} `)
    const end = start < 0 ? -1 : stdout.indexOf(` ${marker}`, start + marker.length + 1)
    if (start < 0 || end < 0) {
      kill(target, 'no answer envelope')
      throw new PowerShellError(
        'POWERSHELL_PROTOCOL',
        'PowerShell printed no answer for the call; the process was stopped',
        {
          output: stdout.slice(0, 500),
        },
      )
    }
    const encoded = stdout.slice(start + marker.length + 1, end)
    try {
      return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Envelope
    } catch (cause) {
      kill(target, 'unreadable answer')
      throw new PowerShellError(
        'POWERSHELL_PROTOCOL',
        'PowerShell printed an unreadable answer',
        {},
        { cause },
      )
    }
  }

  const describe = (what: string, params: Parameters | undefined): string => {
    const shown: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(params ?? {})) {
      if (value === undefined) continue
      shown[name] =
        isSecret(value) || secretNames.has(name.toLowerCase())
          ? '***'
          : value instanceof Uint8Array
            ? `<${value.length} bytes>`
            : shortened(value)
    }
    return `${what} ${JSON.stringify(shown)}`
  }

  const call = (
    kind: 'command' | 'script',
    what: string,
    fields: { command?: string; script?: string },
    input: { params?: Parameters; select?: string[]; timeoutMs?: number },
  ): Promise<unknown[]> => {
    const params = toWire(input.params)
    return serialise(async () => {
      const target = await ensureHost()
      stats.calls += 1
      const began = Date.now()
      debug(`powershell: call ${describe(what, input.params)}`)
      const envelope = await request(
        target,
        '__TeamsOAuthCall',
        { kind, ...fields, params, select: input.select ?? null },
        input.timeoutMs ?? options.timeoutMs ?? defaultTimeoutMs,
      )
      debug(`powershell: ${what} ${envelope.ok ? 'ok' : 'failed'} in ${Date.now() - began} ms`)
      return unwrap(envelope, what)
    })
  }

  return {
    get stats() {
      return { ...stats }
    },
    invoke(request: PowerShellCall) {
      if (!cmdletNamePattern.test(request.command)) {
        throw new PowerShellError('INPUT_INVALID', `not a command name: ${JSON.stringify(request.command)}`)
      }
      return call('command', request.command, { command: request.command }, request)
    },
    run(script: PowerShellScript) {
      return call('script', 'script', { script: script.script }, script)
    },
    async start() {
      await serialise(ensureHost)
    },
    async close() {
      closed = true
      await tail
      const current = host
      host = null
      if (current && !current.exited) {
        current.exited = true
        await current.shell.dispose('SIGTERM').catch(() => {})
        debug(`powershell: closed process ${current.pid ?? '?'}`)
      }
    },
  }
}

function unwrap(envelope: Envelope, what: string): unknown[] {
  if (envelope.ok) return Array.isArray(envelope.value) ? envelope.value : []
  throw commandFailed(what, envelope.error)
}

function commandFailed(
  what: string,
  failure: PowerShellFailure,
  extra: Record<string, unknown> = {},
): PowerShellError {
  return new PowerShellError('POWERSHELL_COMMAND_FAILED', `${what}: ${failure.message}`, {
    command: what,
    ...failure,
    ...extra,
  })
}

/** A value as the debug log shows it: at most loggedValueLength characters of it, and its length. */
function shortened(value: CmdletValue): CmdletValue {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  if (text === undefined || text.length <= loggedValueLength) return value
  // Cut before a surrogate pair rather than through it.
  const cut = /[\uD800-\uDBFF]/.test(text.charAt(loggedValueLength - 1))
    ? loggedValueLength - 1
    : loggedValueLength
  return `${text.slice(0, cut)}… (${text.length} characters)`
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function toWire(params: Parameters | undefined): Record<string, CmdletValue> {
  const wire: Record<string, CmdletValue> = {}
  for (const [name, value] of Object.entries(params ?? {})) {
    if (!parameterNamePattern.test(name)) {
      throw new PowerShellError('INPUT_INVALID', `not a parameter name: ${JSON.stringify(name)}`)
    }
    if (value === undefined) continue
    wire[name] = toWireValue(isSecret(value) ? value.value : value, name)
  }
  return wire
}

/**
 * PowerShell reads the payload as UTF-8, which cannot hold half of a surrogate pair: such a string
 * would make it fail before it knows the call's marker, so it is refused here, naming the parameter.
 */
function toWireValue(value: CmdletValue | Uint8Array, parameter: string): CmdletValue {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') }
  if (Array.isArray(value)) return value.map((item) => toWireValue(item, parameter))
  if (typeof value === 'string') {
    if (loneSurrogate.test(value)) {
      throw new PowerShellError(
        'INPUT_INVALID',
        `the value of parameter ${parameter} holds a lone UTF-16 surrogate, which is not text and cannot be sent to PowerShell`,
        { parameter },
      )
    }
    return value
  }
  if (typeof value === 'object' && value !== null) {
    const record: Record<string, CmdletValue> = {}
    for (const [key, item] of Object.entries(value)) {
      if (loneSurrogate.test(key)) {
        throw new PowerShellError(
          'INPUT_INVALID',
          `a key in the value of parameter ${parameter} holds a lone UTF-16 surrogate, which is not text and cannot be sent to PowerShell`,
          { parameter },
        )
      }
      record[key] = toWireValue(item, parameter)
    }
    return record
  }
  return value
}

function isMissingExecutable(error: unknown): boolean {
  const original = (error as { originalError?: { code?: string } } | null)?.originalError
  return original?.code === 'ENOENT'
}
