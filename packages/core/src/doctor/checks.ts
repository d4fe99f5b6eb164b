import { z } from 'zod'

export const checkStatuses = ['pass', 'warn', 'fail'] as const
export type CheckStatus = (typeof checkStatuses)[number]

export const checkSchema = z.object({
  id: z.string(),
  /** What is checked, in an admin's words. */
  title: z.string(),
  status: z.enum(checkStatuses),
  /** What was seen, one fact a line. */
  evidence: z.array(z.string()),
  /** What to run to fix it (a command), empty when it passes. */
  fix: z.string().nullable(),
  /** Why it matters, when it does not pass. */
  explanation: z.string().nullable(),
  /** The runbook step this check reports on, as verify found it; absent on doctor's own checks. */
  step: z.string().optional(),
})
export type Check = z.infer<typeof checkSchema>

export interface DoctorReport {
  organisation: string
  profile: string
  checkedAt: string
  /** true when every check passes */
  ok: boolean
  counts: Record<CheckStatus, number>
  checks: Check[]
}

export const check = (
  id: string,
  title: string,
  status: CheckStatus,
  evidence: string[],
  fix: string | null = null,
  explanation: string | null = null,
): Check => ({
  id,
  title,
  status,
  evidence,
  fix: status === 'pass' ? null : fix,
  explanation: status === 'pass' ? null : explanation,
})
