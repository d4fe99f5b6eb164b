import { readFileSync } from 'node:fs'
import { createFakeTenant } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { assertNotBlocked, plan, type RunEvent } from './plan'
import { buildRunbook } from './runbook'

const runbook = buildRunbook({ profile: 'teams', domain: 'contoso.com' })

describe('plan', () => {
  it('reports each step as it observes it, in the runbook order, and writes nothing', async () => {
    const tenant = createFakeTenant()
    const events: RunEvent[] = []
    const planned = await plan(runbook, tenant, { onEvent: (e) => events.push(e) })
    expect(events.map((e) => e.type === 'observe' && e.step)).toEqual(runbook.steps.map((s) => s.id))
    expect(events.map((e) => (e as { title: string }).title)).toEqual(planned.steps.map((s) => s.title))
    expect(tenant.changes).toEqual([])
    expect(planned.actions.length).toBe(planned.steps.reduce((n, s) => n + s.actions.length, 0))
    expect(planned.blocked).toEqual([])
  })

  it('dates itself with the time it was given', async () => {
    const now = new Date('2026-06-01T12:00:00Z')
    expect((await plan(runbook, createFakeTenant(), { now })).createdAt).toBe('2026-06-01T12:00:00.000Z')
  })

  it('refuses a certificate given as input that has expired by its time, before reading anything', async () => {
    const tenant = createFakeTenant()
    const events: RunEvent[] = []
    // valid until 2036-11-28
    const certificate = readFileSync(new URL('../test/fixtures/chain.pem', import.meta.url))
    const withFile = buildRunbook({ profile: 'teams', domain: 'contoso.com', certificate })
    const now = new Date('2037-01-01T00:00:00Z')
    await expect(plan(withFile, tenant, { now, onEvent: (e) => events.push(e) })).rejects.toMatchObject({
      code: 'CERTIFICATE_INVALID',
      message: expect.stringMatching(/expired on 2036-11-28/),
    })
    expect(events).toEqual([])
  })
})

describe('assertNotBlocked', () => {
  it('lets a plan with nothing blocked through', async () => {
    const planned = await plan(runbook, createFakeTenant())
    expect(() => assertNotBlocked(planned)).not.toThrow()
  })

  it('names every blocked step and why, and that nothing was changed', async () => {
    const planned = await plan(runbook, createFakeTenant())
    const blocked = [
      { step: 'a', title: 'auth certificate', reason: 'it expired' },
      { step: 'b', title: 'partner application', reason: 'the name is taken' },
    ]
    expect(() => assertNotBlocked({ ...planned, blocked })).toThrow(
      expect.objectContaining({
        code: 'PLAN_BLOCKED',
        message: 'nothing was changed: auth certificate: it expired; partner application: the name is taken',
        data: { blocked },
      }),
    )
  })
})
