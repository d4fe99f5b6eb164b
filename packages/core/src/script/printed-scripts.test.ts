import { describe, expect, it } from 'vitest'
import type { RunbookInput } from '../input'
import { buildRunbook } from '../runbook'
import { renderScript } from './render'

/**
 * The scripts `teams-oauth script` prints, word for word, for each profile and Entra path and for each
 * option that changes the text. An admin reads and runs these on production: a change to one shows here
 * as a diff of the .ps1 beside this test, to be read like any change of code (`npx vitest -u` writes
 * the new text; CI never does). What each script does when run is proven apart, through pwsh against
 * the fake organisation (the CLI's script-does-what-apply-does and script-keeps-every-key tests).
 */
const cases: Record<string, RunbookInput> = {
  'teams-graph': { profile: 'teams', domain: 'contoso.com', entra: 'graph' },
  'teams-msol': { profile: 'teams', domain: 'contoso.com', entra: 'msol' },
  'sfbonline-graph': { profile: 'sfbonline', domain: 'contoso.com', entra: 'graph' },
  'sfbonline-msol': { profile: 'sfbonline', domain: 'contoso.com', entra: 'msol' },
  'all-graph': { profile: 'all', domain: 'contoso.com', entra: 'graph' },
  'all-msol': { profile: 'all', domain: 'contoso.com', entra: 'msol' },
  'all-graph-options': {
    profile: 'all',
    domain: 'fabrikam.com',
    entra: 'graph',
    domainController: 'dc01.fabrikam.com',
    accounts: { teams: 'Teams.Scheduler-2', sfbonline: 'OBrien_SfB' },
    dropExpiredKeys: true,
    allowPlainMailUser: true,
  },
  'all-msol-options': {
    profile: 'all',
    domain: 'fabrikam.com',
    entra: 'msol',
    domainController: 'dc01.fabrikam.com',
    dropExpiredKeys: true,
    allowPlainMailUser: true,
  },
  'teams-graph-gcc-high': { profile: 'teams', domain: 'contoso.us', graphUrl: 'https://graph.microsoft.us' },
}

describe('the printed scripts, word for word', () => {
  it.each(Object.entries(cases))('%s', async (name, input) => {
    const script = renderScript(buildRunbook(input))
    await expect(script).toMatchFileSnapshot(`./printed/${name}.ps1`)
  })

  it('takes the Entra path and the Graph URL given to it over the runbook’s own', () => {
    const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com', entra: 'graph' })
    expect(renderScript(runbook, { entra: 'msol' })).toBe(
      renderScript(buildRunbook({ profile: 'teams', domain: 'contoso.com', entra: 'msol' })),
    )
    expect(renderScript(runbook, { graphUrl: 'https://graph.microsoft.us' })).toBe(
      renderScript(
        buildRunbook({
          profile: 'teams',
          domain: 'contoso.com',
          entra: 'graph',
          graphUrl: 'https://graph.microsoft.us',
        }),
      ),
    )
  })
})
