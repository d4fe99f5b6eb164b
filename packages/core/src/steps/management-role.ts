import { z } from 'zod'
import { parseCmdletOutput } from '../cmdlet-output'
import { managementRoleEntryObject, managementRoleObject } from '../exchange-objects'
import { psFind } from '../script/helpers'
import { psCall, quote } from '../script/quote'
import { createdObject, identifiedObject, pinOf, undoTarget } from './journaled'
import { exchangeAction, pinned, read, type StepContext, type StepKind, sameName, stepObject } from './step'

export const managementRoleStep = stepObject('managementRole', {
  name: z.string(),
  parent: z.string(),
  /** The only entries the role keeps (the teams profile: GetDelegate). */
  keepEntries: z.array(z.string()).min(1),
})
export type ManagementRoleStep = z.infer<typeof managementRoleStep>

interface Observed {
  role: z.infer<typeof managementRoleObject> | null
  /** The role's entries, or the parent's when the role does not exist yet (a new child copies them). */
  entries: string[]
}

const entryNames = async (context: Parameters<typeof read>[0], role: string) =>
  (
    await read(context, {
      cmdlet: 'Get-ManagementRoleEntry',
      params: pinned(context, { Identity: `${role}\\*` }),
    })
  )
    .map((entry) => parseCmdletOutput('Get-ManagementRoleEntry', managementRoleEntryObject, entry).Name)
    .sort()

const keeps = (step: ManagementRoleStep, entry: string) =>
  step.keepEntries.some((kept) => kept.toLowerCase() === entry.toLowerCase())

export const managementRole: StepKind<ManagementRoleStep, Observed> = {
  kind: 'managementRole',
  title: (step) => `management role ${step.name} (${step.parent}, only ${step.keepEntries.join(', ')})`,
  async observe(step, context) {
    const [found] = await read(context, {
      cmdlet: 'Get-ManagementRole',
      params: pinned(context, { Identity: step.name }),
    })
    const role = found ? parseCmdletOutput('Get-ManagementRole', managementRoleObject, found) : null
    return { role, entries: await entryNames(context, role ? step.name : step.parent) }
  },
  decide(step, { role, entries }, context) {
    const desired = `${step.name}, child of ${step.parent}, with only ${step.keepEntries.join(', ')}`
    const actual = role
      ? `${role.Name}, child of ${role.Parent || '(none)'}, with ${entries.length} entries${entries.length <= 5 ? `: ${entries.join(', ')}` : ''}`
      : 'absent'
    if (role && (role.Parent ?? '').toLowerCase() !== step.parent.toLowerCase())
      // its entries come from another parent: stripping them would not make it the role the procedure needs
      return {
        actions: [],
        desired,
        actual,
        blocked: `${step.name} already exists as a child of ${role.Parent || '(none)'}, not ${step.parent}; teams-oauth leaves it as it is. Rename or remove it (Get-ManagementRoleAssignment -Role ${quote(step.name)} | Remove-ManagementRoleAssignment; Remove-ManagementRole -Identity ${quote(step.name)}) if nothing else uses it, then run again`,
      }
    const actions = []
    if (!role) {
      actions.push({
        reason: `no role ${step.name}: the scheduling service needs a role that can only read delegates`,
        action: exchangeAction(
          'New-ManagementRole',
          pinned(context, { Name: step.name, Parent: step.parent }),
        ),
      })
    }
    // Added before any removal: Exchange refuses to remove a role's last entry.
    for (const kept of step.keepEntries.filter(
      (k) => !entries.some((e) => e.toLowerCase() === k.toLowerCase()),
    )) {
      actions.push({
        reason: `${step.name} needs ${kept}`,
        action: exchangeAction(
          'Add-ManagementRoleEntry',
          pinned(context, { Identity: `${step.name}\\${kept}` }),
        ),
      })
    }
    for (const entry of entries.filter((e) => !keeps(step, e))) {
      actions.push({
        reason: `${step.name} keeps only ${step.keepEntries.join(', ')}`,
        action: exchangeAction(
          'Remove-ManagementRoleEntry',
          pinned(context, { Identity: `${step.name}\\${entry}`, Confirm: false }),
        ),
      })
    }
    return { actions, desired, actual }
  },
  print(step) {
    const entry = (name: string) => `(${quote(`${step.name}\\`)} + ${name})`
    return [
      `if (${psFind('Get-ManagementRole', { Identity: step.name })}.Count -eq 0) {`,
      `  ${psCall('New-ManagementRole', { Name: step.name, Parent: step.parent }, 'dc')} | Out-Null`,
      '}',
      `$keep = @(${step.keepEntries.map(quote).join(', ')})`,
      `$entries = @(Get-ManagementRoleEntry -Identity ${quote(`${step.name}\\*`)} @dc | ForEach-Object { [string]$_.Name })`,
      'foreach ($name in $keep) {',
      `  if ($entries -notcontains $name) { Add-ManagementRoleEntry -Identity ${entry('$name')} @dc | Out-Null }`,
      '}',
      'foreach ($name in $entries) {',
      `  if ($keep -notcontains $name) { Remove-ManagementRoleEntry -Identity ${entry('$name')} -Confirm:$false @dc }`,
      '}',
    ].join('\n')
  },
  async before(step, action, context) {
    if (action.system !== 'exchange' || action.cmdlet === 'New-ManagementRole') return null
    // One read of the role per run, not one per entry: an entry's change leaves the role (its Guid)
    // as it was, and the journal records the same role for each.
    const known = rolesRead.get(context)?.get(step.name.toLowerCase())
    if (known) return known
    const [found] = await read(context, {
      cmdlet: 'Get-ManagementRole',
      params: pinned(context, { Identity: step.name }),
    })
    const guid = found?.Guid
    if (!found || typeof guid !== 'string') return null
    const before = { role: { Name: String(found.Name), Guid: guid } }
    const roles = rolesRead.get(context) ?? new Map<string, typeof before>()
    rolesRead.set(context, roles.set(step.name.toLowerCase(), before))
    return before
  },
  undo(step, action, before, result, earlier) {
    if (action.system !== 'exchange') return []
    const pin = pinOf(action)
    // Removing the role teams-oauth created takes its entries with it.
    const createdHere = earlier.some((a) => a.system === 'exchange' && a.cmdlet === 'New-ManagementRole')
    switch (action.cmdlet) {
      case 'New-ManagementRole': {
        const created = createdObject(result)
        if (!created || !sameName(created.Name, step.name)) return []
        return [exchangeAction('Remove-ManagementRole', { Identity: created.Guid, Confirm: false, ...pin })]
      }
      case 'Remove-ManagementRoleEntry':
        if (createdHere || !roleOf(before)) return []
        return [
          exchangeAction('Add-ManagementRoleEntry', { Identity: action.params.Identity as string, ...pin }),
        ]
      case 'Add-ManagementRoleEntry':
        if (createdHere || !roleOf(before)) return []
        return [
          exchangeAction('Remove-ManagementRoleEntry', {
            Identity: action.params.Identity as string,
            Confirm: false,
            ...pin,
          }),
        ]
      default:
        return []
    }
  },
  async landed(step, action, context) {
    if (action.system !== 'exchange') return null
    if (action.cmdlet === 'New-ManagementRole') {
      const [found] = await read(context, {
        cmdlet: 'Get-ManagementRole',
        params: pinned(context, { Identity: step.name }),
      })
      return found ? { result: [found] } : null
    }
    const identity = String(action.params.Identity)
    const [entry] = await read(context, {
      cmdlet: 'Get-ManagementRoleEntry',
      params: pinned(context, { Identity: identity }),
    })
    const wantPresent = action.cmdlet === 'Add-ManagementRoleEntry'
    return Boolean(entry) === wantPresent ? { result: [] } : null
  },
  target: (step, action, before, result) =>
    undoTarget(
      'Get-ManagementRole',
      (action.system === 'exchange' && action.cmdlet === 'New-ManagementRole'
        ? createdObject(result)
        : null) ?? roleOf(before),
      () => `management role ${step.name}`,
    ),
  fits(step, action) {
    if (action.system !== 'exchange') return false
    if (action.cmdlet === 'New-ManagementRole')
      return action.params.Name === step.name && action.params.Parent === step.parent
    const identity = action.params.Identity
    return (
      (action.cmdlet === 'Add-ManagementRoleEntry' || action.cmdlet === 'Remove-ManagementRoleEntry') &&
      typeof identity === 'string' &&
      identity.toLowerCase().startsWith(`${step.name.toLowerCase()}\\`) &&
      !identity.slice(step.name.length + 1).includes('\\')
    )
  },
}

/** The roles read before an entry change, by run (its context) and lower-case name. */
const rolesRead = new WeakMap<StepContext, Map<string, { role: { Name: string; Guid: string } }>>()

/** The role an entry change was made on, as recorded before it. */
function roleOf(before: unknown): { Name: string; Guid: string } | null {
  const role = identifiedObject((before as { role?: unknown } | null)?.role)
  return role ? { Name: role.Name, Guid: role.Guid } : null
}
