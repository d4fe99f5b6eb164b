import { apply, buildRunbook, plan, TeamsOAuthError } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import { createFakeTenant } from '../src/index'

const runbook = buildRunbook({ profile: 'all', domain: 'contoso.com' })

describe('a fault at the Nth write', () => {
  it('fails apply with a typed error, and the next apply finishes in the same state as an uninterrupted run', async () => {
    const reference = createFakeTenant()
    const initial = reference.state()
    await apply(await plan(runbook, reference), reference)
    const writes = reference.changes.length
    expect(writes).toBeGreaterThan(10)

    for (let n = 1; n <= writes; n++) {
      const tenant = createFakeTenant({ state: initial })
      tenant.faults.failWrite(n)
      const failure = await apply(await plan(runbook, tenant), tenant).then(
        () => null,
        (error: unknown) => error,
      )
      expect(failure, `write ${n}`).toBeInstanceOf(TeamsOAuthError)
      expect((failure as TeamsOAuthError).data.step, `write ${n}`).toEqual(expect.any(String))

      await apply(await plan(runbook, tenant), tenant)
      expect((await plan(runbook, tenant)).actions, `write ${n}`).toEqual([])
      expect(tenant.state(), `write ${n}`).toEqual(reference.state())
    }
  })
})
