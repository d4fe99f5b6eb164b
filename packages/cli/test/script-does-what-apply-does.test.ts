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
import { pwshTestGate } from '@teams-oauth/powershell'
import { describe, expect, it } from 'vitest'
import { runScripts, type ScriptJob } from './support/run-scripts'

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

/** What apply makes of the scenario, and whether it refused before any change. */
async function applied(state: FakeState, input: Case) {
  const tenant = createFakeTenant({ state })
  const runbook = buildRunbook({ profile: input.profile, domain: 'contoso.com', entra: input.entra, dropExpiredKeys: input.dropExpiredKeys })
  try {
    const planned = await plan(runbook, tenant)
    if (planned.blocked.length > 0) return { state: tenant.state(), stopped: true }
    await apply(planned, tenant)
    return { state: tenant.state(), stopped: false }
  } catch {
    return { state: tenant.state(), stopped: true }
  }
}

const scenarioNames = Object.keys(scenarios).filter((name) => name !== 'combine') as Exclude<
  keyof typeof scenarios,
  'combine'
>[]

const cases = (dropExpiredKeys: boolean): Case[] =>
  profileNames.flatMap((profile) => entraPaths.map((entra) => ({ profile, entra, dropExpiredKeys })))

describe.runIf(pwsh.run)('the exported script, run through pwsh and the stand-ins', () => {
  it.each(scenarioNames)(
    'ends scenario %s in the state apply ends it in, for every profile, through Graph and MSOnline',
    async (name) => {
      const now = new Date()
      const state = stateFromSeed({ ...(scenarios[name] as () => object)(), now })
      const all = [...cases(false), ...(name === 'fresh' ? cases(true) : [])]
      const jobs: (ScriptJob & Case)[] = all.map((c) => {
        const runbook = buildRunbook({ profile: c.profile, domain: 'contoso.com', entra: c.entra, dropExpiredKeys: c.dropExpiredKeys })
        return {
          ...c,
          id: `${name}-${c.profile}-${c.entra}${c.dropExpiredKeys ? '-drop' : ''}`,
          tenant: createFakeTenant({ state: structuredClone(state) }),
          render: (graphUrl) => renderScript(runbook, { entra: c.entra, graphUrl }),
        }
      })
      const results = await runScripts(pwsh.executable, jobs)
      for (const [index, job] of jobs.entries()) {
        const result = results[index]!
        const reference = await applied(structuredClone(state), job)
        expect(normalised(job.tenant.state(), job.entra), `${job.id}: ${result.message}\n${result.output.join('\n')}`).toEqual(
          normalised(reference.state, job.entra),
        )
        expect(result.outcome, `${job.id}: ${result.message}`).toBe(reference.stopped ? 'stopped' : 'done')
        if (reference.stopped) expect(result.message).toMatch(/Nothing was changed/)
      }
    },
    120_000,
  )
})
