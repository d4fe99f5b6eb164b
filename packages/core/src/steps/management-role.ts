import { z } from 'zod'
import { parseCmdletOutput } from '../cmdlet-output'
import { managementRoleEntryObject, managementRoleObject } from '../exchange-objects'
import { psCall, quote } from '../script/quote'
import { exchangeAction, pinned, pinOf, read, type StepKind } from './step'

export const managementRoleStep = z.object({
  kind: z.literal('managementRole'),
  id: z.string(),
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
    for (const entry of entries.filter((e) => !keeps(step, e))) {
      actions.push({
        reason: `${step.name} keeps only ${step.keepEntries.join(', ')}`,
        action: exchangeAction(
          'Remove-ManagementRoleEntry',
          pinned(context, { Identity: `${step.name}\\${entry}`, Confirm: false }),
        ),
      })
    }
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
    const actual = role
      ? `${role.Name}, child of ${role.Parent ?? '(none)'}, with ${entries.length} entries${entries.length <= 5 ? `: ${entries.join(', ')}` : ''}`
      : 'absent'
    const notes =
      role && (role.Parent ?? '').toLowerCase() !== step.parent.toLowerCase()
        ? [`${step.name} exists with parent ${role.Parent}, not ${step.parent}; left as it is`]
        : []
    return { actions, desired, actual, notes }
  },
  print(step) {
    const keep = `@(${step.keepEntries.map(quote).join(', ')})`
    return [
      `if (-not (Get-ManagementRole -Identity ${quote(step.name)} @dc -ErrorAction SilentlyContinue)) {`,
      `  ${psCall('New-ManagementRole', { Name: step.name, Parent: step.parent }, 'dc')} | Out-Null`,
      '}',
      `$keep = ${keep}`,
      `Get-ManagementRoleEntry -Identity (${quote(step.name)} + '\\*') @dc |`,
      '  Where-Object { $keep -notcontains $_.Name } |',
      "  ForEach-Object { Remove-ManagementRoleEntry -Identity ($_.Role.ToString() + '\\' + $_.Name) -Confirm:$false @dc }",
    ].join('\n')
  },
  undo(step, action, _before, _result, earlier) {
    if (action.system !== 'exchange') return []
    const pin = pinOf(action)
    switch (action.cmdlet) {
      case 'New-ManagementRole':
        return [exchangeAction('Remove-ManagementRole', { Identity: step.name, Confirm: false, ...pin })]
      case 'Remove-ManagementRoleEntry':
        // Removing the role teams-oauth created takes its entries with it.
        if (earlier.some((a) => a.system === 'exchange' && a.cmdlet === 'New-ManagementRole')) return []
        return [
          exchangeAction('Add-ManagementRoleEntry', { Identity: action.params.Identity as string, ...pin }),
        ]
      case 'Add-ManagementRoleEntry':
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
}
