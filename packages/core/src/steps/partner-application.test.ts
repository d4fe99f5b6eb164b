import { describe, expect, it } from 'vitest'
import type { ValidInput } from '../input'
import type { Targets } from '../ports'
import { partnerApplication } from './partner-application'
import { identityName, type StepContext, sameName } from './step'

const teams = '7557eb47-c689-4224-abcf-aef9bd7573df'
const step = {
  kind: 'partnerApplication' as const,
  id: 'partnerApplication.TeamsScheduler',
  name: 'TeamsScheduler',
  applicationIdentifier: teams,
  linkedAccount: 'TeamsScheduler' as string | null,
}
const context = (accounts: Record<string, string> = {}): StepContext => ({
  input: {} as ValidInput,
  targets: {} as Targets,
  now: new Date(),
  certificates: [],
  accounts,
})
const app = (fields: { Name?: string; Enabled?: boolean; LinkedAccount?: string | null } = {}) =>
  ({
    Name: 'TeamsScheduler',
    ApplicationIdentifier: teams,
    Enabled: true,
    LinkedAccount: 'contoso.com/Users/TeamsScheduler',
    ...fields,
  }) as never

describe('the partner application step decides', () => {
  it('to change nothing for an enabled application acting as the account', () => {
    expect(partnerApplication.decide(step, { app: app(), nameTaken: null }, context())).toEqual({
      desired: 'enabled, linked to TeamsScheduler',
      actual: 'TeamsScheduler: enabled, linked to contoso.com/Users/TeamsScheduler',
      actions: [],
      notes: [],
    })
  })

  it('to enable a disabled one, without touching its link', () => {
    const decision = partnerApplication.decide(
      step,
      { app: app({ Enabled: false }), nameTaken: null },
      context(),
    )
    expect(decision.actual).toBe('TeamsScheduler: disabled, linked to contoso.com/Users/TeamsScheduler')
    expect(decision.actions).toEqual([
      {
        reason: 'TeamsScheduler is disabled',
        action: {
          system: 'exchange',
          cmdlet: 'Set-PartnerApplication',
          params: { Identity: 'TeamsScheduler', Enabled: true },
        },
      },
    ])
  })

  it('to link one acting as no account to the account of this run', () => {
    const decision = partnerApplication.decide(
      step,
      { app: app({ LinkedAccount: null }), nameTaken: null },
      context({ teamsscheduler: 'Legacy' }),
    )
    expect(decision.desired).toBe('enabled, linked to Legacy')
    expect(decision.actual).toBe('TeamsScheduler: enabled')
    expect(decision.actions).toEqual([
      {
        reason: 'TeamsScheduler acts as no account',
        action: {
          system: 'exchange',
          cmdlet: 'Set-PartnerApplication',
          params: { Identity: 'TeamsScheduler', Enabled: true, LinkedAccount: 'Legacy' },
        },
      },
    ])
  })

  it('to leave linked as it is one acting as another account, and say so', () => {
    const decision = partnerApplication.decide(
      step,
      { app: app({ LinkedAccount: 'contoso.com/Users/Someone' }), nameTaken: null },
      context(),
    )
    expect(decision.actions).toEqual([])
    expect(decision.notes).toEqual([
      'TeamsScheduler acts as contoso.com/Users/Someone, not TeamsScheduler; left as it is (re-link it by hand if that account is wrong)',
    ])
  })

  it('to want no link for an application without an account, and enable it whatever it acts as', () => {
    const unlinked = { ...step, linkedAccount: null }
    const decision = partnerApplication.decide(
      unlinked,
      { app: app({ LinkedAccount: 'x/y/Someone' }), nameTaken: null },
      context(),
    )
    expect(decision).toMatchObject({ desired: 'enabled', actions: [], notes: [] })
    const disabled = partnerApplication.decide(
      unlinked,
      { app: app({ Enabled: false, LinkedAccount: null }), nameTaken: null },
      context(),
    )
    expect(disabled.actions.map((a) => a.action)).toEqual([
      {
        system: 'exchange',
        cmdlet: 'Set-PartnerApplication',
        params: { Identity: 'TeamsScheduler', Enabled: true },
      },
    ])
  })

  it('to create an absent one, linked when the step names an account', () => {
    const decision = partnerApplication.decide(step, { app: null, nameTaken: null }, context())
    expect(decision).toEqual({
      desired: 'enabled, linked to TeamsScheduler',
      actual: 'absent',
      actions: [
        {
          reason: expect.stringMatching(/^Exchange accepts tokens of .+ only from a partner application$/),
          action: {
            system: 'exchange',
            cmdlet: 'New-PartnerApplication',
            params: {
              Name: 'TeamsScheduler',
              ApplicationIdentifier: teams,
              Enabled: true,
              LinkedAccount: 'TeamsScheduler',
            },
          },
        },
      ],
    })
    const unknown = {
      ...step,
      applicationIdentifier: '11111111-2222-3333-4444-555555555555',
      linkedAccount: null,
    }
    const plain = partnerApplication.decide(unknown, { app: null, nameTaken: null }, context())
    expect(plain.actions[0]!.reason).toBe(
      'Exchange accepts tokens of 11111111-2222-3333-4444-555555555555 only from a partner application',
    )
    expect(plain.actions[0]!.action).not.toHaveProperty('params.LinkedAccount')
  })

  it('to stop when another application holds the name, saying how to free it', () => {
    const holder = {
      Name: 'TeamsScheduler',
      ApplicationIdentifier: 'other-app',
      Enabled: true,
      LinkedAccount: null,
    } as never
    expect(partnerApplication.decide(step, { app: null, nameTaken: holder }, context())).toEqual({
      desired: 'enabled, linked to TeamsScheduler',
      actual: 'absent; the name TeamsScheduler is taken by the partner application of other-app',
      actions: [],
      blocked:
        "a partner application named TeamsScheduler already exists for other-app; rename it (Set-PartnerApplication -Identity 'TeamsScheduler' -Name <another name>) or remove it if it is unused, then run again",
    })
  })
})

describe('identityName and sameName', () => {
  it.each([
    ['contoso.com/Users/TeamsScheduler', 'TeamsScheduler'],
    ['CONTOSO\\TeamsScheduler', 'TeamsScheduler'],
    [' TeamsScheduler ', 'TeamsScheduler'],
    ['', ''],
    [null, ''],
    [undefined, ''],
  ])('reads %j as %j', (identity, name) => {
    expect(identityName(identity)).toBe(name)
  })

  it('compares by the last segment, in any case', () => {
    expect(sameName('contoso.com/Users/teamsscheduler', 'TeamsScheduler')).toBe(true)
    expect(sameName('a/TeamsScheduler', 'b/Other')).toBe(false)
    expect(sameName(null, undefined)).toBe(true)
  })
})
