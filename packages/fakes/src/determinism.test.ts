import type { CmdletValue } from '@teams-oauth/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeTestCertificate } from './certificates'
import { appIds } from './seed'
import { createFakeTenant, type FakeTenant } from './tenant'

/** One write a consumer might send; any of them may fail, which is part of what is tested. */
type Operation =
  | { kind: 'cmdlet'; cmdlet: string; params: Record<string, CmdletValue> }
  | { kind: 'addKey'; appId: string; subject: string }
  | { kind: 'dropKeys'; appId: string }

const users = ['TeamsScheduler', 'SfBOnline-ApplicationAccount', 'CloudVoicemail']
const roles = ['TeamsSchedulerRole', 'UserApplication', 'ArchiveApplication']
const entries = ['GetDelegate', 'FindItem', 'CreateItem', 'ArchiveItem']
const subjects = ['CN=One', 'CN=Two', 'CN=Three']
const apps = [appIds.teamsScheduler, appIds.skypeForBusinessOnline, appIds.cloudVoicemail]

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ user: fc.constantFrom(...users), application: fc.boolean() }).map(({ user, application }) => ({
    kind: 'cmdlet' as const,
    cmdlet: 'New-MailUser',
    params: {
      Name: user,
      ExternalEmailAddress: `${user}@contoso.com`,
      ...(application ? { ApplicationAccount: true } : {}),
    },
  })),
  fc.record({ user: fc.constantFrom(...users), hidden: fc.boolean() }).map(({ user, hidden }) => ({
    kind: 'cmdlet' as const,
    cmdlet: 'Set-MailUser',
    params: { Identity: user, HiddenFromAddressListsEnabled: hidden },
  })),
  fc
    .constantFrom(...users)
    .map((user) => ({ kind: 'cmdlet' as const, cmdlet: 'Remove-MailUser', params: { Identity: user } })),
  fc.constantFrom(...roles).map((role) => ({
    kind: 'cmdlet' as const,
    cmdlet: 'New-ManagementRole',
    params: { Name: role, Parent: 'UserApplication' },
  })),
  fc.constantFrom(...roles).map((role) => ({
    kind: 'cmdlet' as const,
    cmdlet: 'Remove-ManagementRole',
    params: { Identity: role },
  })),
  fc
    .record({ role: fc.constantFrom(...roles), entry: fc.constantFrom(...entries) })
    .map(({ role, entry }) => ({
      kind: 'cmdlet' as const,
      cmdlet: 'Remove-ManagementRoleEntry',
      params: { Identity: `${role}\\${entry}` },
    })),
  fc.record({ role: fc.constantFrom(...roles), user: fc.constantFrom(...users) }).map(({ role, user }) => ({
    kind: 'cmdlet' as const,
    cmdlet: 'New-ManagementRoleAssignment',
    params: { Role: role, User: user },
  })),
  fc.record({ role: fc.constantFrom(...roles), user: fc.constantFrom(...users) }).map(({ role, user }) => ({
    kind: 'cmdlet' as const,
    cmdlet: 'Remove-ManagementRoleAssignment',
    params: { Identity: `${role}-${user}` },
  })),
  fc.record({ user: fc.constantFrom(...users), app: fc.constantFrom(...apps) }).map(({ user, app }) => ({
    kind: 'cmdlet' as const,
    cmdlet: 'New-PartnerApplication',
    params: { Name: user, ApplicationIdentifier: app, Enabled: true, LinkedAccount: user },
  })),
  fc
    .record({
      user: fc.constantFrom('bob', 'klaus', 'ghost'),
      rights: fc.constantFrom('Editor', 'Author', 'Owner'),
    })
    .map(({ user, rights }) => ({
      kind: 'cmdlet' as const,
      cmdlet: 'Add-MailboxFolderPermission',
      params: { Identity: 'alice:\\Calendar', User: user, AccessRights: [rights] },
    })),
  fc
    .record({ user: fc.constantFrom('bob', 'klaus'), rights: fc.constantFrom('Editor', 'Reviewer') })
    .map(({ user, rights }) => ({
      kind: 'cmdlet' as const,
      cmdlet: 'Set-MailboxFolderPermission',
      params: { Identity: 'alice:\\Calendar', User: user, AccessRights: [rights] },
    })),
  fc
    .record({ app: fc.constantFrom(...apps), subject: fc.constantFrom(...subjects) })
    .map(({ app, subject }) => ({
      kind: 'addKey' as const,
      appId: app,
      subject,
    })),
  fc.constantFrom(...apps).map((app) => ({ kind: 'dropKeys' as const, appId: app })),
  fc
    .record({ app: fc.constantFrom(...apps), subject: fc.constantFrom(...subjects) })
    .map(({ app, subject }) => ({
      kind: 'cmdlet' as const,
      cmdlet: 'New-MsolServicePrincipalCredential',
      params: {
        AppPrincipalId: app,
        Type: 'Asymmetric',
        Usage: 'Verify',
        Value: Buffer.from(makeTestCertificate({ subject }).der).toString('base64'),
      },
    })),
)

/** Runs one operation; reports whether it failed. */
async function perform(tenant: FakeTenant, op: Operation): Promise<boolean> {
  try {
    if (op.kind === 'cmdlet') {
      await tenant.invokeCmdlet({ cmdlet: op.cmdlet, params: op.params })
    } else {
      const sp = (await tenant.entra.getServicePrincipal(op.appId))!
      const kept = sp.keyCredentials.map((k) => ({ ...k, key: k.key! }))
      const keys =
        op.kind === 'dropKeys'
          ? kept.slice(1)
          : [
              ...kept,
              {
                type: 'AsymmetricX509Cert',
                usage: 'Verify',
                key: Buffer.from(makeTestCertificate({ subject: op.subject }).der).toString('base64'),
              },
            ]
      await tenant.entra.setKeyCredentials(sp.id, keys)
    }
    return false
  } catch {
    return true
  }
}

describe('determinism', () => {
  const now = new Date()

  it('ends two tenants that do the same writes in deep-equal states and change logs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 25 }), async (ops) => {
        const a = createFakeTenant({ now })
        const b = createFakeTenant({ now })
        for (const op of ops) expect(await perform(a, op)).toBe(await perform(b, op))
        expect(a.state()).toEqual(b.state())
        expect(a.changes).toEqual(b.changes)
      }),
      { numRuns: 60 },
    )
  })

  it('continues from a restored state exactly as the original tenant does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 25 }), fc.nat(25), async (ops, cut) => {
        const original = createFakeTenant({ now })
        for (const op of ops) await perform(original, op)
        const first = createFakeTenant({ now })
        for (const op of ops.slice(0, cut)) await perform(first, op)
        const restored = createFakeTenant({ state: JSON.parse(JSON.stringify(first.state())) })
        for (const op of ops.slice(cut)) await perform(restored, op)
        expect(restored.state()).toEqual(original.state())
      }),
      { numRuns: 60 },
    )
  })

  it('leaves the state untouched by a write that fails, and logs only the writes that succeed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 25 }), async (ops) => {
        const tenant = createFakeTenant({ now })
        let succeeded = 0
        for (const op of ops) {
          const before = tenant.state()
          const logged = tenant.changes.length
          const failed = await perform(tenant, op)
          if (failed) {
            expect(tenant.state()).toEqual(before)
            expect(tenant.changes.length).toBe(logged)
          } else {
            succeeded += 1
          }
        }
        expect(tenant.changes.length).toBe(succeeded)
        expect(tenant.changes.map((c) => c.seq)).toEqual(tenant.changes.map((_, i) => i + 1))
      }),
      { numRuns: 60 },
    )
  })
})
