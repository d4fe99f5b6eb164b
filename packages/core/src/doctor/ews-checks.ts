import { casMailboxObject, organizationConfigObject } from '../exchange-objects'
import type { Targets } from '../ports'
import { quote } from '../script/quote'
import { type Check, type CheckStatus, check } from './checks'
import { type DiagnoseOptions, read } from './context'

export const allowsScheduling = (list: string[] | null) =>
  (list ?? []).some((entry) => /schedulingservice/i.test(entry))

export function ewsVerdict(
  policy: string | null,
  allow: string[] | null,
  block: string[] | null,
): { status: CheckStatus; evidence: string } {
  if (policy === 'EnforceAllowList')
    return allowsScheduling(allow)
      ? {
          status: 'pass',
          evidence: `EnforceAllowList, allows ${(allow ?? []).filter((e) => /schedulingservice/i.test(e)).join(', ')}`,
        }
      : {
          status: 'fail',
          evidence: `EnforceAllowList without *SchedulingService* (allowed: ${(allow ?? []).join(', ') || 'none'})`,
        }
  if (policy === 'EnforceBlockList' && allowsScheduling(block))
    return { status: 'fail', evidence: `EnforceBlockList blocks ${(block ?? []).join(', ')}` }
  return {
    status: 'pass',
    evidence: policy ? `${policy}, scheduling service not blocked` : 'no EWS application access policy',
  }
}

export async function ewsPolicyChecks(targets: Targets, options: DiagnoseOptions): Promise<Check[]> {
  const [raw] = await read(targets, { cmdlet: 'Get-OrganizationConfig', params: {} })
  const checks: Check[] = []
  if (raw) {
    const org = organizationConfigObject.parse(raw)
    const verdict = ewsVerdict(org.EwsApplicationAccessPolicy, org.EwsAllowList, org.EwsBlockList)
    checks.push(
      check(
        'ews.organization',
        'EWS application access (organisation) lets the scheduling service in',
        verdict.status,
        [verdict.evidence],
        org.EwsApplicationAccessPolicy === 'EnforceBlockList'
          ? "Set-OrganizationConfig -EwsBlockList @{ Remove = '*SchedulingService*' }"
          : "Set-OrganizationConfig -EwsAllowList @{ Add = '*SchedulingService*' }",
        'The Teams scheduling service reaches the mailbox over EWS; this policy turns it away.',
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
      )
      checks.push(
        check(
          'ews.mailbox',
          `EWS application access of ${options.delegator} lets the scheduling service in`,
          verdict.status,
          [verdict.evidence],
          `Set-CASMailbox -Identity ${quote(options.delegator)} -EwsAllowList @{ Add = '*SchedulingService*' }`,
          'The Teams scheduling service reaches the mailbox over EWS; this policy turns it away.',
        ),
      )
    }
  }
  return checks
}
