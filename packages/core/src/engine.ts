/** The engine: plan observes and decides, apply carries the plan out and journals it, verify reports. */
export { type ApplyOptions, type ApplyResult, apply } from './apply'
export {
  assertNotBlocked,
  type Plan,
  type PlanAction,
  type PlanStep,
  plan,
  type RunEvent,
  type RunOptions,
} from './plan'
export { type VerifyReport, type VerifyStep, verify } from './verify'
