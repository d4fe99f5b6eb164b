export * from './actions'
export { appIds, appNames } from './app-ids'
export {
  assertCertificateUsable,
  authCertificateRenewal,
  type CertificateInfo,
  certificateRef,
  daysUntil,
  parseCertificate,
  thumbprintOf,
} from './certificate'
export { checkCmdletOutput, cmdletOutputSchemas, parseCmdletOutput } from './cmdlet-output'
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
  type RunEvent,
  type RunOptions,
  type VerifyReport,
  type VerifyStep,
  verify,
} from './engine'
export { executeEntraAction, type KeyWriteResult, keyWriteResultSchema, maxKeyRereads } from './entra-actions'
export * from './errors'
export * from './exchange-objects'
export {
  type CloudSupport,
  cloudSupportNote,
  defaultGraphUrl,
  type GraphCloud,
  type GraphTarget,
  graphClouds,
  graphTarget,
} from './graph-cloud'
export {
  type EntraPath,
  entraPaths,
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
  assertKeyValues,
  identifierHex,
  isExactly,
  isExpired,
  type KeyForm,
  type KeyMerge,
  keepKey,
  keptKeyIn,
  keyMatches,
  keyThumbprint,
  keyThumbprints,
  mergeKeyCredentials,
  minimalKey,
  newKeyFor,
  sameCollection,
  sameKey,
  sameKeyBytes,
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
