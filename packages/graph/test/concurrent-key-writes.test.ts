import { createFakeTenant } from '@teams-oauth/fakes'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anotherAdminAdds, graphTargets, keysOf, planAndApply, sfbAppId } from './graph-run'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

// During apply, Graph request 1 is the engine's backup read, 2 the read just before the PATCH.
describe('a key another administrator adds while apply writes the keys', () => {
  it('is kept when it lands right after the backup read, and so is one landing right after the read before the PATCH', async () => {
    const tenant = createFakeTenant()
    const { targets, stats } = graphTargets(tenant, server)
    const before = keysOf(tenant)
    const added: string[] = []
    const run = await planAndApply(targets, {}, undefined, () => {
      tenant.faults.afterGraphRequest({
        atRequest: 1,
        run: () => added.push(anotherAdminAdds(tenant, sfbAppId, 'CN=Other admin 1').key as string),
      })
      tenant.faults.afterGraphRequest({
        atRequest: 2,
        run: () => added.push(anotherAdminAdds(tenant, sfbAppId, 'CN=Other admin 2').key as string),
      })
    })
    expect(run.error).toBeNull()
    expect(added).toHaveLength(2)
    const after = keysOf(tenant)
    for (const key of before) expect(after).toContainEqual(key)
    for (const key of added) expect(after.filter((k) => k.key === key)).toHaveLength(1)
    expect(after).toHaveLength(before.length + 3)
    expect(stats.byMethod.PATCH).toBe(1)
    const entry = run.journal.entries.find((e) => e.action.system === 'entra')
    expect(entry?.result).toMatchObject({ keyForm: 'whole', rereads: 2 })
    // the journal's backup is the state the write replaced, the other administrator's keys included
    const backup = (entry?.before as { keyCredentials: { key: string }[] } | undefined)?.keyCredentials ?? []
    expect(backup.map((k) => k.key)).toEqual(expect.arrayContaining(added))
  })

  it('stops without writing when the keys change at every read, and says to run again', async () => {
    const tenant = createFakeTenant()
    const { targets, stats } = graphTargets(tenant, server)
    const before = keysOf(tenant)
    const run = await planAndApply(targets, {}, undefined, () => {
      for (let n = 1; n <= 6; n++)
        tenant.faults.afterGraphRequest({
          atRequest: n,
          run: () => anotherAdminAdds(tenant, sfbAppId, `CN=Busy admin ${n}`),
        })
    })
    expect(run.error).toMatchObject({ code: 'KEY_CONCURRENT_CHANGE' })
    expect(run.error?.message).toMatch(/Nothing was written\. Run apply again/)
    expect(stats.byMethod.PATCH).toBeUndefined()
    const after = keysOf(tenant)
    for (const key of before) expect(after).toContainEqual(key)
  })

  it('fails with what to do when another administrator’s write right after the PATCH drops the new key', async () => {
    const tenant = createFakeTenant()
    const { targets } = graphTargets(tenant, server)
    const stale = tenant.graph.getServicePrincipal({ appId: sfbAppId })
    const run = await planAndApply(targets, {}, undefined, () => {
      // request 3 is the PATCH: the other administrator then writes back what they had read earlier
      tenant.faults.afterGraphRequest({
        atRequest: 3,
        run: () =>
          tenant.graph.patchKeyCredentials(stale?.id ?? '', { keyCredentials: stale?.keyCredentials }),
      })
    })
    expect(run.error).toMatchObject({ code: 'KEY_WRITE_UNVERIFIED', data: { certificateCopies: 0 } })
    expect(run.error?.message).toMatch(/Another administrator probably wrote the keys.*run apply again/)
  })

  it('fails naming the kept key that a write right after the PATCH removed, with its bytes in the error data', async () => {
    const tenant = createFakeTenant()
    const { targets } = graphTargets(tenant, server)
    const [lost] = keysOf(tenant)
    const run = await planAndApply(targets, {}, undefined, () => {
      tenant.faults.afterGraphRequest({
        atRequest: 3,
        run: () => {
          const sp = tenant.graph.getServicePrincipal({ appId: sfbAppId })
          const rest = sp?.keyCredentials.filter((k) => k.key !== lost?.key)
          tenant.graph.patchKeyCredentials(sp?.id ?? '', { keyCredentials: rest })
        },
      })
    })
    expect(run.error).toMatchObject({
      code: 'KEY_WRITE_UNVERIFIED',
      data: { missing: [{ key: lost?.key }] },
    })
    expect(run.error?.message).toContain('journal')
  })

  it('loses a key added between its last read and its PATCH, which Graph gives no way to see (the window the README names)', async () => {
    const tenant = createFakeTenant()
    const { targets } = graphTargets(tenant, server)
    let added: string | null = null
    const run = await planAndApply(targets, {}, undefined, () => {
      // after the read before the PATCH matched the backup read: nothing reads again before the write
      tenant.faults.afterGraphRequest({
        atRequest: 2,
        run: () => {
          added = anotherAdminAdds(tenant, sfbAppId, 'CN=Too late').key
        },
      })
    })
    expect(run.error).toBeNull()
    expect(added).not.toBeNull()
    expect(keysOf(tenant).some((k) => k.key === added)).toBe(false)
  })
})
