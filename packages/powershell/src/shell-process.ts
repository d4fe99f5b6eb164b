import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { PowerShellError } from './errors'

/**
 * The PowerShell process itself: started with `-Command -`, it reads fixed lines of PowerShell from
 * stdin. The session's protocol (protocol.ts, host-script.ts) writes one line per request and finds
 * its answer on stdout by the request's marker.
 *
 * This replaces node-powershell, which the session used to host the process: node-powershell
 * wrote five lines per call (delimiters around each command on stdout and stderr), each one
 * parsed and run by PowerShell's console loop, which cost as much as the call itself; it logged
 * every command line (payloads, secrets included) through `debug` whenever DEBUG named it, with
 * no option to turn that off; and it kept every command line in its history. The session needed
 * three of its private parts to work around that.
 */

export interface ShellProcessOptions {
  executable: string
  env: NodeJS.ProcessEnv
  cwd?: string
  debug: (message: string) => void
}

/** A PowerShell process that takes one line at a time and answers with one marked line of stdout. */
export interface ShellProcess {
  /** True once the process has exited or was stopped. */
  readonly exited: boolean
  readonly pid: number | null
  /** Writes a line and does not wait for an answer (a line that prints none). */
  write(line: string): void
  /**
   * Writes a line and resolves to the text between `<marker> ` and ` <marker>` on stdout; enforces
   * the timeout (stopping the process), and rejects when the process exits first.
   */
  send(line: string, marker: string, timeoutMs: number): Promise<string>
  /** Stops the process now (SIGKILL): a call that timed out or a process in an unknown state. */
  kill(why: string): void
  /** Ends the process gently (end of input, then SIGTERM) and waits for it. */
  close(): Promise<void>
  /** Called once, when the process exits or is stopped. */
  onExit(listener: () => void): void
}

interface Pending {
  marker: string
  resolve(answer: string): void
  reject(error: unknown): void
}

/** What stdout may hold that is no answer (host output, noise) before a call's answer begins. */
const maxNoise = 1_000_000
const closeGraceMs = 3_000

export function openShellProcess(options: ShellProcessOptions): ShellProcess {
  const { executable, debug } = options
  const child: ChildProcessWithoutNullStreams = spawn(
    executable,
    ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '-'],
    { env: options.env, cwd: options.cwd, stdio: 'pipe', windowsHide: true },
  )
  let exited = false
  let failure: PowerShellError | null = null
  let pending: Pending | null = null
  let stdout = ''
  const exitListeners: (() => void)[] = []
  const pid = child.pid ?? null

  const crashed = (cause?: unknown) =>
    new PowerShellError(
      'POWERSHELL_CRASHED',
      'the PowerShell process exited during the call; the next call starts a fresh one',
      { pid },
      { cause },
    )
  const markExited = (error: PowerShellError) => {
    if (exited) return
    exited = true
    failure ??= error
    const waiting = pending
    pending = null
    waiting?.reject(failure)
    for (const listener of exitListeners.splice(0)) listener()
  }

  child.on('error', (error: NodeJS.ErrnoException) => {
    const missing = error.code === 'ENOENT'
    markExited(
      missing
        ? new PowerShellError(
            'POWERSHELL_UNAVAILABLE',
            `PowerShell could not be started: '${executable}' was not found (install PowerShell 7 or pass another executable)`,
            { executable },
            { cause: error },
          )
        : crashed(error),
    )
  })
  child.on('exit', () => {
    if (!exited) debug(`powershell: process ${pid ?? '?'} exited`)
    markExited(crashed())
  })
  child.stdin.on('error', () => {})
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk
    const waiting = pending
    if (!waiting) {
      if (stdout.length > maxNoise) stdout = ''
      return
    }
    const start = stdout.indexOf(`${waiting.marker} `)
    if (start < 0) {
      // keep a tail long enough to hold the start of the marker
      if (stdout.length > maxNoise) stdout = stdout.slice(-waiting.marker.length)
      return
    }
    const end = stdout.indexOf(` ${waiting.marker}`, start + waiting.marker.length + 1)
    if (end < 0) return
    const answer = stdout.slice(start + waiting.marker.length + 1, end)
    stdout = stdout.slice(end + waiting.marker.length + 1)
    pending = null
    waiting.resolve(answer)
  })
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    for (const line of chunk.split(/\r?\n/)) if (line.trim() !== '') debug(`powershell stderr: ${line}`)
  })

  const handle: ShellProcess = {
    get exited() {
      return exited
    },
    pid,
    onExit(listener) {
      if (exited) listener()
      else exitListeners.push(listener)
    },
    write(line) {
      if (!exited) child.stdin.write(`${line}\n`)
    },
    send(line, marker, timeoutMs) {
      if (exited) return Promise.reject(failure ?? crashed())
      if (pending) return Promise.reject(new Error('one request at a time'))
      stdout = ''
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          const error = new PowerShellError(
            'POWERSHELL_TIMEOUT',
            `PowerShell did not answer within ${timeoutMs} ms; the process was stopped`,
            { timeoutMs },
          )
          failure ??= error
          handle.kill('timed out')
        }, timeoutMs)
        pending = {
          marker,
          resolve: (answer) => {
            clearTimeout(timer)
            resolve(answer)
          },
          reject: (error) => {
            clearTimeout(timer)
            reject(error)
          },
        }
        child.stdin.write(`${line}\n`)
      })
    },
    kill(why) {
      if (exited) return
      debug(`powershell: stopping process ${pid ?? '?'} (${why})`)
      markExited(crashed())
      child.kill('SIGKILL')
    },
    async close() {
      if (exited) return
      const gone = new Promise<void>((resolve) => handle.onExit(resolve))
      // the end of input ends PowerShell's loop, and PowerShell with it
      child.stdin.end()
      const timer = setTimeout(() => child.kill('SIGTERM'), closeGraceMs)
      await gone
      clearTimeout(timer)
    },
  }
  return handle
}
