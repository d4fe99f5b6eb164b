import { appIds, appNames } from '../app-ids'
import { authCertificateRenewal, type CertificateInfo, daysUntil, parseCertificate } from '../certificate'
import { TeamsOAuthError } from '../errors'
import {
  authConfigObject,
  authServerObject,
  casMailboxObject,
  exchangeServerObject,
  mailboxFolderObject,
  mailboxFolderPermissionObject,
  mailboxObject,
  mailUserObject,
  managementRoleEntryObject,
  organizationConfigObject,
  partnerApplicationObject,
  roleAssignmentObject,
} from '../exchange-objects'
import type { ProfileName } from '../input'
import { keyMatches } from '../key-credentials'
import { type CmdletCall, type CmdletObject, readFound, type ServicePrincipal, type Targets } from '../ports'
import { quote } from '../script/quote'
import { identityName } from '../steps/step'
import { type Check, type CheckStatus, check, type DoctorReport } from './checks'

export interface DiagnoseOptions {
  profile: ProfileName
  /** The verified domain, for the fix commands. */
  domain?: string
  accounts?: { teams?: string; sfbonline?: string }
  /** Check the delegate's rights on the delegator's calendar. */
  delegate?: string
  delegator?: string
  now?: Date
}

const expiryWarningDays = 60 // as Exchange's Health Checker

const read = (targets: Targets, call: CmdletCall) => readFound(targets.exchange, call)

const applyFix = (options: DiagnoseOptions, profile: ProfileName = options.profile) =>
  `teams-oauth apply --profile ${profile} --domain ${options.domain ?? '<verified domain>'}`

interface PartnerAppWanted {
  name: string
  appId: string
  account: string | null
  roles: string[]
}

const wantedApps = (options: DiagnoseOptions): PartnerAppWanted[] => {
  const teams = options.accounts?.teams ?? 'TeamsScheduler'
  const sfb = options.accounts?.sfbonline ?? 'SfBOnline-ApplicationAccount'
  const teamsApps = [
    { name: 'TeamsScheduler', appId: appIds.teamsScheduler, account: teams, roles: ['TeamsSchedulerRole'] },
    { name: 'CloudVoicemail', appId: appIds.cloudVoicemail, account: null, roles: [] },
  ]
  const sfbApps = [
    {
      name: 'SfBOnline',
      appId: appIds.skypeForBusinessOnline,
      account: sfb,
      roles: ['UserApplication', 'ArchiveApplication'],
    },
  ]
  return options.profile === 'teams'
    ? teamsApps
    : options.profile === 'sfbonline'
      ? sfbApps
      : [...sfbApps, ...teamsApps]
}

const servicePrincipalsFor = (profile: ProfileName): string[] =>
  profile === 'sfbonline'
    ? [appIds.skypeForBusinessOnline]
    : [appIds.cloudVoicemail, appIds.teamsScheduler, appIds.skypeForBusinessOnline]

/** Read-only checks of everything the integration needs, each with its status, evidence and fix. */
export async function diagnose(targets: Targets, options: DiagnoseOptions): Promise<DoctorReport> {
  const now = options.now ?? new Date()
  const checks: Check[] = []
  const partnerApps = (await read(targets, { cmdlet: 'Get-PartnerApplication', params: {} })).map((a) =>
    partnerApplicationObject.parse(a),
  )
  const byAppId = (appId: string) => partnerApps.find((a) => a.ApplicationIdentifier.toLowerCase() === appId)

  // Partner applications of the profile, and their accounts
  for (const wanted of wantedApps(options)) {
    const app = byAppId(wanted.appId)
    const title = `Partner application ${wanted.name} (${wanted.appId})`
    if (!app) {
      checks.push(
        check(
          `partnerApplication.${wanted.name}`,
          title,
          'fail',
          ['absent'],
          applyFix(options),
          `Exchange accepts tokens of ${appNames[wanted.appId]} only from an enabled partner application.`,
        ),
      )
      continue
    }
    const evidence = [
      `${app.Name}: ${app.Enabled ? 'enabled' : 'disabled'}`,
      `linked account: ${app.LinkedAccount ?? '(none)'}`,
    ]
    const linkedRight =
      wanted.account === null ||
      identityName(app.LinkedAccount).toLowerCase() === wanted.account.toLowerCase()
    const unlinked = wanted.account !== null && !app.LinkedAccount
    // acting as another account works; it is only not the procedure's account, and apply leaves it
    const status: CheckStatus = !app.Enabled || unlinked ? 'fail' : linkedRight ? 'pass' : 'warn'
    checks.push(
      check(
        `partnerApplication.${wanted.name}`,
        title,
        status,
        evidence,
        status === 'warn'
          ? `Set-PartnerApplication -Identity ${quote(app.Name)} -LinkedAccount ${quote(wanted.account ?? '')}, if ${app.LinkedAccount} is not meant to act for it`
          : applyFix(options),
        !app.Enabled
          ? 'A disabled partner application is ignored.'
          : unlinked
            ? `It acts as no account; it must act as ${wanted.account}.`
            : `It acts as ${app.LinkedAccount}, not as the procedure's ${wanted.account}.`,
      ),
    )
    if (wanted.account) checks.push(await accountCheck(targets, wanted, options))
  }

  // Health Checker's Red case: only the legacy Skype for Business Online app
  const legacy = byAppId(appIds.skypeForBusinessOnline)
  const modern = byAppId(appIds.teamsScheduler) ?? byAppId(appIds.cloudVoicemail)
  checks.push(
    check(
      'partnerApplication.legacyOnly',
      'Not only the legacy Skype for Business Online partner application',
      legacy && !modern ? 'fail' : 'pass',
      [
        legacy ? `legacy ${legacy.Name} present` : 'legacy app absent',
        modern ? `modern ${modern.Name} present` : 'TeamsScheduler and CloudVoicemail absent',
      ],
      applyFix(options, 'teams'),
      "Exchange's Health Checker rates this Red since October 2025: Teams now calls with the Teams Calendar Scheduler and Cloud Voicemail apps (keep the legacy app; voicemail greetings still use it).",
    ),
  )

  // The auth certificate, current and next
  const [rawConfig] = await read(targets, { cmdlet: 'Get-AuthConfig', params: {} })
  const config = rawConfig ? authConfigObject.parse(rawConfig) : null
  const certificates: {
    role: 'current' | 'next' | 'previous'
    thumbprint: string
    certificate: CertificateInfo | null
  }[] = []
  for (const [role, thumbprint] of [
    ['current', config?.CurrentCertificateThumbprint],
    ['next', config?.NextCertificateThumbprint],
    ['previous', config?.PreviousCertificateThumbprint],
  ] as const) {
    if (!thumbprint) continue
    const der = await targets.exchange.exportCertificate(thumbprint)
    certificates.push({
      role,
      thumbprint: thumbprint.toUpperCase(),
      certificate: der ? parseCertificate(der) : null,
    })
  }
  const current = certificates.find((c) => c.role === 'current')
  const next = certificates.find((c) => c.role === 'next')
  const renew = `${authCertificateRenewal}; then ${applyFix(options)}`
  if (!current?.certificate) {
    checks.push(
      check(
        'authCertificate',
        'Exchange auth certificate',
        'fail',
        [
          current
            ? `${current.thumbprint} named by Get-AuthConfig is in no certificate store`
            : 'Get-AuthConfig names no current certificate',
        ],
        renew,
        'Without the auth certificate Exchange can neither sign nor be trusted.',
      ),
    )
  } else {
    const days = daysUntil(current.certificate.notAfter, now)
    const status: CheckStatus = days < 0 ? 'fail' : days < expiryWarningDays ? 'warn' : 'pass'
    checks.push(
      check(
        'authCertificate',
        'Exchange auth certificate',
        status,
        [
          `${current.thumbprint}, ${current.certificate.subject}`,
          days < 0
            ? `expired on ${current.certificate.notAfter.toISOString().slice(0, 10)}`
            : `expires on ${current.certificate.notAfter.toISOString().slice(0, 10)}, in ${days} day(s)`,
        ],
        renew,
        days < 0
          ? 'An expired auth certificate breaks every OAuth call between Exchange and Microsoft 365.'
          : `It expires within ${expiryWarningDays} days: renew it and upload the new one before then.`,
      ),
    )
  }
  if (next) {
    checks.push(
      check(
        'authCertificate.next',
        'Next auth certificate',
        next.certificate ? 'pass' : 'fail',
        [
          `${next.thumbprint} effective ${config?.NextCertificateEffectiveDate ?? '(no date)'}`,
          next.certificate ? 'in the certificate store' : 'in no certificate store',
        ],
        renew,
        'Get-AuthConfig names a next certificate that no Exchange server holds.',
      ),
    )
  }

  // Entra: the certificates as Verify keys on every service principal the profile needs
  for (const appId of servicePrincipalsFor(options.profile)) {
    checks.push(
      await entraCheck(
        targets,
        appId,
        current?.certificate ?? null,
        next?.certificate ?? null,
        certificates,
        options,
      ),
    )
  }

  checks.push(...(await hybridChecks(targets, byAppId(appIds.exchangeOnline) ?? null)))
  checks.push(...(await ewsPolicyChecks(targets, options)))
  checks.push(...(await buildChecks(targets, options)))
  if (options.delegate && options.delegator)
    checks.push(await delegateCheck(targets, options.delegate, options.delegator))

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

async function accountCheck(
  targets: Targets,
  wanted: PartnerAppWanted,
  options: DiagnoseOptions,
): Promise<Check> {
  const account = wanted.account!
  const title = `Application account ${account}: hidden, holding ${wanted.roles.join(', ')}`
  const [raw] = await read(targets, { cmdlet: 'Get-MailUser', params: { Identity: account } })
  if (!raw)
    return check(
      `account.${account}`,
      title,
      'fail',
      ['absent'],
      applyFix(options),
      'The partner application acts as this account.',
    )
  const user = mailUserObject.parse(raw)
  const evidence = [
    `${user.Name} <${user.ExternalEmailAddress.replace(/^smtp:/i, '')}>`,
    user.HiddenFromAddressListsEnabled ? 'hidden from address lists' : 'shown in address lists',
  ]
  let ok = user.HiddenFromAddressListsEnabled
  for (const role of wanted.roles) {
    const assignments = (
      await read(targets, {
        cmdlet: 'Get-ManagementRoleAssignment',
        params: { Role: role, RoleAssignee: account },
      })
    ).map((a) => roleAssignmentObject.parse(a))
    const held = assignments.some((a) => a.Enabled)
    ok &&= held
    evidence.push(`${role}: ${held ? 'assigned' : 'not assigned'}`)
  }
  if (wanted.roles.includes('TeamsSchedulerRole')) {
    const entries = (
      await read(targets, {
        cmdlet: 'Get-ManagementRoleEntry',
        params: { Identity: 'TeamsSchedulerRole\\*' },
      })
    ).map((e) => managementRoleEntryObject.parse(e).Name)
    const onlyGetDelegate = entries.length === 1 && entries[0]?.toLowerCase() === 'getdelegate'
    ok &&= onlyGetDelegate
    evidence.push(
      `TeamsSchedulerRole entries: ${entries.length ? (entries.length > 4 ? `${entries.length} entries` : entries.join(', ')) : 'none'}`,
    )
  }
  return check(
    `account.${account}`,
    title,
    ok ? 'pass' : 'fail',
    evidence,
    applyFix(options),
    'The scheduling service acts as this account, with exactly these rights.',
  )
}

async function entraCheck(
  targets: Targets,
  appId: string,
  current: CertificateInfo | null,
  next: CertificateInfo | null,
  certificates: { role: string; thumbprint: string }[],
  options: DiagnoseOptions,
): Promise<Check> {
  const name = appNames[appId] ?? appId
  const title = `Auth certificate uploaded to the service principal of ${name}`
  let sp: ServicePrincipal | null
  try {
    sp = await targets.entra.getServicePrincipal(appId)
  } catch (error) {
    return check(
      `entra.${appId}`,
      title,
      'fail',
      [`could not read: ${(error as Error).message}`],
      'check the Graph permissions (Application.ReadWrite.All)',
    )
  }
  if (!sp)
    return check(
      `entra.${appId}`,
      title,
      'fail',
      [`no service principal for ${appId}`],
      `New-MgServicePrincipal -AppId ${quote(appId)} (with an administrator's consent), then ${applyFix(options)}`,
    )
  const has = (c: CertificateInfo | null) =>
    Boolean(c && sp.keyCredentials.some((k) => keyMatches(k, c.thumbprint) && k.usage === 'Verify'))
  const evidence = [`${sp.keyCredentials.length} key(s)`]
  if (current) evidence.push(`current ${current.thumbprint}: ${has(current) ? 'uploaded' : 'not uploaded'}`)
  if (next) evidence.push(`next ${next.thumbprint}: ${has(next) ? 'uploaded' : 'not uploaded'}`)
  const previous = certificates.find((c) => c.role === 'previous')
  const previousUploaded = previous && sp.keyCredentials.some((k) => keyMatches(k, previous.thumbprint))
  if (!current)
    return check(
      `entra.${appId}`,
      title,
      'fail',
      [...evidence, 'no current auth certificate to compare'],
      applyFix(options),
    )
  if (!has(current))
    return check(
      `entra.${appId}`,
      title,
      'fail',
      evidence,
      applyFix(options),
      previousUploaded
        ? `The auth certificate was renewed but not re-uploaded: the previous ${previous.thumbprint} is there, the current ${current.thumbprint} is not. Nothing else uploads it; the integration stopped working silently.`
        : `${name} cannot verify Exchange's tokens until the certificate is one of its keys.`,
    )
  if (next && !has(next))
    return check(
      `entra.${appId}`,
      title,
      'warn',
      evidence,
      applyFix(options),
      `The renewed certificate ${next.thumbprint} is not uploaded; when it takes effect the integration stops working silently. Upload it now.`,
    )
  return check(`entra.${appId}`, title, 'pass', evidence)
}

async function hybridChecks(
  targets: Targets,
  exchangeOnline: ReturnType<typeof partnerApplicationObject.parse> | null,
): Promise<Check[]> {
  const servers = (await read(targets, { cmdlet: 'Get-AuthServer', params: {} })).map((s) =>
    authServerObject.parse(s),
  )
  const evo = servers.find((s) => s.Type === 'AzureAD' && s.Enabled)
  return [
    check(
      'hybrid.authServer',
      'Hybrid OAuth: an enabled evoSTS auth server (Microsoft Entra)',
      evo ? 'pass' : 'fail',
      servers.length
        ? servers.map((s) => `${s.Name}: ${s.Type}, ${s.Enabled ? 'enabled' : 'disabled'}`)
        : ['no auth server'],
      "Run the Hybrid Configuration Wizard with OAuth, or New-AuthServer -Name 'EvoSts - <tenant id>' -Type AzureAD -AuthMetadataUrl 'https://login.windows.net/<tenant id>/federationmetadata/2007-06/federationmetadata.xml'",
      'Exchange trusts Microsoft Entra tokens only through an enabled AzureAD (evoSTS) auth server.',
    ),
    check(
      'hybrid.exchangeOnline',
      `Hybrid OAuth: an enabled Exchange Online partner application (${appIds.exchangeOnline})`,
      exchangeOnline?.Enabled ? 'pass' : 'fail',
      [
        exchangeOnline
          ? `${exchangeOnline.Name}: ${exchangeOnline.Enabled ? 'enabled' : 'disabled'}`
          : 'absent',
      ],
      'Run the Hybrid Configuration Wizard with OAuth (it creates the Exchange Online partner application).',
      'Hybrid OAuth itself is not set up.',
    ),
  ]
}

const allowsScheduling = (list: string[] | null) =>
  (list ?? []).some((entry) => /schedulingservice/i.test(entry))

function ewsVerdict(
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

async function ewsPolicyChecks(targets: Targets, options: DiagnoseOptions): Promise<Check[]> {
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

/** Exchange 2016 CU3 (15.1.544) or later; 2019 (15.2) and Subscription Edition pass. */
const buildOk = (version: string) => {
  const m = /Version (\d+)\.(\d+) \(Build (\d+)/.exec(version)
  if (!m) return null
  const [major, minor, build] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return major > 15 || (major === 15 && (minor > 1 || (minor === 1 && build >= 544)))
}

async function buildChecks(targets: Targets, options: DiagnoseOptions): Promise<Check[]> {
  let serverName: string | null = null
  if (options.delegator) {
    const [mailbox] = await read(targets, { cmdlet: 'Get-Mailbox', params: { Identity: options.delegator } })
    serverName = mailbox ? mailboxObject.parse(mailbox).ServerName : null
  }
  const servers = (
    await read(targets, { cmdlet: 'Get-ExchangeServer', params: serverName ? { Identity: serverName } : {} })
  ).map((s) => exchangeServerObject.parse(s))
  if (servers.length === 0) return []
  const old = servers.filter((s) => buildOk(s.AdminDisplayVersion) === false)
  return [
    check(
      'exchange.build',
      serverName ? `Exchange build of ${options.delegator}'s server` : 'Exchange builds (2016 CU3 or later)',
      old.length ? 'fail' : 'pass',
      servers.map((s) => `${s.Name}: ${s.AdminDisplayVersion}`),
      'Update the server to a supported cumulative update (Exchange 2016 CU23, Exchange 2019 CU14 or Subscription Edition).',
      "The delegator's mailbox must be on Exchange 2016 CU3 or later.",
    ),
  ]
}

async function delegateCheck(targets: Targets, delegate: string, delegator: string): Promise<Check> {
  const title = `${delegate}'s rights on ${delegator}'s calendar`
  const folders = (
    await read(targets, {
      cmdlet: 'Get-MailboxFolderStatistics',
      params: { Identity: delegator, FolderScope: 'Calendar' },
    })
  ).map((f) => mailboxFolderObject.parse(f))
  // The default calendar, whatever its localised name (Calendar, Kalender, Calendrier, …).
  const calendar = folders.find((f) => f.FolderType === 'Calendar')
  if (!calendar)
    return check(
      'delegate.rights',
      title,
      'fail',
      [`no calendar folder found for ${delegator}`],
      `Get-MailboxFolderStatistics -Identity ${quote(delegator)} -FolderScope Calendar`,
      'Is the delegator a mailbox on this organisation?',
    )
  const folder = `${delegator}:\\${calendar.Name}`
  let found: CmdletObject[]
  try {
    found = await read(targets, {
      cmdlet: 'Get-MailboxFolderPermission',
      params: { Identity: folder, User: delegate },
    })
  } catch (error) {
    // Exchange's answer for a user with no entry on the folder at all
    if (!(error instanceof TeamsOAuthError && error.data.reason === 'UserNotFoundInPermissionEntryException'))
      throw error
    found = []
  }
  const permissions = found.map((p) => mailboxFolderPermissionObject.parse(p))
  const rights = permissions.flatMap((p) => p.AccessRights)
  const has = (...wanted: string[]) =>
    wanted.every((w) => rights.some((r) => r.toLowerCase() === w.toLowerCase()))
  const evidence = [
    `calendar folder: ${calendar.Name}`,
    `${delegate}: ${rights.length ? rights.join(', ') : 'no permission'}`,
  ]
  const set = `${permissions.length ? 'Set' : 'Add'}-MailboxFolderPermission -Identity ${quote(folder)} -User ${quote(delegate)} -AccessRights Editor -SharingPermissionFlags Delegate`
  // Editor, or a role or custom set that holds what Editor gives (PublishingEditor, …); Owner alone is the seed's failure
  if (
    has('Editor') ||
    has('PublishingEditor') ||
    has('CreateItems', 'ReadItems', 'EditAllItems', 'DeleteAllItems')
  )
    return check('delegate.rights', title, 'pass', evidence)
  if (has('Author') || has('PublishingAuthor'))
    return check(
      'delegate.rights',
      title,
      'warn',
      evidence,
      set,
      "Author is the minimum that works per Microsoft; Outlook's Delegate Access sets Editor, which the original procedure asks for.",
    )
  if (has('Owner'))
    return check(
      'delegate.rights',
      title,
      'fail',
      evidence,
      set,
      "Owner does not work for a delegate adding a Teams meeting: give the delegate Editor (Outlook's Delegate Access), as the original write-up found.",
    )
  return check(
    'delegate.rights',
    title,
    'fail',
    evidence,
    set,
    "The delegate needs Editor on the delegator's calendar to schedule for them.",
  )
}
