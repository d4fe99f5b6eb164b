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
export * from './delegates'
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
  type RollbackOptions,
  type RollbackResult,
  type RunEvent,
  type RunOptions,
  rollback,
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
export { emptyJournal, type Journal, type JournalEntry, journalSchema, parseJournal } from './journal'
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
