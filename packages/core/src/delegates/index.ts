export {
  type AuditOptions,
  type AuditProgress,
  type AuditScope,
  auditConcurrency,
  auditDelegates,
  auditMailbox,
  auditScopes,
  defaultAuditConcurrency,
  mailboxListCall,
  maxAuditConcurrency,
} from './audit'
export {
  canWriteCalendar,
  type DelegatePairFacts,
  delegateAccessSteps,
  delegatorEws,
  evaluateDelegatePair,
  type RightsLevel,
  rightsLevel,
} from './evaluate'
export {
  type DelegateFinding,
  type DelegateVerdict,
  type DelegatorEws,
  delegateFindingSchema,
  delegateVerdicts,
  delegatorEwsSchema,
  verdictCounts,
} from './finding'
export { readCalendar, readCalendarPermissions, readCasMailbox } from './read'
