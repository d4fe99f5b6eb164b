import {
  type CmdletContext,
  cannotConvert,
  type Handler,
  notFound,
  required,
} from './exchange-cmdlet-context'
import { exchangeError, parameterBindingError } from './exchange-errors'
import { findMailbox } from './exchange-model'
import {
  canonicalAccessRight,
  folderPermissionObject,
  isCalendarPath,
  permissionUserDisplay,
  resolveFolderIdentity,
} from './mailbox-folders'
import type { FolderPermissionState } from './state'

/** Calendar permissions: Get-, Add-, Set- and Remove-MailboxFolderPermission. */

function resolveCalendar(ctx: CmdletContext) {
  const identity = required(ctx, 'Identity')
  const resolved = resolveFolderIdentity(ctx.state, identity)
  if (!resolved) throw notFound(ctx, identity.split(':')[0] ?? identity)
  return { identity, ...resolved }
}

function folderNotFound(ctx: CmdletContext, identity: string): Error {
  return exchangeError(
    ctx.cmdlet,
    'ManagementObjectNotFoundException',
    `The operation couldn't be performed because '${identity}' couldn't be found.`,
    { target: identity },
  )
}

/** The permission entry's key for -User: "Default", "Anonymous" or the mailbox's alias. */
function permissionUser(ctx: CmdletContext): string {
  const user = required(ctx, 'User')
  if (user.toLowerCase() === 'default') return 'Default'
  if (user.toLowerCase() === 'anonymous') return 'Anonymous'
  const mailbox = findMailbox(ctx.state, user)
  if (!mailbox) {
    throw exchangeError(
      ctx.cmdlet,
      'InvalidExternalUserIdException',
      `The user "${user}" is either not valid SMTP address, or there is no matching information.`,
      { target: user },
    )
  }
  return mailbox.alias
}

function accessRights(ctx: CmdletContext): string[] {
  const values = ctx.params.strings('AccessRights') ?? []
  return values.map((value) => {
    const canonical = canonicalAccessRight(value)
    if (!canonical) {
      throw parameterBindingError(
        ctx.cmdlet,
        'ParameterArgumentTransformationError',
        `Cannot process argument transformation on parameter 'AccessRights'. Cannot convert value "${value}" to type "Microsoft.Exchange.Management.StoreTasks.MailboxFolderAccessRight[]".`,
        'AccessRights',
      )
    }
    return canonical
  })
}

function sharingFlags(ctx: CmdletContext): string | null {
  const flags = ctx.params.strings('SharingPermissionFlags')
  if (!flags) return null
  const known = ['None', 'Delegate', 'CanViewPrivateItems']
  const canonical = flags.map((flag) => {
    const found = known.find((k) => k.toLowerCase() === flag.toLowerCase())
    if (!found) {
      throw cannotConvert(
        ctx,
        'SharingPermissionFlags',
        flag,
        'Microsoft.Exchange.Data.Storage.Management.MailboxFolderPermissionFlags',
      )
    }
    return found
  })
  const set = canonical.filter((f) => f !== 'None')
  return set.length === 0 ? null : set.join(', ')
}

const getMailboxFolderPermission: Handler = (ctx) => {
  const { state, params } = ctx
  const { identity, mailbox, folderPath } = resolveCalendar(ctx)
  const defaults = [
    { user: 'Default', accessRights: ['None'], sharingPermissionFlags: null },
    { user: 'Anonymous', accessRights: ['None'], sharingPermissionFlags: null },
  ]
  let permissions: FolderPermissionState[]
  if (folderPath === '') permissions = defaults
  else if (isCalendarPath(mailbox, folderPath)) permissions = mailbox.calendar.permissions
  else throw folderNotFound(ctx, identity)
  if (params.has('User')) {
    const user = permissionUser(ctx)
    permissions = permissions.filter((p) => p.user.toLowerCase() === user.toLowerCase())
    if (permissions.length === 0) throw noPermissionEntry(ctx, permissionUserDisplay(state, user))
  }
  return permissions.map((p) => ({
    ...folderPermissionObject(state, mailbox, p),
    ...(folderPath === '' ? { Identity: `${mailbox.alias}:\\`, FolderName: 'Top of Information Store' } : {}),
  }))
}

function noPermissionEntry(ctx: CmdletContext, display: string): Error {
  return exchangeError(
    ctx.cmdlet,
    'UserNotFoundInPermissionEntryException',
    `There is no existing permission entry found for user: ${display}.`,
    { target: display },
  )
}

/**
 * What Add-, Set- and Remove-MailboxFolderPermission act on: the calendar -Identity names, the -User's
 * entry in it (if any), and the folder's identity they write to.
 */
function calendarEntry(ctx: CmdletContext) {
  const { identity, mailbox, folderPath } = resolveCalendar(ctx)
  if (!isCalendarPath(mailbox, folderPath)) throw folderNotFound(ctx, identity)
  const user = permissionUser(ctx)
  const permissions = mailbox.calendar.permissions
  const entry = permissions.find((p) => p.user.toLowerCase() === user.toLowerCase())
  const display = permissionUserDisplay(ctx.state, user)
  return { mailbox, user, permissions, entry, display, folder: `${mailbox.alias}:\\${mailbox.calendar.name}` }
}

const addMailboxFolderPermission: Handler = (ctx) => {
  const { mailbox, user, permissions, entry, display, folder } = calendarEntry(ctx)
  const rights = accessRights(ctx)
  const flags = sharingFlags(ctx)
  if (entry) {
    throw exchangeError(
      ctx.cmdlet,
      'UserAlreadyExistsInPermissionEntryException',
      `An existing permission entry was found for user: ${display}.`,
      { target: display },
    )
  }
  const permission = { user, accessRights: rights, sharingPermissionFlags: flags }
  if (!ctx.write(folder, () => permissions.push(permission))) return []
  return [folderPermissionObject(ctx.state, mailbox, permission)]
}

const setMailboxFolderPermission: Handler = (ctx) => {
  const { entry, display, folder } = calendarEntry(ctx)
  const rights = accessRights(ctx)
  const flags = sharingFlags(ctx)
  if (!entry) throw noPermissionEntry(ctx, display)
  ctx.write(folder, () => {
    entry.accessRights = rights
    if (ctx.params.has('SharingPermissionFlags')) entry.sharingPermissionFlags = flags
  })
  return []
}

const removeMailboxFolderPermission: Handler = (ctx) => {
  const { permissions, entry, display, folder } = calendarEntry(ctx)
  if (!entry) throw noPermissionEntry(ctx, display)
  ctx.write(folder, () => permissions.splice(permissions.indexOf(entry), 1))
  return []
}

export const folderPermissionCmdlets: Record<string, Handler> = {
  'Get-MailboxFolderPermission': getMailboxFolderPermission,
  'Add-MailboxFolderPermission': addMailboxFolderPermission,
  'Set-MailboxFolderPermission': setMailboxFolderPermission,
  'Remove-MailboxFolderPermission': removeMailboxFolderPermission,
}
