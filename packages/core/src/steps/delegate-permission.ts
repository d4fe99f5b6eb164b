import { z } from 'zod'
import { delegateAccessSteps, rightsLevel } from '../delegates/evaluate'
import { readCalendar, readCalendarPermissions } from '../delegates/read'
import { isTeamsOAuthError } from '../errors'
import { quote } from '../script/quote'
import { identifiedObject, pinOf, undoTarget } from './journaled'
import { exchangeAction, pinned, read, type StepKind, stepObject } from './step'

/** The delegate holds Editor on the delegator's calendar, found by its type in any language. */
export const delegatePermissionStep = stepObject('delegatePermission', {
  delegate: z.string(),
  delegator: z.string(),
})
export type DelegatePermissionStep = z.infer<typeof delegatePermissionStep>

type Observed =
  | { calendar: null }
  | { calendar: string; unknownDelegate: true }
  | { calendar: string; unknownDelegate: false; rights: string[] | null }

async function observeEntry(step: DelegatePermissionStep, exchange: Parameters<typeof readCalendar>[0]) {
  const calendar = await readCalendar(exchange, step.delegator)
  if (calendar === null) return { calendar: null } as const
  try {
    const [entry] = await readCalendarPermissions(exchange, step.delegator, calendar, step.delegate)
    return { calendar, unknownDelegate: false, rights: entry ? entry.AccessRights : null } as const
  } catch (error) {
    // Exchange's answer to a -User it cannot resolve
    if (
      isTeamsOAuthError(error, 'EXCHANGE_CMDLET_FAILED') &&
      error.data.reason === 'InvalidExternalUserIdException'
    )
      return { calendar, unknownDelegate: true } as const
    throw error
  }
}

export const delegatePermission: StepKind<DelegatePermissionStep, Observed> = {
  kind: 'delegatePermission',
  title: (step) => `${step.delegate} holds Editor on ${step.delegator}'s calendar`,
  observe: (step, context) => observeEntry(step, context.targets.exchange),
  decide(step, observed, context) {
    const desired = 'Editor'
    const notes = [delegateAccessSteps(step.delegator, step.delegate)]
    if (observed.calendar === null)
      return {
        desired,
        actual: `no calendar folder in ${step.delegator}'s mailbox`,
        actions: [],
        notes,
        blocked: `${step.delegator} has no calendar folder here: is ${step.delegator} a mailbox of this organisation (Get-Mailbox -Identity ${quote(step.delegator)})?`,
      }
    if (observed.unknownDelegate)
      return {
        desired,
        actual: `${step.delegate} unknown`,
        actions: [],
        notes,
        blocked: `Exchange knows no recipient ${step.delegate}: name the delegate by alias, address or name (--delegate)`,
      }
    const folder = `${step.delegator}:\\${observed.calendar}`
    const actual = observed.rights
      ? `${observed.rights.join(', ')} on ${folder}`
      : `no permission on ${folder}`
    if (observed.rights && rightsLevel(observed.rights) === 'editor')
      return { desired, actual, actions: [], notes }
    return {
      desired,
      actual,
      notes,
      actions: [
        {
          reason: observed.rights?.some((r) => /^owner$/i.test(r))
            ? 'a delegate holding only Owner cannot add a Teams meeting; Editor is what Delegate Access gives'
            : `a delegate needs Editor on the delegator's calendar to schedule for them`,
          action: exchangeAction(
            observed.rights ? 'Set-MailboxFolderPermission' : 'Add-MailboxFolderPermission',
            pinned(context, { Identity: folder, User: step.delegate, AccessRights: 'Editor' }),
          ),
        },
      ],
    }
  },
  print(step) {
    const user = quote(step.delegate)
    return [
      `$calendar = Get-MailboxFolderStatistics -Identity ${quote(step.delegator)} -FolderScope Calendar @dc | Where-Object { $_.FolderType -eq 'Calendar' } | Select-Object -First 1`,
      `$folder = ${quote(`${step.delegator}:\\`)} + $calendar.Name`,
      `$entry = Get-MailboxFolderPermission -Identity $folder -User ${user} @dc -ErrorAction SilentlyContinue`,
      'if (-not $entry) {',
      `  Add-MailboxFolderPermission -Identity $folder -User ${user} -AccessRights Editor @dc | Out-Null`,
      "} elseif (@($entry.AccessRights) -notcontains 'Editor') {",
      `  Set-MailboxFolderPermission -Identity $folder -User ${user} -AccessRights Editor @dc`,
      '}',
      `# ${delegateAccessSteps(step.delegator, step.delegate)}`,
    ].join('\n')
  },
  async before(step, action, context) {
    if (action.system !== 'exchange') return null
    // the delegator's mailbox, by its Guid, is what rollback reads back before it touches the calendar
    const [mailbox] = await read(context, {
      cmdlet: 'Get-Mailbox',
      params: pinned(context, { Identity: step.delegator }),
    })
    if (!mailbox || typeof mailbox.Guid !== 'string') return null
    const owner = { Guid: mailbox.Guid, Name: String(mailbox.Name) }
    if (action.cmdlet !== 'Set-MailboxFolderPermission') return owner
    const observed = await observeEntry(step, context.targets.exchange)
    return 'rights' in observed && observed.rights ? { AccessRights: observed.rights, ...owner } : null
  },
  undo(step, action, before) {
    if (action.system !== 'exchange') return []
    const target = { Identity: action.params.Identity ?? null, User: step.delegate, ...pinOf(action) }
    if (action.cmdlet === 'Add-MailboxFolderPermission')
      return [exchangeAction('Remove-MailboxFolderPermission', { ...target, Confirm: false })]
    const { AccessRights } = (before ?? {}) as { AccessRights?: string[] }
    if (action.cmdlet === 'Set-MailboxFolderPermission' && Array.isArray(AccessRights))
      return [exchangeAction('Set-MailboxFolderPermission', { ...target, AccessRights })]
    return []
  },
  async landed(step, action, context) {
    if (action.system !== 'exchange') return null
    const observed = await observeEntry(step, context.targets.exchange)
    return 'rights' in observed && observed.rights && rightsLevel(observed.rights) === 'editor'
      ? { result: [] }
      : null
  },
  target: (step, _action, before) =>
    undoTarget(
      'Get-Mailbox',
      identifiedObject(before),
      (name) => `${step.delegate}'s rights on the calendar of mailbox ${name}`,
    ),
  fits: (step, action) =>
    action.system === 'exchange' &&
    ['Add-MailboxFolderPermission', 'Set-MailboxFolderPermission'].includes(action.cmdlet) &&
    action.params.User === step.delegate &&
    action.params.AccessRights === 'Editor' &&
    typeof action.params.Identity === 'string' &&
    action.params.Identity.startsWith(`${step.delegator}:\\`),
}
