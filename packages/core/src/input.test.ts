import { describe, expect, it } from 'vitest'
import { isTeamsOAuthError, type TeamsOAuthErrorOf } from './errors'
import { parseInput } from './input'

const failure = (input: unknown): TeamsOAuthErrorOf => {
  try {
    parseInput(input)
  } catch (error) {
    if (isTeamsOAuthError(error)) return error
    throw error
  }
  throw new Error('expected parseInput to fail')
}

describe('parseInput', () => {
  it('fills the documented defaults for account names and the Entra path', () => {
    expect(parseInput({ profile: 'teams', domain: 'Contoso.COM' })).toEqual({
      profile: 'teams',
      domain: 'contoso.com',
      accounts: { sfbonline: 'SfBOnline-ApplicationAccount', teams: 'TeamsScheduler' },
      entra: 'graph',
      dropExpiredKeys: false,
      allowPlainMailUser: false,
    })
  })

  it.each(['https://graph.invalid', 'https://graph.svc.sovcloud.fr', 'https://graph.microsoft.com\u2011'])(
    'refuses the Graph URL %s, naming the field, the problem and the fix',
    (graphUrl) => {
      expect(() => parseInput({ profile: 'teams', domain: 'contoso.com', graphUrl })).toThrow(
        expect.objectContaining({
          code: 'INPUT_INVALID',
          data: {
            issues: [
              expect.objectContaining({
                field: 'graphUrl',
                fix: expect.stringContaining('graph.microsoft.us'),
              }),
            ],
          },
        }),
      )
    },
  )

  it.each([
    ['domain', { profile: 'teams', domain: 'contoso' }, 'not a DNS name'],
    ['domain', { profile: 'teams', domain: 'contoso.com; rm -rf /' }, 'not a DNS name'],
    ['domain', { profile: 'teams' }, 'is required'],
    [
      'domainController',
      { profile: 'teams', domain: 'contoso.com', domainController: 'dc01' },
      'not a DNS name',
    ],
    ['profile', { profile: 'skype', domain: 'contoso.com' }, 'not a profile'],
    ['entra', { profile: 'teams', domain: 'contoso.com', entra: 'azuread' }, 'not an Entra path'],
    [
      'accounts.teams',
      { profile: 'teams', domain: 'contoso.com', accounts: { teams: "x'; Remove-Item" } },
      'not a usable account name',
    ],
  ])(
    'rejects a bad %s with INPUT_INVALID naming the field, the problem and the fix',
    (field, input, problem) => {
      const error = failure(input)
      expect(error.code).toBe('INPUT_INVALID')
      expect(error.message).toContain(`${field}: `)
      expect(error.message).toContain(problem)
      const issue = (error.data.issues as { field: string; fix: string }[]).find((i) => i.field === field)
      expect(issue?.fix).toMatch(/\w/)
      expect(issue?.fix).not.toBe('see teams-oauth --help')
    },
  )

  it('rejects unknown fields rather than ignoring a typo', () => {
    expect(
      failure({ profile: 'teams', domain: 'contoso.com', domainControler: 'dc01.contoso.com' }).message,
    ).toContain('domainControler')
  })
})

describe('parseInput of domain names', () => {
  it.each(['contoso.com', 'mail.contoso.co.uk', 'a-b.contoso.com', 'x1.contoso.museum', ' Contoso.COM '])(
    'accepts %s',
    (domain) => {
      expect(parseInput({ profile: 'teams', domain }).domain).toBe(domain.trim().toLowerCase())
    },
  )

  it.each([
    'contoso',
    'contoso.c',
    'contoso.c0m',
    'contoso.123',
    '-contoso.com',
    'contoso-.com',
    'con_toso.com',
    'contoso..com',
    `${'a'.repeat(64)}.com`,
    `${'a.'.repeat(126)}com`,
  ])('refuses %s as a DNS name', (domain) => {
    const error = failure({ profile: 'teams', domain })
    expect(error.data.issues).toEqual([expect.objectContaining({ field: 'domain' })])
    expect(error.message).toContain(`${JSON.stringify(domain)} is not a DNS name`)
  })

  it('names each unknown field, and says a missing field is required', () => {
    const unknown = failure({ profile: 'teams', domain: 'contoso.com', colour: 'red', size: 1 })
    expect(unknown.data.issues).toEqual([
      { field: 'colour, size', problem: expect.any(String), fix: 'see teams-oauth --help' },
    ])
    expect(unknown.message).toMatch(/^colour, size: .*; see teams-oauth --help$/)
    const missing = failure({ profile: 'teams' })
    expect(missing.data.issues).toEqual([
      expect.objectContaining({ field: 'domain', problem: 'is required' }),
    ])
    expect(failure('teams').data.issues).toEqual([expect.objectContaining({ field: '(input)' })])
  })
})
