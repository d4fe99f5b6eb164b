import { describe, expect, it } from 'vitest'
import { appIds } from '../app-ids'
import { wantedApps } from './context'

describe('the partner applications doctor wants', () => {
  it('name the account an application is already linked to, whatever its name', () => {
    const apps = [
      {
        ApplicationIdentifier: appIds.teamsScheduler,
        LinkedAccount: 'contoso.lab/Users/TeamsIntegration-ApplicationAccount',
      },
    ]
    const wanted = wantedApps({ profile: 'all', accounts: { teams: 'TeamsScheduler' } }, apps)
    expect(wanted.map((w) => [w.name, w.account])).toEqual([
      ['SfBOnline', 'SfBOnline-ApplicationAccount'],
      ['TeamsScheduler', 'TeamsIntegration-ApplicationAccount'],
      ['CloudVoicemail', null],
    ])
  })

  it("name the procedure's account when the application is absent or acts as no account", () => {
    const apps = [{ ApplicationIdentifier: appIds.teamsScheduler, LinkedAccount: null }]
    expect(wantedApps({ profile: 'teams' }, apps)[0]?.account).toBe('TeamsScheduler')
    expect(wantedApps({ profile: 'teams', accounts: { teams: 'Sched' } })[0]?.account).toBe('Sched')
  })
})
