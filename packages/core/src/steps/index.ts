import { z } from 'zod'
import { authCertificate, authCertificateStep } from './auth-certificate'
import { delegatePermission, delegatePermissionStep } from './delegate-permission'
import { hiddenFromAddressLists, hiddenFromAddressListsStep } from './hidden-from-address-lists'
import { mailUser, mailUserStep } from './mail-user'
import { managementRole, managementRoleStep } from './management-role'
import { partnerApplication, partnerApplicationStep } from './partner-application'
import { roleAssignment, roleAssignmentStep } from './role-assignment'
import { servicePrincipalKey, servicePrincipalKeyStep } from './service-principal-key'
import type { StepKind } from './step'

export const stepSchema = z.discriminatedUnion('kind', [
  mailUserStep,
  hiddenFromAddressListsStep,
  managementRoleStep,
  roleAssignmentStep,
  partnerApplicationStep,
  authCertificateStep,
  servicePrincipalKeyStep,
  delegatePermissionStep,
])
export type Step = z.infer<typeof stepSchema>

const kinds = {
  mailUser,
  hiddenFromAddressLists,
  managementRole,
  roleAssignment,
  partnerApplication,
  authCertificate,
  servicePrincipalKey,
  delegatePermission,
} as const

/** The kind of a step, typed loosely: the registry guarantees that step and kind match. */
export const kindOf = (step: Step): StepKind<Step, unknown> =>
  kinds[step.kind] as unknown as StepKind<Step, unknown>

export { servicePrincipalMissing } from './service-principal-key'
export type { Decision, PlannedAction, StepContext } from './step'
