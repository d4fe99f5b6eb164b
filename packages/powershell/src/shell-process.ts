import { PowerShell, ProcessError } from 'node-powershell'
import { PowerShellError } from './errors'

/**
 * The one place that knows node-powershell. Everything here goes through its public API, except
 * one gap it leaves open, closed by QuietPowerShell below.
 */

export interface ShellProcessOptions {
  executable: string
  env: NodeJS.ProcessEnv
  cwd?: string
  debug: (message: string) => void
}

/** A PowerShell process that takes one line of fixed text at a time and answers with its stdout. */
export interface ShellProcess {
  /** True once the process has exited or was stopped. */
  readonly exited: boolean
  /** Set once known (PowerShell's own $PID, see setPid); for the debug log and crash reports. */
  readonly pid: number | null
  setPid(pid: number): void
  /** Writes one line and resolves to what the process printed for it; enforces the timeout. */
  exchange(line: string, timeoutMs: number): Promise<string>
  /** Stops the process now (SIGKILL): a call that timed out or a process in an unknown state. */
  kill(why: string): void
  /** Ends the process gently (SIGTERM) and waits for it. */
  close(): Promise<void>
  /** Called once, when the process exits or is stopped. */
  onExit(listener: () => void): void
}

const silent = () => {}
/**
 * The gap: child-shell (node-powershell's base) logs every command line, our base64 payloads
 * included, through the `debug` package to console.log whenever DEBUG names it (DEBUG=*). That
 * would print secrets and break JSON output, and no option turns it off (`debug: false` only
 * leaves DEBUG alone). Its constructor builds those loggers with setDebuggers, private in its
 * types, so this subclass replaces that one method, and nothing of node-powershell's own is
 * printed. Tested by "prints nothing of node-powershell's own debug output, even with DEBUG=*".
 */
class QuietPowerShell extends PowerShell {}
Object.defineProperty(QuietPowerShell.prototype, 'setDebuggers', {
  value: () => ({ comment: silent, command: silent, output: silent }),
})

/** node-powershell writes a 16-character delimiter line around every invocation, on stderr too. */
const delimiterLine = /^[0-9A-Za-z]{16}$/

export function openShellProcess(options: ShellProcessOptions): ShellProcess {
  const { executable, debug } = options
  const shell = new QuietPowerShell({
    executable,
    executableOptions: { '-NoProfile': true, '-NonInteractive': true },
    spawnOptions: { env: options.env, cwd: options.cwd },
    throwOnInvocationError: false,
  })
  let exited = false
  let pid: number | null = null
  const exitListeners: (() => void)[] = []
  const markExited = () => {
    if (exited) return
    exited = true
    for (const listener of exitListeners.splice(0)) listener()
  }
  // stdout closes when the process exits (or could not be started)
  shell.streams.stdout.once('close', () => {
    if (!exited) debug(`powershell: process ${pid ?? '?'} exited`)
    markExited()
  })
  shell.streams.stdin.on('error', () => {})
  shell.streams.stderr.on('data', (chunk: string | Buffer) => {
    for (const line of chunk.toString().split(/\r?\n/)) {
      if (line.trim() !== '' && !delimiterLine.test(line.trim())) debug(`powershell stderr: ${line}`)
    }
  })

  const crashed = (cause?: unknown) => {
    handle.kill('crashed')
    return new PowerShellError(
      'POWERSHELL_CRASHED',
      'the PowerShell process exited during the call; the next call starts a fresh one',
      { pid },
      { cause },
    )
  }

  const handle: ShellProcess = {
    get exited() {
      return exited
    },
    get pid() {
      return pid
    },
    setPid(value: number) {
      pid = value
    },
    onExit(listener: () => void) {
      if (exited) listener()
      else exitListeners.push(listener)
    },
    kill(why: string) {
      if (exited) return
      debug(`powershell: stopping process ${pid ?? '?'} (${why})`)
      markExited()
      shell.dispose('SIGKILL').catch(() => {})
    },
    async close() {
      if (exited) return
      markExited()
      await shell.dispose('SIGTERM').catch(() => {})
    },
    async exchange(line: string, timeoutMs: number): Promise<string> {
      let timer: NodeJS.Timeout | undefined
      const invocation = shell.invoke(line)
      invocation.catch(() => {})
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          handle.kill('timed out')
          reject(
            new PowerShellError(
              'POWERSHELL_TIMEOUT',
              `PowerShell did not answer within ${timeoutMs} ms; the process was stopped`,
              { timeoutMs },
            ),
          )
        }, timeoutMs)
      })
      try {
        const result = await Promise.race([invocation, timeout])
        const stdout = result.stdout?.toString('utf8')
        if (stdout === undefined || exited) throw crashed()
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
        throw crashed(error)
      } finally {
        clearTimeout(timer)
        // node-powershell keeps every command line (our payloads, secrets included) and its output
        // in its public `history`: keep none
        shell.history.length = 0
      }
    },
  }
  return handle
}

function isMissingExecutable(error: unknown): boolean {
  if (!(error instanceof ProcessError)) return false
  return (error.originalError as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}
