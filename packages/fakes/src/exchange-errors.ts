import type { ExchangeErrorData, TeamsOAuthError } from '@teams-oauth/core'
import { exchangeCmdletError } from '@teams-oauth/core/adapter'
import { errorCode } from './ids'

/** The error every door throws for a failed cmdlet, with the real service's words. */
export function cmdletError(data: ExchangeErrorData): TeamsOAuthError {
  return exchangeCmdletError(data)
}

const taskNamespaces: Record<string, string> = {
  MailUser: 'RecipientTasks',
  Mailbox: 'RecipientTasks',
  CASMailbox: 'RecipientTasks',
  ManagementRole: 'RbacTasks',
  ManagementRoleEntry: 'RbacTasks',
  ManagementRoleAssignment: 'RbacTasks',
  RoleGroup: 'RbacTasks',
  RoleGroupMember: 'RbacTasks',
  MailboxFolderPermission: 'StoreTasks',
  MailboxFolderStatistics: 'StoreTasks',
}

/** Exchange's FullyQualifiedErrorId: "<code>,Microsoft.Exchange.Management.<Tasks>.<VerbNoun>". */
export function exchangeErrorId(cmdlet: string, reason: string): string {
  const noun = cmdlet.slice(cmdlet.indexOf('-') + 1)
  const tasks = taskNamespaces[noun] ?? 'SystemConfigurationTasks'
  return `${errorCode(cmdlet, reason)},Microsoft.Exchange.Management.${tasks}.${cmdlet.replace('-', '')}`
}

export function exchangeError(
  cmdlet: string,
  reason: string,
  message: string,
  options: { category?: string; target?: string | null } = {},
): TeamsOAuthError {
  return cmdletError({
    cmdlet,
    message,
    category: options.category ?? 'NotSpecified',
    reason,
    fullyQualifiedErrorId: exchangeErrorId(cmdlet, reason),
    target: options.target ?? null,
  })
}

export function objectNotFound(cmdlet: string, identity: string, domainController: string): TeamsOAuthError {
  return exchangeError(
    cmdlet,
    'ManagementObjectNotFoundException',
    `The operation couldn't be performed because object '${identity}' couldn't be found on '${domainController}'.`,
    { target: identity },
  )
}

export function objectAlreadyExists(
  cmdlet: string,
  distinguishedName: string,
  domainController: string,
): TeamsOAuthError {
  return exchangeError(
    cmdlet,
    'ADObjectAlreadyExistsException',
    `Active Directory operation failed on ${domainController}. The object '${distinguishedName}' already exists.`,
    { target: distinguishedName },
  )
}

export function domainControllerUnavailable(cmdlet: string, domainController: string): TeamsOAuthError {
  return exchangeError(
    cmdlet,
    'SuitabilityDirectoryException',
    `An Active Directory error 0x51 occurred when trying to check the suitability of server '${domainController}'. Error: 'Active directory response: The LDAP server is unavailable.'`,
    { target: domainController },
  )
}

/** PowerShell's own parameter binding errors (raised before the cmdlet runs). */
export function parameterBindingError(
  cmdlet: string,
  id: string,
  message: string,
  target: string | null = null,
): TeamsOAuthError {
  return cmdletError({
    cmdlet,
    message,
    category: 'InvalidArgument',
    reason: 'ParameterBindingException',
    fullyQualifiedErrorId: `${id},${cmdlet}`,
    target,
  })
}

export function commandNotFound(cmdlet: string): TeamsOAuthError {
  return cmdletError({
    cmdlet,
    message: `The term '${cmdlet}' is not recognized as a name of a cmdlet, function, script file, or executable program.\nCheck the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
    category: 'ObjectNotFound',
    reason: 'CommandNotFoundException',
    fullyQualifiedErrorId: 'CommandNotFoundException',
    target: cmdlet,
  })
}

/**
 * Exchange's answer when the admin's throttling policy budget is spent (PowerShellMaxCmdlets per
 * PowerShellMaxCmdletsTimePeriod): WinRM's quota message, on a broken remote session.
 */
export function throttledByPolicy(cmdlet: string, retryAfterMs: number): TeamsOAuthError {
  return cmdletError({
    cmdlet,
    message: `The WS-Management service cannot process the request. The user load quota of 400 requests per 60 seconds has been exceeded. Send future requests at a slower rate or raise the quota for this user. The next request from this user will not be approved for at least ${retryAfterMs} milliseconds.`,
    category: 'OperationStopped',
    reason: 'PSRemotingTransportException',
    fullyQualifiedErrorId: 'JobFailure',
    target: null,
  })
}
