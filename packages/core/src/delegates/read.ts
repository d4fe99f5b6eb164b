import { isTeamsOAuthError } from '../errors'
import {
  type CasMailboxObject,
  casMailboxObject,
  type MailboxFolderPermissionObject,
  mailboxFolderObject,
  mailboxFolderPermissionObject,
} from '../exchange-objects'
import { type CmdletObject, type ExchangePort, readFound } from '../ports'

/** The reads of one delegator's mailbox, the same for the audit and the doctor. */

/** The default calendar, found by its type whatever its localised name (Calendar, Kalender, Calendrier, 予定表). */
export async function readCalendar(exchange: ExchangePort, mailbox: string): Promise<string | null> {
  const folders = await readFound(exchange, {
    cmdlet: 'Get-MailboxFolderStatistics',
    params: { Identity: mailbox, FolderScope: 'Calendar' },
  })
  const calendar = folders.map((f) => mailboxFolderObject.parse(f)).find((f) => f.FolderType === 'Calendar')
  return calendar?.Name ?? null
}

/** Every entry on the calendar, or only the one of `user` (none when the user has no entry). */
export async function readCalendarPermissions(
  exchange: ExchangePort,
  mailbox: string,
  calendar: string,
  user?: string,
): Promise<MailboxFolderPermissionObject[]> {
  let found: CmdletObject[]
  try {
    found = await readFound(exchange, {
      cmdlet: 'Get-MailboxFolderPermission',
      params: { Identity: `${mailbox}:\\${calendar}`, ...(user ? { User: user } : {}) },
    })
  } catch (error) {
    // Exchange's answer for a user with no entry on the folder at all
    if (
      !(
        isTeamsOAuthError(error, 'EXCHANGE_CMDLET_FAILED') &&
        error.data.reason === 'UserNotFoundInPermissionEntryException'
      )
    )
      throw error
    found = []
  }
  return found.map((p) => mailboxFolderPermissionObject.parse(p))
}

/** The delegator's client access settings (EWS); null when Exchange does not know the mailbox. */
export async function readCasMailbox(
  exchange: ExchangePort,
  mailbox: string,
): Promise<CasMailboxObject | null> {
  const [cas] = await readFound(exchange, { cmdlet: 'Get-CASMailbox', params: { Identity: mailbox } })
  return cas ? casMailboxObject.parse(cas) : null
}
