import {
  apply,
  buildRunbook,
  type EntraPath,
  entraPaths,
  type ProfileName,
  plan,
  profileNames,
  renderScript,
} from '@teams-oauth/core'
import { createFakeTenant, type FakeState, scenarios, stateFromSeed } from '@teams-oauth/fakes'
import { pwshTestGate } from '@teams-oauth/powershell/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { runScripts, type ScriptJob, type ScriptResult } from './support/run-scripts'

const pwsh = pwshTestGate()

type Key = FakeState['entra']['servicePrincipals'][number]['keyCredentials'][number]

/** The state with what MSOnline cannot set (a key's id, name and identifier) and date formats made equal. */
function normalised(state: FakeState, entra: EntraPath) {
  const key = (k: Key) => ({
    ...(entra === 'msol' ? { type: k.type, usage: k.usage, key: k.key } : k),
    startDateTime: k.startDateTime && new Date(k.startDateTime).toISOString(),
    endDateTime: k.endDateTime && new Date(k.endDateTime).toISOString(),
  })
  return {
    exchange: state.exchange,
    entra: state.entra.servicePrincipals.map((sp) => ({
      ...sp,
      keyCredentials: sp.keyCredentials.map(key).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    })),
  }
}

interface Case {
  profile: ProfileName
  entra: EntraPath
  dropExpiredKeys: boolean
}

/** What apply makes of the scenario: done, refused before any change, or failed on the way. */
async function applied(state: FakeState, input: Case) {
  const tenant = createFakeTenant({ state })
  const runbook = buildRunbook({
    profile: input.profile,
    domain: 'contoso.com',
    entra: input.entra,
    dropExpiredKeys: input.dropExpiredKeys,
  })
  let planned: Awaited<ReturnType<typeof plan>>
  try {
    planned = await plan(runbook, tenant)
  } catch {
    return { state: tenant.state(), outcome: 'refused' as const }
  }
  if (planned.blocked.length > 0) return { state: tenant.state(), outcome: 'refused' as const }
  try {
    await apply(planned, tenant)
    return { state: tenant.state(), outcome: 'done' as const }
  } catch {
    return { state: tenant.state(), outcome: 'failed' as const }
  }
}

// combine builds scenarios and largeOrganisation is a scale fixture with options: neither is one organisation to compare
const scenarioNames = Object.keys(scenarios).filter(
  (name) => name !== 'combine' && name !== 'largeOrganisation',
) as Exclude<keyof typeof scenarios, 'combine' | 'largeOrganisation'>[]

const cases = (dropExpiredKeys: boolean): Case[] =>
  profileNames.flatMap((profile) => entraPaths.map((entra) => ({ profile, entra, dropExpiredKeys })))

interface Run extends Case {
  id: string
  scenario: string
  state: FakeState
  tenant: ReturnType<typeof createFakeTenant>
}

describe.runIf(pwsh.run)('the exported script, run through pwsh and the stand-ins', () => {
  const runs: Run[] = []
  let results: ScriptResult[] = []

  // every scenario x profile x Entra path in one pwsh process, each against its own organisation
  beforeAll(async () => {
    const now = new Date()
    for (const scenario of scenarioNames) {
      const state = stateFromSeed({ ...(scenarios[scenario] as () => object)(), now })
      for (const c of [...cases(false), ...(scenario === 'fresh' ? cases(true) : [])])
        runs.push({
          ...c,
          scenario,
          state,
          id: `${scenario}-${c.profile}-${c.entra}${c.dropExpiredKeys ? '-drop' : ''}`,
          tenant: createFakeTenant({ state: structuredClone(state) }),
        })
    }
    const jobs: ScriptJob[] = runs.map((r) => {
      const runbook = buildRunbook({
        profile: r.profile,
        domain: 'contoso.com',
        entra: r.entra,
        dropExpiredKeys: r.dropExpiredKeys,
      })
      return {
        id: r.id,
        tenant: r.tenant,
        render: (graphUrl) => renderScript(runbook, { entra: r.entra, graphUrl }),
      }
    })
    results = await runScripts(pwsh.executable, jobs)
  }, 300_000)

  it.each(scenarioNames)(
    'ends scenario %s in the state apply ends it in, for every profile, through Graph and MSOnline',
    async (scenario) => {
      const mine = runs.filter((r) => r.scenario === scenario)
      expect(mine.length).toBeGreaterThanOrEqual(6)
      for (const run of mine) {
        const result = results.find((r) => r.id === run.id)!
        const reference = await applied(structuredClone(run.state), run)
        const why = `${run.id}: ${result.message}\n${result.output.join('\n')}`
        expect(normalised(run.tenant.state(), run.entra), why).toEqual(normalised(reference.state, run.entra))
        expect(result.outcome, why).toBe(reference.outcome === 'done' ? 'done' : 'stopped')
        if (reference.outcome === 'refused') expect(result.message).toMatch(/Nothing was changed/)
      }
    },
  )
})
