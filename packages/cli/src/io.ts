/** Where a command writes and what it knows of its environment; tests pass their own. */
export interface CliIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: Record<string, string | undefined>
  /** Whether a person sits at the terminal (stdin and stderr are TTYs). */
  interactive: boolean
  /** Asks a yes/no question on the terminal; only called when interactive. */
  confirm: (question: string) => Promise<boolean>
  cwd: string
}

export const exitCodes = {
  /** done, or already in the desired state */
  ok: 0,
  /** failed while running */
  failed: 1,
  /** bad input or usage; nothing changed */
  usage: 2,
  /** verify or doctor found something not in the desired state */
  notInDesiredState: 3,
} as const

export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    cwd: process.cwd(),
    async confirm(question) {
      const { createInterface } = await import('node:readline/promises')
      const rl = createInterface({ input: process.stdin, output: process.stderr })
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim())
      } finally {
        rl.close()
      }
    },
  }
}

/** Colour only for a person at a terminal, and never with NO_COLOR set. */
export function paint(io: CliIO, isTTY: boolean) {
  const on = isTTY && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '') && io.env.TERM !== 'dumb'
  const wrap = (code: number) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text)
  return { green: wrap(32), red: wrap(31), yellow: wrap(33), dim: wrap(2), bold: wrap(1) }
}
