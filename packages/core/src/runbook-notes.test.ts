import { describe, expect, it } from 'vitest'
import { buildRunbook } from './runbook'
import { runbookNotes } from './runbook-notes'

type Input = Parameters<typeof buildRunbook>[0]
const notesOf = (input: Partial<Input>) =>
  runbookNotes(buildRunbook({ profile: 'teams', domain: 'contoso.com', ...input } as Input).input)

const hybrid =
  /^hybrid OAuth between Exchange and Exchange Online .* is a prerequisite this does not check: run teams-oauth doctor/
const unpinned =
  /^no --domain-controller: Microsoft's procedure pins every Exchange command to one domain controller/
const healthChecker =
  /^Exchange's Health Checker rates this configuration Red: only the legacy Skype for Business Online partner application/

describe('runbookNotes', () => {
  it('always says hybrid OAuth is not checked, and asks for a domain controller when none is pinned', () => {
    const notes = notesOf({})
    expect(notes).toHaveLength(2)
    expect(notes[0]).toMatch(hybrid)
    expect(notes[1]).toMatch(unpinned)
  })

  it('says nothing of domain controllers once one is pinned', () => {
    const notes = notesOf({ domainController: 'dc01.contoso.com' })
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatch(hybrid)
  })

  it('warns that the sfbonline profile alone is rated Red by Health Checker, and only that profile', () => {
    expect(notesOf({ profile: 'sfbonline', domainController: 'dc01.contoso.com' })[1]).toMatch(healthChecker)
    for (const profile of ['teams', 'all'] as const)
      expect(notesOf({ profile }).some((n) => healthChecker.test(n))).toBe(false)
  })

  it('names the cloud where Microsoft does not support the feature, on the Graph path only', () => {
    const gcch = notesOf({ graphUrl: 'https://graph.microsoft.us', domainController: 'dc01.contoso.com' })
    expect(gcch).toHaveLength(2)
    expect(gcch[1]).toMatch(
      /^GCC High \(US Government L4\): Microsoft does not support delegated Teams meeting scheduling/,
    )
    const china = notesOf({
      graphUrl: 'https://microsoftgraph.chinacloudapi.cn',
      domainController: 'dc01.contoso.com',
    })
    expect(china[1]).toMatch(/^Microsoft Cloud China \(21Vianet\): /)
    expect(
      notesOf({ graphUrl: 'https://graph.microsoft.com', domainController: 'dc01.contoso.com' }),
    ).toHaveLength(1)
    // the MSOnline path has no Graph URL to judge
    const input = buildRunbook({
      profile: 'teams',
      domain: 'contoso.com',
      domainController: 'dc01.contoso.com',
    }).input
    expect(runbookNotes({ ...input, entra: 'msol', graphUrl: 'https://graph.microsoft.us' })).toHaveLength(1)
    expect(runbookNotes({ ...input, entra: 'graph', graphUrl: 'https://graph.microsoft.us' })).toHaveLength(2)
  })
})
