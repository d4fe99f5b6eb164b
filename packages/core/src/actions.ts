import { z } from 'zod'
import { cmdletCallSchema, keyCredentialSchema } from './ports'

/** A cmdlet call on Exchange: executed by an adapter, interpreted by the fakes, printed by the script. */
export const exchangeActionSchema = cmdletCallSchema.extend({ system: z.literal('exchange') })
export type ExchangeAction = z.infer<typeof exchangeActionSchema>

export const certificateRefSchema = z.object({
  thumbprint: z.string(),
  /** base64 of the DER bytes */
  der: z.string(),
  subject: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
})
export type CertificateRef = z.infer<typeof certificateRefSchema>

/**
 * Entra intents. `addKey`: add this certificate as an AsymmetricX509Cert / Verify key to the service
 * principal of appId, keeping every other key except `dropKeyIds` (expired keys the plan names).
 * `removeKey`: the undo of addKey: remove the key of that thumbprint and put back `restore`.
 */
export const entraActionSchema = z.discriminatedUnion('op', [
  z.object({
    system: z.literal('entra'),
    op: z.literal('addKey'),
    appId: z.string(),
    servicePrincipalId: z.string(),
    displayName: z.string(),
    certificate: certificateRefSchema,
    dropKeyIds: z.array(z.string()),
  }),
  z.object({
    system: z.literal('entra'),
    op: z.literal('removeKey'),
    appId: z.string(),
    servicePrincipalId: z.string(),
    thumbprint: z.string(),
    restore: z.array(keyCredentialSchema),
  }),
])
export type EntraAction = z.infer<typeof entraActionSchema>

export const actionSchema = z.union([exchangeActionSchema, entraActionSchema])
export type Action = z.infer<typeof actionSchema>

/** The only Exchange cmdlets teams-oauth ever runs to change something (its actions and their undo). */
export const exchangeWriteCmdlets: ReadonlySet<string> = new Set([
  'New-MailUser',
  'Set-MailUser',
  'Remove-MailUser',
  'New-ManagementRole',
  'Remove-ManagementRole',
  'Add-ManagementRoleEntry',
  'Remove-ManagementRoleEntry',
  'New-ManagementRoleAssignment',
  'Set-ManagementRoleAssignment',
  'Remove-ManagementRoleAssignment',
  'New-PartnerApplication',
  'Set-PartnerApplication',
  'Remove-PartnerApplication',
  'Add-MailboxFolderPermission',
  'Set-MailboxFolderPermission',
  'Remove-MailboxFolderPermission',
])
