// `@teams-oauth/fakes`: the fake tenant, its seeds and scenarios, test certificates. Its doors load apart:
// `@teams-oauth/fakes/graph` (Graph over msw or loopback HTTP) and `@teams-oauth/fakes/pwsh` (the PowerShell stand-in).
export {
  describeCertificate,
  makeTestCertificate,
  type TestCertificate,
  type TestCertificateOptions,
  thumbprintOf,
} from './certificates'
export type { ChangeRecord } from './changes'
export { FakeGraphError, type GraphServicePrincipal } from './entra-model'
export type { FaultHooks, FaultSwitches, GraphFault } from './faults'
export {
  appIds,
  authCertificate,
  defaultState,
  type FakeSeed,
  type SeedContext,
  scenarios,
  stateFromSeed,
} from './seed'
export { type FakeState, fakeStateSchema } from './state'
export { createFakeTenant, type FakeTenant } from './tenant'
