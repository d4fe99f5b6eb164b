import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { TeamsOAuthError } from '@teams-oauth/core'
import type { FakeTenant } from '@teams-oauth/fakes'

/** The fake tenant kept between runs: its state and every write it has seen. */
interface StateFile {
  format: 'teams-oauth-fake-tenant'
  version: 1
  state: unknown
  changes: unknown[]
}

export interface LoadedFake {
  tenant: FakeTenant
  save(): void
}

export function writeFileAtomic(file: string, text: string) {
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, text)
  renameSync(temporary, file)
}

/** Opens the fake tenant of a --state file (a new one when the file does not exist yet). */
export async function loadFake(
  file: string | undefined,
  env: Record<string, string | undefined>,
): Promise<LoadedFake> {
  const { createFakeTenant } = await import('@teams-oauth/fakes')
  let previous: StateFile | null = null
  if (file && existsSync(file)) {
    try {
      previous = JSON.parse(readFileSync(file, 'utf8')) as StateFile
    } catch (error) {
      throw new TeamsOAuthError(
        'INPUT_INVALID',
        `state: ${file} is not a teams-oauth state file (${(error as Error).message})`,
        {
          field: 'state',
        },
      )
    }
    if (previous?.format !== 'teams-oauth-fake-tenant')
      throw new TeamsOAuthError(
        'INPUT_INVALID',
        `state: ${file} is not a teams-oauth state file; give a new file name or one an earlier run wrote`,
        {
          field: 'state',
        },
      )
  }
  // a new state file is an organisation of its own; the unkept fake keeps the fixed ids of the default
  const tenant = previous
    ? createFakeTenant({ state: previous.state as never })
    : createFakeTenant(file ? { ids: { organizationGuid: randomUUID(), tenantId: randomUUID() } } : undefined)
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
  return {
    tenant,
    save() {
      if (!file) return
      const document: StateFile = {
        format: 'teams-oauth-fake-tenant',
        version: 1,
        state: tenant.state(),
        changes: [...(previous?.changes ?? []), ...tenant.changes],
      }
      writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`)
    },
  }
}
