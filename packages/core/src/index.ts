export * from './actions'
export { appIds, appNames } from './app-ids'
export {
  assertCertificateUsable,
  type CertificateInfo,
  certificateRef,
  daysUntil,
  parseCertificate,
  thumbprintOf,
} from './certificate'
export {
  type Check,
  type CheckStatus,
  checkSchema,
  checkStatuses,
  type DiagnoseOptions,
  type DoctorReport,
  diagnose,
} from './doctor'
export {
  type ApplyOptions,
  type ApplyResult,
  apply,
  assertNotBlocked,
  type Plan,
  type PlanAction,
  type PlanStep,
  plan,
  type RunEvent,
  type RunOptions,
  type VerifyReport,
  type VerifyStep,
  verify,
} from './engine'
export { executeEntraAction } from './entra-actions'
export * from './errors'
export * from './exchange-objects'
export {
  type EntraPath,
  entraPaths,
  type InputIssue,
  inputSchema,
  type ProfileName,
  parseInput,
  profileNames,
  type RunbookInput,
  type ValidInput,
} from './input'
export {
  emptyJournal,
  type Journal,
  type JournalEntry,
  type JournalOrganisation,
  journalOrganisationSchema,
  journalSchema,
  journalVersion,
  parseJournal,
  sealJournal,
} from './journal'
export { assertJournalOf, bindJournal, checkJournal, isOwnStep, organisationOf } from './journal-check'
export {
  isExpired,
  type KeyMerge,
  keepKey,
  keyMatches,
  keyThumbprints,
  mergeKeyCredentials,
  newKeyFor,
} from './key-credentials'
export * from './ports'
export { profiles } from './profiles'
export { type RollbackOptions, type RollbackResult, rollback, type UndoneAction } from './rollback'
export { buildRunbook, type Runbook } from './runbook'
export { psCall, psValue, quote } from './script/quote'
export { renderScript, type ScriptOptions } from './script/render'
export {
  type Decision,
  kindOf,
  type PlannedAction,
  type Step,
  type StepContext,
  servicePrincipalMissing,
  stepSchema,
} from './steps'
