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

export async function ewsPolicyChecks(targets: Targets, options: DiagnoseOptions): Promise<Check[]> {
  const [raw] = await read(targets, { cmdlet: 'Get-OrganizationConfig', params: {} })
  const checks: Check[] = []
  if (raw) {
    const org = organizationConfigObject.parse(raw)
    const verdict = ewsVerdict(
      org.EwsApplicationAccessPolicy,
      org.EwsAllowList,
      org.EwsBlockList,
      org.EwsEnabled,
    )
    checks.push(
      check(
        'ews.organization',
        'EWS (organisation) is enabled and lets the scheduling service in',
        verdict.status,
        verdict.evidence,
        ewsFix('Set-OrganizationConfig', org.EwsApplicationAccessPolicy, org.EwsBlockList, org.EwsEnabled),
        'The Teams scheduling service reaches the mailbox over EWS; EWS switched off or this policy turns it away.',
      ),
    )
  }
  if (options.delegator) {
    const [cas] = await read(targets, { cmdlet: 'Get-CASMailbox', params: { Identity: options.delegator } })
    if (cas) {
      const mailbox = casMailboxObject.parse(cas)
      const verdict = ewsVerdict(
        mailbox.EwsApplicationAccessPolicy,
        mailbox.EwsAllowList,
        mailbox.EwsBlockList,
        mailbox.EwsEnabled,
      )
      checks.push(
        check(
          'ews.mailbox',
          `EWS of ${options.delegator} is enabled and lets the scheduling service in`,
          verdict.status,
          verdict.evidence,
          ewsFix(
            `Set-CASMailbox -Identity ${quote(options.delegator)}`,
            mailbox.EwsApplicationAccessPolicy,
            mailbox.EwsBlockList,
            mailbox.EwsEnabled,
          ),
          'The Teams scheduling service reaches the mailbox over EWS; EWS switched off or this policy turns it away.',
        ),
      )
    }
  }
  return checks
}
