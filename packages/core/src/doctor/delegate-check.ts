import { TeamsOAuthError } from '../errors'
import { mailboxFolderObject, mailboxFolderPermissionObject } from '../exchange-objects'
import { type CmdletObject, isExchangeNotFound, type Targets } from '../ports'
import { quote } from '../script/quote'
import { type Check, check } from './checks'
import { read } from './context'

export async function delegateCheck(targets: Targets, delegate: string, delegator: string): Promise<Check> {
  const title = `${delegate}'s rights on ${delegator}'s calendar`
  const folders = (
    await read(targets, {
      cmdlet: 'Get-MailboxFolderStatistics',
      params: { Identity: delegator, FolderScope: 'Calendar' },
    })
  ).map((f) => mailboxFolderObject.parse(f))
  // The default calendar, whatever its localised name (Calendar, Kalender, Calendrier, …).
  const calendar = folders.find((f) => f.FolderType === 'Calendar')
  if (!calendar)
    return check(
      'delegate.rights',
      title,
      'fail',
      [`no calendar folder found for ${delegator}`],
      `Get-MailboxFolderStatistics -Identity ${quote(delegator)} -FolderScope Calendar`,
      'Is the delegator a mailbox on this organisation?',
    )
  const folder = `${delegator}:\\${calendar.Name}`
  let found: CmdletObject[]
  try {
    found = await read(targets, {
      cmdlet: 'Get-MailboxFolderPermission',
      params: { Identity: folder, User: delegate },
    })
  } catch (error) {
    // Exchange's answer for a delegate it does not know: a failed check of the report, not an aborted run
    if (
      error instanceof TeamsOAuthError &&
      (error.data.reason === 'InvalidExternalUserIdException' || isExchangeNotFound(error))
    )
      return check(
        'delegate.rights',
        title,
        'fail',
        [`no user ${delegate} found: ${error.message}`],
        `Get-Recipient -Identity ${quote(delegate)}`,
        'Is the delegate a user of this organisation? Give their alias or address with --delegate.',
      )
    // Exchange's answer for a user with no entry on the folder at all
    if (!(error instanceof TeamsOAuthError && error.data.reason === 'UserNotFoundInPermissionEntryException'))
      throw error
    found = []
  }
  const permissions = found.map((p) => mailboxFolderPermissionObject.parse(p))
  const rights = permissions.flatMap((p) => p.AccessRights)
  const has = (...wanted: string[]) =>
    wanted.every((w) => rights.some((r) => r.toLowerCase() === w.toLowerCase()))
  const evidence = [
    `calendar folder: ${calendar.Name}`,
    `${delegate}: ${rights.length ? rights.join(', ') : 'no permission'}`,
  ]
  const set = `${permissions.length ? 'Set' : 'Add'}-MailboxFolderPermission -Identity ${quote(folder)} -User ${quote(delegate)} -AccessRights Editor -SharingPermissionFlags Delegate`
  // Editor, or a role or custom set that holds what Editor gives (PublishingEditor, …); Owner alone is the seed's failure
  if (
    has('Editor') ||
    has('PublishingEditor') ||
    has('CreateItems', 'ReadItems', 'EditAllItems', 'DeleteAllItems')
  )
    return check('delegate.rights', title, 'pass', evidence)
  if (has('Author') || has('PublishingAuthor'))
    return check(
      'delegate.rights',
      title,
      'warn',
      evidence,
      set,
      "Author is the minimum that works per Microsoft; Outlook's Delegate Access sets Editor, which the original procedure asks for.",
    )
  if (has('Owner'))
    return check(
      'delegate.rights',
      title,
      'fail',
      evidence,
      set,
      "Owner does not work for a delegate adding a Teams meeting: give the delegate Editor (Outlook's Delegate Access), as the original write-up found.",
    )
  return check(
    'delegate.rights',
    title,
    'fail',
    evidence,
    set,
    "The delegate needs Editor on the delegator's calendar to schedule for them.",
  )
}
