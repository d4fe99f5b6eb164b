import type { Handler } from './exchange-cmdlet-context'
import { folderPermissionCmdlets } from './folder-permission-cmdlets'
import { mailUserCmdlets } from './mail-user-cmdlets'
import { mailboxCmdlets } from './mailbox-cmdlets'
import { partnerApplicationCmdlets } from './partner-application-cmdlets'
import { roleAssignmentCmdlets } from './role-assignment-cmdlets'
import { roleCmdlets } from './role-cmdlets'
import { roleGroupCmdlets } from './role-group-cmdlets'
import { serverCmdlets } from './server-cmdlets'

export type { CmdletContext } from './exchange-cmdlet-context'
export { listedMailboxes } from './mailbox-cmdlets'

/** Every Exchange cmdlet the model interprets, by its canonical name. */
export const exchangeCmdlets: Record<string, Handler> = {
  ...mailUserCmdlets,
  ...roleCmdlets,
  ...roleAssignmentCmdlets,
  ...roleGroupCmdlets,
  ...partnerApplicationCmdlets,
  ...serverCmdlets,
  ...mailboxCmdlets,
  ...folderPermissionCmdlets,
}
