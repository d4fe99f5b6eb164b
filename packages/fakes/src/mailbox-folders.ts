import type { CmdletObject } from '@teams-oauth/core'
import { findMailbox } from './exchange-model'
import type { ExchangeState, FolderPermissionState, MailboxState } from './state'

/** Default folders by mailbox language; the calendar's name comes from the mailbox itself. */
const folderNames: Record<string, Record<string, string>> = {
  en: {
    Root: 'Top of Information Store',
    Inbox: 'Inbox',
    SentItems: 'Sent Items',
    DeletedItems: 'Deleted Items',
    Contacts: 'Contacts',
  },
  de: {
    Root: 'Oberste Ebene des Informationsspeichers',
    Inbox: 'Posteingang',
    SentItems: 'Gesendete Elemente',
    DeletedItems: 'Gelöschte Elemente',
    Contacts: 'Kontakte',
  },
  fr: {
    Root: "Haut de la banque d'informations",
    Inbox: 'Boîte de réception',
    SentItems: 'Éléments envoyés',
    DeletedItems: 'Éléments supprimés',
    Contacts: 'Contacts',
  },
  ja: {
    Root: '情報ストアのトップ',
    Inbox: '受信トレイ',
    SentItems: '送信済みアイテム',
    DeletedItems: '削除済みアイテム',
    Contacts: '連絡先',
  },
}

/** The calendar's default name per language (Outlook names it when the mailbox is first opened). */
export const calendarNames: Record<string, string> = {
  en: 'Calendar',
  de: 'Kalender',
  fr: 'Calendrier',
  ja: '予定表',
}

export interface MailboxFolder {
  name: string
  folderType: string
}

export function mailboxFolders(mailbox: MailboxState): MailboxFolder[] {
  const names = folderNames[mailbox.language.slice(0, 2).toLowerCase()] ?? folderNames['en']!
  return [
    { name: names['Root']!, folderType: 'Root' },
    { name: names['Inbox']!, folderType: 'Inbox' },
    { name: names['SentItems']!, folderType: 'SentItems' },
    { name: names['DeletedItems']!, folderType: 'DeletedItems' },
    { name: mailbox.calendar.name, folderType: 'Calendar' },
    { name: names['Contacts']!, folderType: 'Contacts' },
  ]
}

export function folderStatisticsObject(mailbox: MailboxState, folder: MailboxFolder): CmdletObject {
  const path = folder.folderType === 'Root' ? '/' : `/${folder.name}`
  return {
    Name: folder.name,
    FolderPath: path,
    FolderType: folder.folderType,
    Identity: folder.folderType === 'Root' ? mailbox.alias : `${mailbox.alias}\\${folder.name}`,
    ItemsInFolder: 0,
    FolderSize: '0 B (0 bytes)',
  }
}

/** "alice:\Kalender" → the mailbox and the folder path; null when the mailbox is unknown. */
export function resolveFolderIdentity(
  state: ExchangeState,
  identity: string,
): { mailbox: MailboxState; folderPath: string } | null {
  const at = identity.indexOf(':')
  const mailboxId = at < 0 ? identity : identity.slice(0, at)
  const folderPath = at < 0 ? '' : identity.slice(at + 1).replace(/^[\\/]+/, '')
  const mailbox = findMailbox(state, mailboxId)
  return mailbox ? { mailbox, folderPath } : null
}

/** Whether the path names the calendar folder (the only folder whose permissions the model keeps). */
export function isCalendarPath(mailbox: MailboxState, folderPath: string): boolean {
  return folderPath.toLowerCase() === mailbox.calendar.name.toLowerCase()
}

/** The rights of a folder permission, in the order Exchange lists them. */
export const folderRights = [
  'ReadItems',
  'CreateItems',
  'EditOwnedItems',
  'DeleteOwnedItems',
  'EditAllItems',
  'DeleteAllItems',
  'CreateSubfolders',
  'FolderOwner',
  'FolderContact',
  'FolderVisible',
]

const allBut = (...left: string[]) => folderRights.filter((right) => !left.includes(right))
const editor = allBut('CreateSubfolders', 'FolderOwner', 'FolderContact')
const author = allBut('EditAllItems', 'DeleteAllItems', 'CreateSubfolders', 'FolderOwner', 'FolderContact')

/** Each folder role and the rights it grants. */
export const folderRoles: Record<string, string[]> = {
  None: ['FolderVisible'],
  Owner: [...folderRights],
  PublishingEditor: allBut('FolderOwner', 'FolderContact'),
  Editor: editor,
  PublishingAuthor: allBut('EditAllItems', 'DeleteAllItems', 'FolderOwner', 'FolderContact'),
  Author: author,
  NonEditingAuthor: author.filter((right) => right !== 'EditOwnedItems'),
  Reviewer: ['ReadItems', 'FolderVisible'],
  Contributor: ['CreateItems', 'FolderVisible'],
  AvailabilityOnly: [],
  LimitedDetails: [],
}

/** Canonical spelling of an access right or role; null when Exchange would not accept it. */
export function canonicalAccessRight(value: string): string | null {
  const all = [...Object.keys(folderRoles), ...folderRights]
  return all.find((name) => name.toLowerCase() === value.trim().toLowerCase()) ?? null
}

/** "Default", "Anonymous", or the mailbox's display name, as Get-MailboxFolderPermission prints User. */
export function permissionUserDisplay(state: ExchangeState, user: string): string {
  if (user === 'Default' || user === 'Anonymous') return user
  return findMailbox(state, user)?.displayName ?? user
}

export function folderPermissionObject(
  state: ExchangeState,
  mailbox: MailboxState,
  permission: FolderPermissionState,
): CmdletObject {
  return {
    Identity: `${mailbox.alias}:\\${mailbox.calendar.name}`,
    FolderName: mailbox.calendar.name,
    User: permissionUserDisplay(state, permission.user),
    AccessRights: [...permission.accessRights],
    SharingPermissionFlags: permission.sharingPermissionFlags,
    IsValid: true,
  }
}
