import { scenarios } from '@teams-oauth/fakes'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { stateFile } from './org-state'
import { fake, runCli } from './run-cli'

const profiles = ['teams', 'sfbonline', 'all']

/** Every scenario the fakes offer, each with its defaults (a small large organisation). */
const every = Object.entries(scenarios).flatMap(([name, make]) => {
  if (name === 'combine') return []
  if (name === 'largeOrganisation')
    return [[name, () => scenarios.largeOrganisation({ mailboxes: 12 })] as const]
  return [[name, make as () => Parameters<typeof stateFile>[0]] as const]
})

interface Verified {
  steps: { id: string; status: string }[]
}
interface Doctored {
  checks: { step?: string; status: string }[]
}

/** verify and doctor on one organisation, through the CLI: one verdict per step, and exit codes as DESIGN says. */
async function expectAgreement(state: string, profile: string, exchange: 'fake' | 'fake-pwsh') {
  const args = ['--exchange', exchange, '--entra', 'fake', '--state', state, '--profile', profile]
  const common = [...args, '--domain', 'contoso.com', '--json', '--delegate', 'bob', '--delegator', 'alice']
  const verify = await runCli(['verify', ...common])
  const doctor = await runCli(['doctor', ...common])
  // verify reports per step whatever it finds (a missing service principal included): never exit 1
  expect([verify.code, doctor.code], `${verify.stderr}${doctor.stderr}`).toEqual([
    expect.toBeOneOf([0, 3]),
    expect.toBeOneOf([0, 3]),
  ])
  const verified = JSON.parse(verify.stdout) as Verified
  const doctored = JSON.parse(doctor.stdout) as Doctored
  const named = doctored.checks.filter((c) => c.step)
  expect(named.map((c) => [c.step, c.status])).toEqual(
    verified.steps.map((s) => [s.id, s.status === 'ok' ? 'pass' : 'fail']),
  )
  // doctor checks more than verify: it may find more wrong, never less
  if (verify.code === 3) expect(doctor.code).toBe(3)
  if (doctor.code === 0) expect(verify.code).toBe(0)
}

const pwsh = pwshTestGate()

describe('teams-oauth verify and doctor agree on every fake organisation', () => {
  describe.each(every)('%s', (_name, seed) => {
    it.each(profiles)('profile %s (--exchange fake)', (profile) =>
      expectAgreement(stateFile(seed()), profile, 'fake'),
    )
  })

  // a real pwsh per run costs seconds: the organisations where the adapter's reading matters most
  describe.runIf(pwsh.run)('through the Exchange adapter and pwsh (--exchange fake-pwsh)', () => {
    it.each(['fresh', 'missingServicePrincipal', 'linkedToAnotherAccount'] as const)(
      '%s, profile all',
      (name) => expectAgreement(stateFile(scenarios[name]()), 'all', 'fake-pwsh'),
      120_000,
    )
  })

  it('a missing service principal: verify reports the failed step and exits 3, as doctor does', async () => {
    const appId = '7557eb47-c689-4224-abcf-aef9bd7573df'
    const state = stateFile(scenarios.missingServicePrincipal(appId))
    const args = [...fake, '--state', state, '--profile', 'teams', '--domain', 'contoso.com']
    const verify = await runCli(['verify', ...args])
    expect(verify.code).toBe(3)
    expect(verify.stdout).toContain(`service principal of Teams Calendar Scheduler (${appId})`)
    expect(verify.stdout).toContain('does not exist in this tenant')
    // a step that could not be checked reads as such, not as a drift with a wanted state
    expect(verify.stdout).toMatch(/✗ failed .*Teams Calendar Scheduler.*: could not be checked: /)
    const doctor = await runCli(['doctor', ...args])
    expect(doctor.code).toBe(3)
    expect(doctor.stdout).toMatch(
      /✗ fail {2}Auth certificate on the service principal of Teams Calendar Scheduler/,
    )
  })
})
