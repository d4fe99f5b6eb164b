import { randomUUID } from 'node:crypto'
import { TeamsOAuthError } from '@teams-oauth/core'
import type { FakeTenant } from '@teams-oauth/fakes'
import { MB, readInputFile, writeFileAtomic } from './files'

/** The fake tenant kept between runs: its state and every write it has seen. */
interface StateFile {
  format: 'teams-oauth-fake-tenant'
  version: 1
  state: unknown
  changes: unknown[]
}

export interface LoadedFake {
  tenant: FakeTenant
  /** Writes the state file when there is one and anything is not on disk yet (a new file, a write). */
  save(): void
}

export const stateLimit = 50 * MB

const notState = (file: string) =>
  new TeamsOAuthError(
    'INPUT_INVALID',
    `state: ${file} is not a teams-oauth state file; give a new file name or one an earlier run wrote`,
    { field: 'state' },
  )

function readState(file: string): StateFile | null {
  const bytes = readInputFile(file, {
    field: 'state',
    maxBytes: stateLimit,
    code: 'INPUT_INVALID',
    fix: 'give a new file name or one an earlier run wrote',
  })
  if (!bytes) return null
  let document: StateFile
  try {
    document = JSON.parse(bytes.toString('utf8')) as StateFile
  } catch {
    // the parser's message quotes the file's first bytes: not repeated
    throw notState(file)
  }
  if (document?.format !== 'teams-oauth-fake-tenant' || !Array.isArray(document.changes)) throw notState(file)
  return document
}

/** Calls `after` once each call of every method of `port` has settled (a write may have landed). */
function observeCalls(port: object, after: () => void) {
  const methods = port as Record<string, unknown>
  for (const [name, method] of Object.entries(methods)) {
    if (typeof method !== 'function') continue
    methods[name] = (...args: unknown[]) => {
      let result: unknown
      try {
        result = method.apply(port, args)
      } catch (error) {
        after()
        throw error
      }
      if (result instanceof Promise)
        return result.then(
          (value) => {
            after()
            return value
          },
          (error: unknown) => {
            after()
            throw error
          },
        )
      after()
      return result
    }
  }
}

/**
 * Opens the fake tenant of a --state file (a new one when the file does not exist yet). The file is
 * saved after every write, before its answer goes back, so a killed run loses no write of the fake.
 */
export async function loadFake(
  file: string | undefined,
  env: Record<string, string | undefined>,
): Promise<LoadedFake> {
  const { createFakeTenant } = await import('@teams-oauth/fakes')
  const previous = file ? readState(file) : null
  let tenant: FakeTenant
  try {
    // a new state file is an organisation of its own; the unkept fake keeps the fixed ids of the default
    tenant = previous
      ? createFakeTenant({ state: previous.state as never })
      : createFakeTenant(
          file ? { ids: { organizationGuid: randomUUID(), tenantId: randomUUID() } } : undefined,
        )
  } catch (error) {
    if (error instanceof TeamsOAuthError && file) throw notState(file)
    throw error
  }
  // A testing aid: make the fake fail its Nth write, to watch a run fail and resume.
  const failWrite = Number(env.TEAMS_OAUTH_FAKE_FAIL_WRITE)
  if (Number.isInteger(failWrite) && failWrite > 0) tenant.faults.failWrite(failWrite)
  // …or make the PowerShell stand-in kill its own process at its Nth call (with --exchange fake-pwsh).
  const killSession = Number(env.TEAMS_OAUTH_FAKE_KILL_SESSION)
  if (Number.isInteger(killSession) && killSession > 0) tenant.faults.killSession({ atCall: killSession })
  // …or make its Nth Exchange write land and its answer die with the session (the stand-in kills itself).
  const loseAnswer = Number(env.TEAMS_OAUTH_FAKE_LOSE_ANSWER)
  if (Number.isInteger(loseAnswer) && loseAnswer > 0)
    tenant.faults.loseAnswer({ atExchangeWrite: loseAnswer, killSession: true })
  // …or interrupt this run (SIGINT, as Ctrl-C) right after the fake's Nth write lands.
  const interruptAt = Number(env.TEAMS_OAUTH_FAKE_INTERRUPT_WRITE)
  let saved = previous ? 0 : -1
  const save = () => {
    if (!file || saved === tenant.changes.length) return
    const document: StateFile = {
      format: 'teams-oauth-fake-tenant',
      version: 1,
      state: tenant.state(),
      changes: [...(previous?.changes ?? []), ...tenant.changes],
    }
    // not synced: a fake needs to survive a killed run, not a power cut
    writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`, 0o600, false)
    saved = tenant.changes.length
  }
  let interrupted = false
  const afterCall = () => {
    save()
    if (interruptAt > 0 && !interrupted && tenant.changes.length >= interruptAt) {
      interrupted = true
      process.kill(process.pid, 'SIGINT')
    }
  }
  for (const port of [tenant.exchange, tenant.entra, tenant.graph]) observeCalls(port, afterCall)
  const invokeCmdlet = tenant.invokeCmdlet
  tenant.invokeCmdlet = (call) =>
    invokeCmdlet(call).finally(() => {
      afterCall()
    })
  return { tenant, save }
}
