import { appIds } from '../app-ids'
import { partnerApplicationObject } from '../exchange-objects'
import type { Targets } from '../ports'
import { buildRunbook } from '../runbook'
import { verify } from '../verify'
import { buildChecks } from './build-checks'
import { certificateChecks } from './certificate-checks'
import type { Check, DoctorReport } from './checks'
import { type DiagnoseOptions, read } from './context'
import { delegateCheck } from './delegate-check'
import { ewsPolicyChecks } from './ews-checks'
import { hybridChecks } from './hybrid-checks'
import { cloudCheck, legacyOnlyCheck } from './profile-checks'
import { stepChecks } from './step-checks'

export type { DiagnoseOptions } from './context'

/**
 * Read-only checks of everything the integration needs, each with its status, evidence and fix: first
 * the steps of the profile's runbook as verify finds them, then what doctor checks beyond the runbook.
 */
export async function diagnose(targets: Targets, options: DiagnoseOptions): Promise<DoctorReport> {
  const now = options.now ?? new Date()
  const { delegate, delegator } = options
  const runbook = buildRunbook(
    {
      profile: options.profile,
      domain: options.domain,
      ...(options.accounts ? { accounts: options.accounts } : {}),
      ...(delegate && delegator ? { delegate: { delegate, delegator } } : {}),
    },
    { now },
  )
  const checks: Check[] = stepChecks(await verify(runbook, targets, { now }), options)

  const partnerApps = (await read(targets, { cmdlet: 'Get-PartnerApplication', params: {} })).map((a) =>
    partnerApplicationObject.parse(a),
  )
  const byAppId = (appId: string) => partnerApps.find((a) => a.ApplicationIdentifier.toLowerCase() === appId)
  checks.push(legacyOnlyCheck(byAppId, options))
  checks.push(...(await certificateChecks(targets, options)))
  checks.push(...(await hybridChecks(targets, byAppId(appIds.exchangeOnline) ?? null, options)))
  checks.push(...(await ewsPolicyChecks(targets, options)))
  checks.push(...(await buildChecks(targets, options)))
  if (delegate && delegator) checks.push(await delegateCheck(targets, delegate, delegator))

  const cloud = cloudCheck(options)
  if (cloud) checks.push(cloud)

  const [org] = await read(targets, { cmdlet: 'Get-OrganizationConfig', params: {} })
  const counts = { pass: 0, warn: 0, fail: 0 }
  for (const c of checks) counts[c.status]++
  return {
    organisation:
      (org && typeof org.Name === 'string' && org.Name) || options.domain || 'Exchange organisation',
    profile: options.profile,
    checkedAt: now.toISOString(),
    ok: counts.warn === 0 && counts.fail === 0,
    counts,
    checks,
  }
}
