import { casMailboxObject, organizationConfigObject } from '../exchange-objects'
import type { Targets } from '../ports'
import { psValue, quote } from '../script/quote'
import { type Check, type CheckStatus, check } from './checks'
import { type DiagnoseOptions, read } from './context'

export const allowsScheduling = (list: string[] | null) =>
  (list ?? []).some((entry) => /schedulingservice/i.test(entry))

const schedulingEntries = (list: string[] | null) =>
  (list ?? []).filter((entry) => /schedulingservice/i.test(entry))

export function ewsVerdict(
  policy: string | null,
  allow: string[] | null,
  block: string[] | null,
  enabled: boolean | null = null,
): { status: CheckStatus; evidence: string[] } {
  // Microsoft's troubleshooting: EwsEnabled False blocks Teams whatever the lists say; True or null let it in.
  const ews = enabled === false ? ['EwsEnabled: False'] : []
  const fail = (evidence: string) => ({ status: 'fail' as const, evidence: [...ews, evidence] })
  const pass = (evidence: string) => ({
    status: enabled === false ? ('fail' as const) : ('pass' as const),
    evidence: [...ews, evidence],
  })
  if (policy === 'EnforceAllowList')
    return allowsScheduling(allow)
      ? pass(`EnforceAllowList, allows ${schedulingEntries(allow).join(', ')}`)
      : fail(`EnforceAllowList without *SchedulingService* (allowed: ${(allow ?? []).join(', ') || 'none'})`)
  if (policy === 'EnforceBlockList' && allowsScheduling(block))
    return fail(`EnforceBlockList blocks ${(block ?? []).join(', ')}`)
  return pass(policy ? `${policy}, scheduling service not blocked` : 'no EWS application access policy')
}

/** The commands that let the scheduling service in, for the cmdlet and identity given. */
function ewsFix(set: string, policy: string | null, block: string[] | null, enabled: boolean | null): string {
  const fixes: string[] = []
  if (enabled === false) fixes.push(`${set} -EwsEnabled $true`)
  if (policy === 'EnforceBlockList' && allowsScheduling(block))
    // the entries that actually matched, which need not be the literal '*SchedulingService*'
    fixes.push(`${set} -EwsBlockList @{ Remove = ${psValue(schedulingEntries(block))} }`)
  else if (policy === 'EnforceAllowList') fixes.push(`${set} -EwsAllowList @{ Add = '*SchedulingService*' }`)
  return fixes.join('; ')
}

/** The EWS settings of the organisation or of a mailbox, as Get-OrganizationConfig and Get-CASMailbox name them. */
interface EwsSettings {
  EwsApplicationAccessPolicy: string | null
  EwsAllowList: string[] | null
  EwsBlockList: string[] | null
  EwsEnabled: boolean | null
}

/** One EWS check: the verdict on the settings, and the commands (on `set`) that let the service in. */
function ewsCheck(id: string, title: string, ews: EwsSettings, set: string): Check {
  const verdict = ewsVerdict(
    ews.EwsApplicationAccessPolicy,
    ews.EwsAllowList,
    ews.EwsBlockList,
    ews.EwsEnabled,
  )
  return check(
    id,
    title,
    verdict.status,
    verdict.evidence,
    ewsFix(set, ews.EwsApplicationAccessPolicy, ews.EwsBlockList, ews.EwsEnabled),
    'The Teams scheduling service reaches the mailbox over EWS; EWS switched off or this policy turns it away.',
  )
}

export async function ewsPolicyChecks(targets: Targets, options: DiagnoseOptions): Promise<Check[]> {
  const [raw] = await read(targets, { cmdlet: 'Get-OrganizationConfig', params: {} })
  const checks: Check[] = []
  if (raw)
    checks.push(
      ewsCheck(
        'ews.organization',
        'EWS (organisation) is enabled and lets the scheduling service in',
        organizationConfigObject.parse(raw),
        'Set-OrganizationConfig',
      ),
    )
  if (options.delegator) {
    const [cas] = await read(targets, { cmdlet: 'Get-CASMailbox', params: { Identity: options.delegator } })
    if (cas)
      checks.push(
        ewsCheck(
          'ews.mailbox',
          `EWS of ${options.delegator} is enabled and lets the scheduling service in`,
          casMailboxObject.parse(cas),
          `Set-CASMailbox -Identity ${quote(options.delegator)}`,
        ),
      )
  }
  return checks
}
