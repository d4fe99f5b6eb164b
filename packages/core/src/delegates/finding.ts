import { z } from 'zod'

export const delegateVerdicts = ['ok', 'warn', 'fail'] as const
export type DelegateVerdict = (typeof delegateVerdicts)[number]

/** The delegator's EWS state as Get-CASMailbox gives it; null fields when never set. */
export const delegatorEwsSchema = z.object({
  /** false blocks every EWS client, the Teams scheduling service included; null or true let it in. */
  ewsEnabled: z.boolean().nullable(),
  ewsApplicationAccessPolicy: z.string().nullable(),
  /** Whether the mailbox's EWS application access policy lets the scheduling service in. */
  schedulingAllowed: z.boolean(),
})
export type DelegatorEws = z.infer<typeof delegatorEwsSchema>

/** One delegate relationship: who, on which calendar, with what, the verdict and the exact fix. */
export const delegateFindingSchema = z.object({
  /** The delegator's alias, as the fix commands name the mailbox. */
  delegator: z.string(),
  delegatorName: z.string(),
  /** The delegate's name, as Exchange lists it (folder permissions name people by display name). */
  delegate: z.string(),
  /** The calendar folder found by its type, in the mailbox's language (Calendar, Kalender, 予定表, …); null when none. */
  calendar: z.string().nullable(),
  /** The delegate's access rights on that calendar; empty when the delegate has no entry. */
  rights: z.array(z.string()),
  sendOnBehalf: z.boolean(),
  ews: delegatorEwsSchema,
  verdict: z.enum(delegateVerdicts),
  reasons: z.array(z.string()),
  /** Commands valid on Exchange Server and Windows PowerShell 5.1, in order; empty when ok. */
  fix: z.array(z.string()),
  /** What cannot be done from the shell on Exchange Server (Outlook's Delegate Access), when it applies. */
  note: z.string().nullable(),
})
export type DelegateFinding = z.infer<typeof delegateFindingSchema>

export const verdictCounts = () => ({ ok: 0, warn: 0, fail: 0 }) as Record<DelegateVerdict, number>
