import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Journal } from '@teams-oauth/core'
import { sealJournal } from '@teams-oauth/core/adapter'
import { createFakeTenant, scenarios } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { runCli, stateOf, tempDir } from './run-cli'

const targets = ['--exchange', 'fake', '--entra', 'fake']
const all = ['--profile', 'all', '--domain', 'contoso.com', ...targets]

/** A state file of an organisation that already had the 2019 setup, with ids of its own. */
function legacyOrganisation(file: string) {
  const tenant = createFakeTenant({
    ...scenarios.legacyOnly(),
    ids: {
      organizationGuid: 'a3c1e2f4-7b6d-4e5f-8a9b-0c1d2e3f4a5b',
      tenantId: 'b4d2f3a5-8c7e-4f6a-9bac-1d2e3f4a5b6c',
    },
  })
  writeFileSync(
    file,
    `${JSON.stringify({ format: 'teams-oauth-fake-tenant', version: 1, state: tenant.state(), changes: [] })}\n`,
  )
}

const organisationOf = (file: string) => {
  const { state } = stateOf(file) as {
    state: { exchange: { organization: { guid: string } }; entra: { tenantId: string } }
  }
  return { guid: state.exchange.organization.guid, tenantId: state.entra.tenantId }
}

describe('a journal bound to its organisation', () => {
  it('names, in its header, the Exchange organisation and the tenant it changed', async () => {
    const dir = tempDir()
    const state = join(dir, 'tenant.json')
    const journal = join(dir, 'j.json')
    expect((await runCli(['apply', ...all, '--state', state, '--journal', journal, '--yes'])).code).toBe(0)
    const written = JSON.parse(readFileSync(journal, 'utf8')) as Journal
    const own = organisationOf(state)
    expect(written.version).toBe(2)
    expect(written.organisation).toEqual({
      exchange: { guid: own.guid, name: 'Contoso' },
      entra: { tenantId: own.tenantId },
    })
  })

  it('gives each new state file an organisation of its own', async () => {
    const dir = tempDir()
    for (const name of ['a.json', 'b.json'])
      expect((await runCli(['plan', ...all, '--state', join(dir, name)])).code).toBe(0)
    const [a, b] = [organisationOf(join(dir, 'a.json')), organisationOf(join(dir, 'b.json'))]
    expect(a.guid).not.toBe(b.guid)
    expect(a.tenantId).not.toBe(b.tenantId)
  })

  it("refuses (exit 2, nothing changed) to append a trial's journal to, or roll it back on, an organisation that had the 2019 setup", async () => {
    const dir = tempDir()
    const journal = join(dir, 'teams-oauth-journal.json')
    const trial = join(dir, 'tenant.json')
    const real = join(dir, 'real-org.json')
    expect((await runCli(['apply', ...all, '--state', trial, '--journal', journal, '--yes'])).code).toBe(0)
    legacyOrganisation(real)
    const before = stateOf(real).state
    const journalBefore = readFileSync(journal, 'utf8')

    const appended = await runCli(['apply', ...all, '--state', real, '--journal', journal, '--yes'])
    expect(appended.code).toBe(2)
    expect(appended.stderr).toMatch(/not to the Exchange organisation Contoso \(a3c1e2f4-/)
    expect(appended.stderr).toContain('Nothing was changed.')

    const rolledBack = await runCli(['rollback', ...targets, '--state', real, '--journal', journal, '--yes'])
    expect(rolledBack.code).toBe(2)
    expect(rolledBack.stderr).toContain('Nothing was changed.')

    expect(stateOf(real).changes).toEqual([])
    expect(stateOf(real).state).toEqual(before)
    expect(readFileSync(journal, 'utf8')).toBe(journalBefore)
  })

  it('refuses a tampered journal before any change, and shows the Guid of what it would undo otherwise', async () => {
    const dir = tempDir()
    const state = join(dir, 's.json')
    const journal = join(dir, 'j.json')
    expect((await runCli(['apply', ...all, '--state', state, '--journal', journal, '--yes'])).code).toBe(0)
    const written = JSON.parse(readFileSync(journal, 'utf8')) as Journal
    const preview = await runCli([
      'rollback',
      ...targets,
      '--state',
      state,
      '--journal',
      journal,
      '--what-if',
    ])
    const user = written.entries.find(
      (e) => e.action.system === 'exchange' && e.action.cmdlet === 'New-MailUser',
    )!
    const guid = (user.result as { Guid: string }[])[0]!.Guid
    expect(preview.stdout).toContain(`mail user SfBOnline-ApplicationAccount (${guid})`)

    const hybrid = (
      stateOf(state).state as { exchange: { mailUsers: { name: string; guid: string }[] } }
    ).exchange.mailUsers.find((u) => u.name === 'Exchange Online-ApplicationAccount')!
    const tampered: [string, (j: Journal) => void][] = [
      ['reordered', (j) => j.entries.reverse()],
      [
        'pointed at the hybrid account, hash recomputed',
        (j) => {
          const entry = j.entries.find((e) => e.seq === user.seq)!
          ;(entry.result as { Guid: string }[])[0]!.Guid = hybrid.guid
          for (const undo of entry.undo) if (undo.system === 'exchange') undo.params.Identity = hybrid.guid
          sealJournal(j)
        },
      ],
      [
        'undo swapped',
        (j) => {
          const [a, b] = j.entries.filter(
            (e) => e.action.system === 'exchange' && e.action.cmdlet === 'New-PartnerApplication',
          )
          ;[a!.undo, b!.undo] = [b!.undo, a!.undo]
        },
      ],
    ]
    const configured = readFileSync(state, 'utf8')
    for (const [name, tamper] of tampered) {
      const copy = JSON.parse(JSON.stringify(written)) as Journal
      tamper(copy)
      const file = join(dir, `tampered-${name.replace(/\W+/g, '-')}.json`)
      writeFileSync(file, JSON.stringify(copy))
      const run = await runCli(['rollback', ...targets, '--state', state, '--journal', file, '--yes'])
      expect(run.code, name).toBe(2)
      expect(run.stderr, name).toContain('Nothing was changed.')
      expect(readFileSync(state, 'utf8'), name).toBe(configured)
    }
  })

  it('refuses one account for both profiles as bad input, before anything is read', async () => {
    const dir = tempDir()
    const state = join(dir, 's.json')
    const run = await runCli([
      'apply',
      ...all,
      '--state',
      state,
      '--teams-account',
      'X',
      '--sfbonline-account',
      'X',
      '--yes',
    ])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(
      /accounts: the Teams account and the Skype for Business Online account are both "X"/,
    )
    expect(run.stderr).toContain('Nothing was changed.')
  })

  it('refuses a journal of the earlier version, saying what to do', async () => {
    const dir = tempDir()
    const file = join(dir, 'old.json')
    writeFileSync(file, JSON.stringify({ format: 'teams-oauth-journal', version: 1, entries: [] }))
    const run = await runCli(['rollback', ...targets, '--journal', file, '--yes'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/version 1 was written by an earlier teams-oauth/)
  })
})
