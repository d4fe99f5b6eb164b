/**
 * `@teams-oauth/core`: what an admin tool calls. A name is here when a program that configures an
 * organisation calls it or reads its type: build a runbook, plan, apply, verify, roll back, diagnose,
 * audit delegates, print the script, keep a journal, tell our errors apart; and the ports (as types)
 * it implements or passes. What only an adapter, a fake or a test of the model needs (how keys merge,
 * cmdlet output schemas, quoting, step kinds, journal internals, Graph clouds, application ids…) is in
 * `@teams-oauth/core/adapter`; no name is in both. The runtime names are pinned by a test
 * (test/main-entry.test.ts), so adding one is a decision.
 */
export type { Action, CertificateRef, EntraAction, ExchangeAction } from './actions'
export { assertCertificateUsable, type CertificateInfo, parseCertificate } from './certificate'
export {
  type AuditOptions,
  type AuditProgress,
  type AuditScope,
  auditConcurrency,
  auditDelegates,
  maxAuditConcurrency,
} from './delegates/audit'
export {
  type DelegateFinding,
  type DelegateVerdict,
  type DelegatorEws,
  delegateFindingSchema,
  verdictCounts,
} from './delegates/finding'
export { type Check, type CheckStatus, type DiagnoseOptions, type DoctorReport, diagnose } from './doctor'
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
export {
  type CommonErrorData,
  type ErrorCode,
  type ErrorData,
  type GraphRequestData,
  type InputIssue,
  inputErrorCodes,
  isTeamsOAuthError,
  type PowerShellFailureData,
  TeamsOAuthError,
  type TeamsOAuthErrorData,
  type TeamsOAuthErrorOf,
  toTeamsOAuthError,
} from './errors'
export {
  type EntraPath,
  entraPaths,
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
  parseJournal,
} from './journal'
export { bindJournal, checkJournal } from './journal-check'
export type {
  CmdletCall,
  CmdletObject,
  CmdletValue,
  EntraPort,
  ExchangeErrorData,
  ExchangePort,
  KeyCredential,
  KeyCredentialWrite,
  ReadOptions,
  ServicePrincipal,
  Targets,
} from './ports'
export { profiles } from './profiles'
export { type RollbackOptions, type RollbackResult, rollback, type UndoneAction } from './rollback'
export { buildRunbook, type Runbook } from './runbook'
export { renderScript, type ScriptOptions } from './script/render'
export type { PlannedAction, Step } from './steps'
