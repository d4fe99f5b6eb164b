import { type Action, exchangeWriteCmdlets } from './actions'
import { appIds, appNames } from './app-ids'
import { TeamsOAuthError } from './errors'
import { accountNamePattern, isDnsName } from './input'
import { brokenLink, canonical, type Journal, type JournalEntry, type JournalOrganisation } from './journal'
import type { Targets } from './ports'
import { applicationAccountAddress } from './profiles'
import { kindOf, type Step } from './steps'

/** The undo a step kind writes for a journaled change, given the changes its step made before it. */
export function undoOf(entry: JournalEntry, journal: readonly JournalEntry[]): Action[] {
  if (entry.notApplied) return []
  const earlier = journal
    .filter((e) => e.step === entry.step && e.seq < entry.seq && !e.notApplied)
    .map((e) => e.action)
  return kindOf(entry.spec).undo(entry.spec, entry.action, entry.before, entry.result, earlier)
}

const account = (name: string) => accountNamePattern.test(name)

/** teams-oauth's own partner applications: name, application identifier, and whether one links an account. */
const ownApplications: readonly [string, string, boolean][] = [
  ['SfBOnline', appIds.skypeForBusinessOnline, true],
  ['TeamsScheduler', appIds.teamsScheduler, true],
  ['CloudVoicemail', appIds.cloudVoicemail, false],
]

/** Whether a step is one of the steps teams-oauth's profiles make (never the hybrid's objects, say). */
export function isOwnStep(step: Step): boolean {
  switch (step.kind) {
    case 'mailUser': {
      const domain = step.externalEmailAddress.slice(step.externalEmailAddress.indexOf('@') + 1)
      return (
        account(step.name) &&
        step.id === `mailUser.${step.name}` &&
        isDnsName(domain) &&
        step.externalEmailAddress === applicationAccountAddress(step.name, domain)
      )
    }
    case 'hiddenFromAddressLists':
      return account(step.user) && step.id === `hidden.${step.user}`
    case 'managementRole':
      return (
        step.id === 'managementRole.TeamsSchedulerRole' &&
        step.name === 'TeamsSchedulerRole' &&
        step.parent === 'UserApplication' &&
        canonical(step.keepEntries) === canonical(['GetDelegate'])
      )
    case 'roleAssignment':
      return (
        ['UserApplication', 'ArchiveApplication', 'TeamsSchedulerRole'].includes(step.role) &&
        account(step.user) &&
        step.id === `assignment.${step.role}.${step.user}`
      )
    case 'partnerApplication':
      return ownApplications.some(
        ([name, appId, linked]) =>
          step.name === name &&
          step.applicationIdentifier === appId &&
          step.id === `partnerApplication.${name}` &&
          (linked ? step.linkedAccount !== null && account(step.linkedAccount) : step.linkedAccount === null),
      )
    case 'authCertificate':
      return step.id === 'exchange.authCertificate'
    case 'delegatePermission':
      return step.id === `delegatePermission.${step.delegator}.${step.delegate}`
    case 'servicePrincipalKey':
      return (
        ownApplications.some(([, appId]) => appId === step.appId) &&
        step.id === `entra.key.${step.appId}` &&
        step.displayName === appNames[step.appId]
      )
  }
}

const refused = (entry: JournalEntry, why: string) =>
  new TeamsOAuthError(
    'JOURNAL_INVALID',
    `journal: entry ${entry.seq} (${entry.title}) ${why}; the file was changed after apply wrote it. Nothing was rolled back.`,
    { field: 'journal', seq: entry.seq },
  )

/**
 * Refuses, before any change, a journal that is not as teams-oauth wrote it: entries out of sequence,
 * a broken hash chain, a step or action teams-oauth does not make, an undo that is not its change's.
 * The hash chain finds edits and reordering, not someone who recomputes it: the Guid check at
 * rollback (checkTargets) is the guard against removing what teams-oauth did not create.
 */
export function checkJournal(journal: Journal): void {
  if (journal.entries.length > 0 && !journal.organisation)
    throw new TeamsOAuthError(
      'JOURNAL_INVALID',
      'journal: it holds changes but names no organisation; the file was changed after apply wrote it. Nothing was rolled back.',
      { field: 'journal' },
    )
  journal.entries.forEach((entry, index) => {
    if (entry.seq !== index + 1)
      throw refused(
        entry,
        `is at position ${index + 1} but has sequence number ${entry.seq}: entries were reordered, removed or added`,
      )
  })
  const broken = brokenLink(journal)
  if (broken !== null) {
    const entry = journal.entries.find((e) => e.seq === broken)!
    throw refused(
      entry,
      'does not match its recorded hash (its content, or the header or an entry before it, was edited)',
    )
  }
  for (const entry of journal.entries) {
    const kind = kindOf(entry.spec)
    if (entry.spec.id !== entry.step || !isOwnStep(entry.spec))
      throw refused(entry, 'names a step teams-oauth does not make')
    if (!(kind.fits?.(entry.spec, entry.action, entry.before) ?? false))
      throw refused(entry, 'records an action its step does not plan')
    for (const undo of entry.undo)
      if (undo.system === 'exchange' && !exchangeWriteCmdlets.has(undo.cmdlet))
        throw refused(entry, `undoes its change with ${undo.cmdlet}, a cmdlet teams-oauth never runs`)
    if (canonical(undoOf(entry, journal.entries)) !== canonical(entry.undo))
      throw refused(entry, 'does not undo its change the way teams-oauth would')
  }
}

/** The organisation the targets are: Get-OrganizationConfig's Guid and Name, and the Entra tenant id. */
export async function organisationOf(targets: Targets): Promise<JournalOrganisation> {
  const [config] = await targets.exchange.invoke({ cmdlet: 'Get-OrganizationConfig', params: {} })
  const guid = config?.Guid
  const name = config?.Name
  if (typeof guid !== 'string' || guid === '' || typeof name !== 'string') {
    const missing = typeof guid !== 'string' || guid === '' ? 'Guid' : 'Name'
    throw new TeamsOAuthError(
      'EXCHANGE_OUTPUT_INVALID',
      'Get-OrganizationConfig returned no Guid and Name, so teams-oauth cannot tell which organisation this is; nothing was changed',
      {
        cmdlet: 'Get-OrganizationConfig',
        property: missing,
        issues: [
          {
            field: `Get-OrganizationConfig.${missing}`,
            problem: `${missing} is missing`,
            fix: 'the Exchange port must return Get-OrganizationConfig with its Guid and Name as strings',
          },
        ],
      },
    )
  }
  const tenantId = (await targets.entra.tenantId?.()) ?? null
  return {
    exchange: { guid: guid.toLowerCase(), name },
    entra: { tenantId: tenantId?.toLowerCase() ?? null },
  }
}

const describe = (o: JournalOrganisation) =>
  `the Exchange organisation ${o.exchange.name} (${o.exchange.guid})${o.entra.tenantId ? ` and the tenant ${o.entra.tenantId}` : ''}`

/**
 * Refuses (JOURNAL_INVALID, an input error) a journal of another organisation or tenant. A tenant is
 * compared only when both sides know it (the MSOnline path does not).
 */
export function assertJournalOf(journal: Journal, organisation: JournalOrganisation): void {
  const bound = journal.organisation
  if (!bound) return
  const sameExchange = bound.exchange.guid.toLowerCase() === organisation.exchange.guid.toLowerCase()
  const sameTenant =
    bound.entra.tenantId === null ||
    organisation.entra.tenantId === null ||
    bound.entra.tenantId.toLowerCase() === organisation.entra.tenantId.toLowerCase()
  if (sameExchange && sameTenant) return
  throw new TeamsOAuthError(
    'JOURNAL_INVALID',
    `journal: it records changes to ${describe(bound)}, not to ${describe(organisation)} that these targets are. Pass this organisation's own journal (--journal <file>), or a new file name to start one.`,
    { field: 'journal', journal: bound, targets: organisation },
  )
}

/** Reads the targets' organisation and refuses a journal of another; binds an empty journal to it. */
export async function bindJournal(journal: Journal, targets: Targets): Promise<JournalOrganisation> {
  const organisation = await organisationOf(targets)
  assertJournalOf(journal, organisation)
  if (!journal.organisation) journal.organisation = organisation
  return organisation
}
