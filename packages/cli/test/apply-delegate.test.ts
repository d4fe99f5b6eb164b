import { join } from 'node:path'
import { apply, buildRunbook, plan } from '@teams-oauth/core'
import { createFakeTenant, type FakeState, scenarios } from '@teams-oauth/fakes'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { stateFile } from './org-state'
import { keptFake, runCli, stateOf, tempDir } from './run-cli'

const pwsh = pwshTestGate()

/** Contoso configured for Teams, bob holding Owner only on alice's calendar, alice's mailbox in Japanese. */
async function ownerOnlyJapanese(dir: string): Promise<string> {
  const tenant = createFakeTenant(
    scenarios.combine(scenarios.delegateOwnerOnly(), {
      customize: (state) => {
        const alice = state.exchange.mailboxes.find((m) => m.alias === 'alice')!
        alice.language = 'ja-JP'
        alice.calendar.name = '予定表'
      },
    }),
  )
  await apply(await plan(buildRunbook({ profile: 'teams', domain: 'contoso.com' }), tenant), tenant)
  return stateFile({ customize: (s) => Object.assign(s, tenant.state()) }, dir)
}

const bobOnAlice = (file: string) =>
  (stateOf(file).state as FakeState).exchange.mailboxes
    .find((m) => m.alias === 'alice')!
    .calendar.permissions.find((p) => p.user === 'bob')?.accessRights

describe.runIf(pwsh.run)('apply --delegate bob --delegator alice through the stand-in', () => {
  it('makes an Owner-only pair Editor on the calendar found by type; verify passes; rollback restores Owner', async () => {
    const dir = tempDir()
    const state = await ownerOnlyJapanese(dir)
    const journal = join(dir, 'journal.json')
    const { common, targets } = keptFake({ exchange: 'fake-pwsh', state })
    const pair = ['--delegate', 'bob', '--delegator', 'alice']
    expect(bobOnAlice(state)).toEqual(['Owner'])

    const planned = await runCli(['plan', ...common, ...pair])
    expect(planned.stdout).toContain(
      "Set-MailboxFolderPermission -Identity 'alice:\\予定表' -User 'bob' -AccessRights 'Editor'",
    )
    expect(planned.stdout).toContain("Outlook's Delegate Access")
    expect(planned.stdout).toContain('File > Account Settings > Delegate Access')
    expect(planned.stdout).not.toContain('SharingPermissionFlags')

    const applied = await runCli(['apply', ...common, ...pair, '--journal', journal, '--yes'])
    expect(applied.code).toBe(0)
    expect(applied.stdout).toContain('Applied 1 change(s)')
    expect(bobOnAlice(state)).toEqual(['Editor'])

    const verified = await runCli(['verify', ...common, ...pair])
    expect(verified.code).toBe(0)

    const undone = await runCli(['rollback', '--journal', journal, ...targets, '--yes'])
    expect(undone.code).toBe(0)
    expect(bobOnAlice(state)).toEqual(['Owner'])
    expect((await runCli(['verify', ...common, ...pair])).code).toBe(3)
  }, 180_000)

  it('blocks the plan, changing nothing, when the delegate is unknown', async () => {
    const dir = tempDir()
    const state = await ownerOnlyJapanese(dir)
    const run = await runCli([
      'apply',
      ...keptFake({ state }).common,
      '--delegate',
      'nobody',
      '--delegator',
      'alice',
      '--journal',
      join(dir, 'j.json'),
      '--yes',
    ])
    expect(run.code).toBe(1)
    expect(run.stdout + run.stderr).toContain('Exchange knows no recipient nobody')
    expect(bobOnAlice(state)).toEqual(['Owner'])
  })
})
