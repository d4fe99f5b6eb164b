/**
 * `@teams-oauth/core/adapter`: what an adapter author needs below the engine, to speak core's
 * language from an ExchangePort or EntraPort, a fake of one, or a test of the model. A name is here
 * when only such code calls it: how keys are compared and merged, the schemas of cmdlet output and of
 * Exchange's objects, quoting for PowerShell, the step kinds, the journal's internals, the read-back
 * and the execution of one action, the Graph clouds and the application ids. What an admin tool calls
 * (plan, apply, errors, the port interfaces…) is in `@teams-oauth/core`, and no name is in both: an
 * adapter imports the port types and TeamsOAuthError from there.
 */
export {
  actionSchema,
  certificateRefSchema,
  entraActionSchema,
  exchangeActionSchema,
  exchangeWriteCmdlets,
} from './actions'
export { appIds, appNames } from './app-ids'
export { authCertificateRenewal, certificateRef, daysUntil, thumbprintOf } from './certificate'
export { checkCmdletOutput, cmdletOutputSchemas, parseCmdletOutput } from './cmdlet-output'
export { auditMailbox, auditScopes, defaultAuditConcurrency, mailboxListCall } from './delegates/audit'
export {
  canWriteCalendar,
  type DelegatePairFacts,
  delegateAccessSteps,
  delegatorEws,
  evaluateDelegatePair,
  type RightsLevel,
  rightsLevel,
} from './delegates/evaluate'
export { delegateVerdicts, delegatorEwsSchema } from './delegates/finding'
export { readCalendar, readCalendarPermissions, readCasMailbox } from './delegates/read'
export { checkSchema, checkStatuses } from './doctor'
export { executeEntraAction, type KeyWriteResult, keyWriteResultSchema, maxKeyRereads } from './entra-actions'
export * from './exchange-objects'
export { execute } from './execute'
export {
  type CloudSupport,
  cloudSupportNote,
  defaultGraphUrl,
  type GraphCloud,
  type GraphTarget,
  graphClouds,
  graphTarget,
} from './graph-cloud'
export { inputSchema } from './input'
export {
  journalEntrySchema,
  journalOrganisationSchema,
  journalSchema,
  journalVersion,
  sealJournal,
} from './journal'
export { assertJournalOf, isOwnStep, organisationOf, undoOf } from './journal-check'
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
export {
  cmdletCallSchema,
  cmdletNamePattern,
  cmdletValueSchema,
  exchangeCmdletError,
  exchangeErrorDataSchema,
  exchangeThrottling,
  isExchangeNotFound,
  keyCredentialSchema,
  keyCredentialWriteSchema,
  parameterNamePattern,
  readFound,
  servicePrincipalSchema,
} from './ports'
export { resolveUnconfirmed } from './read-back'
export { psCall, psValue, quote } from './script/quote'
export { type Decision, kindOf, type StepContext, servicePrincipalMissing, stepSchema } from './steps'
export type { PrintOptions, StepKind, UndoTarget } from './steps/step'
