import { type CmdletValue, TeamsOAuthError } from '@teams-oauth/core'
import { exchangeErrorDataSchema } from '@teams-oauth/core/adapter'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeTestCertificate } from './certificates'
import { appIds, type FakeSeed, scenarios } from './seed'
import type { ExchangeState } from './state'
import { createFakeTenant, type FakeTenant } from './tenant'

/**
 * One write a consumer might send, as an intent: `picks` choose its targets among what the
 * organisation holds when it runs (so most writes make sense, as a consumer's do), and a `stray`
 * write picks from fixed names instead, existing or not (so Exchange refuses some, as it would).
 * The same operation on the same state is the same call.
 */
interface Operation {
  kind: OperationKind
  picks: [number, number, number]
  flag: boolean
  stray: boolean
}

type Call = { cmdlet: string; params: Record<string, CmdletValue> }
type Resolve = (state: ExchangeState, pick: (names: string[], i: 0 | 1 | 2) => string, op: Operation) => Call

const pools = {
  user: ['TeamsScheduler', 'SfBOnline-ApplicationAccount', 'CloudVoicemail', 'Partner-ApplicationAccount'],
  role: ['TeamsSchedulerRole', 'ArchiveRole', 'UserApplication', 'ArchiveApplication'],
  entry: ['GetDelegate', 'FindItem', 'CreateItem', 'ArchiveItem'],
  app: ['TeamsScheduler', 'SfBOnline', 'CloudVoicemail', 'Exchange Online'],
  group: ['Partner Application Accounts', 'Schedulers'],
  mailbox: ['alice', 'bob', 'klaus', 'ghost'],
}
const appIdPool = [appIds.teamsScheduler, appIds.skypeForBusinessOnline, appIds.cloudVoicemail]
const subjects = ['CN=One', 'CN=Two', 'CN=Three']

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
const absent = (pool: string[], taken: string[]) => pool.filter((n) => !taken.some((t) => same(n, t)))
const custom = (state: ExchangeState) => state.roles.filter((r) => !r.builtIn)

/** How each kind of write finds its targets. */
const writes = {
  'New-MailUser': (state, pick, op) => {
    const name = pick(
      absent(
        pools.user,
        state.mailUsers.map((u) => u.name),
      ),
      0,
    )
    return {
      cmdlet: 'New-MailUser',
      params: {
        Name: name,
        ExternalEmailAddress: `${name}@contoso.com`,
        ...(op.flag ? { ApplicationAccount: true } : {}),
      },
    }
  },
  'Set-MailUser': (state, pick, op) => ({
    cmdlet: 'Set-MailUser',
    params: {
      Identity: pick(
        state.mailUsers.map((u) => u.name),
        0,
      ),
      HiddenFromAddressListsEnabled: op.flag,
    },
  }),
  'Remove-MailUser': (state, pick) => ({
    cmdlet: 'Remove-MailUser',
    params: {
      Identity: pick(
        state.mailUsers.map((u) => u.name),
        0,
      ),
      Confirm: false,
    },
  }),
  'New-ManagementRole': (state, pick) => ({
    cmdlet: 'New-ManagementRole',
    params: {
      Name: pick(
        absent(
          pools.role,
          state.roles.map((r) => r.name),
        ),
        0,
      ),
      Parent: pick(
        state.roles.filter((r) => r.builtIn).map((r) => r.name),
        1,
      ),
    },
  }),
  'Remove-ManagementRole': (state, pick) => {
    const assigned = (name: string) => state.roleAssignments.some((a) => same(a.role, name))
    const free = custom(state).filter(
      (r) => !assigned(r.name) && !state.roles.some((c) => c.parent === r.name),
    )
    return {
      cmdlet: 'Remove-ManagementRole',
      params: {
        Identity: pick(
          free.map((r) => r.name),
          0,
        ),
        Confirm: false,
      },
    }
  },
  'Remove-ManagementRoleEntry': (state, pick) => {
    const roles = custom(state).filter((r) => r.entries.length > 1)
    const entries = roles.flatMap((role) => role.entries.map((e) => `${role.name}\\${e.name}`))
    return { cmdlet: 'Remove-ManagementRoleEntry', params: { Identity: pick(entries, 0), Confirm: false } }
  },
  'Add-ManagementRoleEntry': (state, pick) => {
    const missing = custom(state).flatMap((role) => {
      const parent = state.roles.find((r) => r.name === role.parent)
      const have = role.entries.map((e) => e.name)
      return (parent?.entries ?? [])
        .filter((e) => !have.includes(e.name))
        .map((e) => `${role.name}\\${e.name}`)
    })
    return { cmdlet: 'Add-ManagementRoleEntry', params: { Identity: pick(missing, 0) } }
  },
  'New-ManagementRoleAssignment': (state, pick) => {
    const pairs = state.roles.flatMap((role) =>
      state.mailUsers
        .filter((u) => !state.roleAssignments.some((a) => same(a.name, `${role.name}-${u.name}`)))
        .map((u) => `${role.name}|${u.name}`),
    )
    const [role = '', user = ''] = pick(pairs, 0).split('|')
    return { cmdlet: 'New-ManagementRoleAssignment', params: { Role: role, User: user } }
  },
  'Set-ManagementRoleAssignment': (state, pick, op) => ({
    cmdlet: 'Set-ManagementRoleAssignment',
    params: {
      Identity: pick(
        state.roleAssignments.map((a) => a.name),
        0,
      ),
      Enabled: op.flag,
    },
  }),
  'Remove-ManagementRoleAssignment': (state, pick) => ({
    cmdlet: 'Remove-ManagementRoleAssignment',
    params: {
      Identity: pick(
        state.roleAssignments.map((a) => a.name),
        0,
      ),
      Confirm: false,
    },
  }),
  'New-PartnerApplication': (state, pick, op) => ({
    cmdlet: 'New-PartnerApplication',
    params: {
      Name: pick(
        absent(
          pools.app,
          state.partnerApplications.map((a) => a.name),
        ),
        0,
      ),
      ApplicationIdentifier: appIdPool[op.picks[1] % appIdPool.length]!,
      Enabled: op.flag,
      LinkedAccount: pick(
        state.mailUsers.map((u) => u.name),
        2,
      ),
    },
  }),
  'Set-PartnerApplication': (state, pick, op) => ({
    cmdlet: 'Set-PartnerApplication',
    params: {
      Identity: pick(
        state.partnerApplications.map((a) => a.name),
        0,
      ),
      Enabled: op.flag,
    },
  }),
  'New-RoleGroup': (state, pick) => ({
    cmdlet: 'New-RoleGroup',
    params: {
      Name: pick(
        absent(
          pools.group,
          state.roleGroups.map((g) => g.name),
        ),
        0,
      ),
      Roles: [
        pick(
          state.roles.map((r) => r.name),
          1,
        ),
      ],
      Members: [
        pick(
          state.mailUsers.map((u) => u.name),
          2,
        ),
      ],
    },
  }),
  'Add-RoleGroupMember': (state, pick) => {
    const pairs = state.roleGroups.flatMap((g) =>
      state.mailboxes.filter((m) => !g.members.includes(m.guid)).map((m) => `${g.name}|${m.alias}`),
    )
    const [group = '', member = ''] = pick(pairs, 0).split('|')
    return { cmdlet: 'Add-RoleGroupMember', params: { Identity: group, Member: member } }
  },
  'Add-MailboxFolderPermission': (state, pick, op) => {
    const pairs = state.mailboxes.flatMap((m) =>
      state.mailboxes
        .filter((d) => d !== m && !m.calendar.permissions.some((p) => p.user === d.alias))
        .map((d) => `${m.alias}:\\${m.calendar.name}|${d.alias}`),
    )
    const [identity = '', user = ''] = pick(pairs, 0).split('|')
    return {
      cmdlet: 'Add-MailboxFolderPermission',
      params: { Identity: identity, User: user, AccessRights: [op.flag ? 'Editor' : 'Reviewer'] },
    }
  },
  'Set-MailboxFolderPermission': (state, pick, op) => {
    const entries = state.mailboxes.flatMap((m) =>
      m.calendar.permissions.map((p) => `${m.alias}:\\${m.calendar.name}|${p.user}`),
    )
    const [identity = '', user = ''] = pick(entries, 0).split('|')
    return {
      cmdlet: 'Set-MailboxFolderPermission',
      params: { Identity: identity, User: user, AccessRights: [op.flag ? 'Editor' : 'AvailabilityOnly'] },
    }
  },
  'Set-CASMailbox': (state, pick, op) => ({
    cmdlet: 'Set-CASMailbox',
    params: {
      Identity: pick(
        state.mailboxes.map((m) => m.alias),
        0,
      ),
      EwsEnabled: op.flag,
    },
  }),
} satisfies Record<string, Resolve>

type OperationKind = keyof typeof writes | 'addKey' | 'dropKeys' | 'New-MsolServicePrincipalCredential'
const kinds = [
  ...Object.keys(writes),
  'addKey',
  'dropKeys',
  'New-MsolServicePrincipalCredential',
] as OperationKind[]

/** The fixed names a stray write picks from, whatever exists. */
function strayPool(cmdlet: string): string[] {
  if (/RoleEntry/.test(cmdlet)) return pools.role.flatMap((role) => pools.entry.map((e) => `${role}\\${e}`))
  if (/RoleGroup/.test(cmdlet)) return pools.group
  if (/ManagementRole/.test(cmdlet)) return [...pools.role, ...pools.user]
  if (/Partner/.test(cmdlet)) return pools.app
  if (/Mailbox|CAS/.test(cmdlet)) return pools.mailbox
  return pools.user
}

const operation: fc.Arbitrary<Operation> = fc.record({
  kind: fc.constantFrom(...kinds),
  picks: fc.tuple(fc.nat(), fc.nat(), fc.nat()),
  flag: fc.boolean(),
  stray: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
})

function resolve(tenant: FakeTenant, op: Operation): Call {
  const state = tenant.state().exchange
  const resolver = writes[op.kind as keyof typeof writes]
  const pick = (names: string[], i: 0 | 1 | 2) => {
    const from = op.stray || names.length === 0 ? strayPool(op.kind) : names
    return from[op.picks[i] % from.length]!
  }
  return resolver(state, pick, op)
}

const certificate = (subject: string) => Buffer.from(makeTestCertificate({ subject }).der).toString('base64')

/** Exchange's and MSOnline's refusal: their error, with PowerShell's category and the cmdlet's FullyQualifiedErrorId. */
function isRefusal(error: unknown, cmdlet: string): boolean {
  if (!(error instanceof TeamsOAuthError) || error.code !== 'EXCHANGE_CMDLET_FAILED') return false
  const data = exchangeErrorDataSchema.safeParse(error.data)
  if (!data.success || data.data.cmdlet !== cmdlet) return false
  const categories = [
    'NotSpecified',
    'ObjectNotFound',
    'InvalidArgument',
    'InvalidOperation',
    'OperationStopped',
    'WriteError',
  ]
  const id = new RegExp(`[,.](${cmdlet}|${cmdlet.replace('-', '')})$`)
  return categories.includes(data.data.category) && id.test(data.data.fullyQualifiedErrorId)
}

type Outcome = 'ok' | 'refused'

/** Runs one operation: 'ok', or 'refused' by Exchange or MSOnline; any other exception (a key write's included) is a crash, and throws. */
async function perform(tenant: FakeTenant, op: Operation): Promise<Outcome> {
  let outcome: Outcome = 'ok'
  if (op.kind === 'addKey' || op.kind === 'dropKeys') {
    const sp = (await tenant.entra.getServicePrincipal(appIdPool[op.picks[0] % appIdPool.length]!))!
    const kept = sp.keyCredentials.map((k) => ({ ...k, key: k.key! }))
    const subject = subjects[op.picks[1] % subjects.length]!
    const added = { type: 'AsymmetricX509Cert', usage: 'Verify', key: certificate(subject) }
    await tenant.entra.setKeyCredentials(sp.id, op.kind === 'dropKeys' ? kept.slice(1) : [...kept, added])
  } else {
    const call =
      op.kind === 'New-MsolServicePrincipalCredential'
        ? {
            cmdlet: op.kind,
            params: {
              AppPrincipalId: appIdPool[op.picks[0] % appIdPool.length]!,
              Type: 'Asymmetric',
              Usage: 'Verify',
              Value: certificate(subjects[op.picks[1] % subjects.length]!),
            },
          }
        : resolve(tenant, op)
    try {
      await tenant.invokeCmdlet(call)
    } catch (error) {
      if (!isRefusal(error, call.cmdlet)) throw error
      outcome = 'refused'
    }
  }
  return outcome
}

describe('determinism', () => {
  const now = new Date()
  /** Something of everything to write to: a hand-made role, a role group, an account holding no role yet. */
  const organisation: FakeSeed = {
    ...scenarios.combine(scenarios.adminMadeSchedulerRole(), scenarios.legacyAccountInRoleGroup()),
    now,
  }
  const ops = fc.array(operation, { maxLength: 25 })

  it('ends two tenants that do the same writes in deep-equal states and change logs', async () => {
    await fc.assert(
      fc.asyncProperty(ops, async (list) => {
        const a = createFakeTenant(organisation)
        const b = createFakeTenant(organisation)
        for (const op of list) expect(await perform(a, op)).toBe(await perform(b, op))
        expect(a.state()).toEqual(b.state())
        expect(a.changes).toEqual(b.changes)
      }),
      { numRuns: 60 },
    )
  })

  it('continues from a restored state exactly as the original tenant does', async () => {
    await fc.assert(
      fc.asyncProperty(ops, fc.nat(25), async (list, cut) => {
        const original = createFakeTenant(organisation)
        for (const op of list) await perform(original, op)
        const first = createFakeTenant(organisation)
        for (const op of list.slice(0, cut)) await perform(first, op)
        const restored = createFakeTenant({ state: JSON.parse(JSON.stringify(first.state())) })
        for (const op of list.slice(cut)) await perform(restored, op)
        expect(restored.state()).toEqual(original.state())
      }),
      { numRuns: 60 },
    )
  })

  it('leaves the state untouched by a write Exchange refuses, and logs only the writes that succeed', async () => {
    await fc.assert(
      fc.asyncProperty(ops, async (list) => {
        const tenant = createFakeTenant(organisation)
        let succeeded = 0
        for (const op of list) {
          const before = tenant.state()
          const logged = tenant.changes.length
          if ((await perform(tenant, op)) === 'refused') {
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

  it('generates writes that mostly land: each kind of write, and four in five overall', async () => {
    const tally = new Map<OperationKind, Record<Outcome, number>>(
      kinds.map((k) => [k, { ok: 0, refused: 0 }]),
    )
    for (const list of fc.sample(ops, 150)) {
      const tenant = createFakeTenant(organisation)
      for (const op of list) tally.get(op.kind)![await perform(tenant, op)] += 1
    }
    const rows = [...tally].map(([kind, { ok, refused }]) => ({ kind, ok, all: ok + refused }))
    const ok = rows.reduce((n, r) => n + r.ok, 0)
    const all = rows.reduce((n, r) => n + r.all, 0)
    console.info(
      `determinism: ${ok}/${all} generated writes succeeded (${Math.round((100 * ok) / all)}%);`,
      rows.map((r) => `${r.kind} ${r.ok}/${r.all}`).join(', '),
    )
    expect(ok / all).toBeGreaterThanOrEqual(0.8)
    // and some are refused, so a refusal's path is walked too
    expect(ok).toBeLessThan(all)
    for (const row of rows) expect(row.ok, row.kind).toBeGreaterThan(0)
  })
})
