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
  type FakeGraphServer,
  type GraphDoorStats,
  type GraphDoorTenant,
  type GraphHandlers,
  graphHandlers,
  startFakeGraphServer,
} from './graph-handlers'
export {
  type FakeExchangeServer,
  fakeModulePath,
  type PwshDoorTenant,
  startFakeExchangeServer,
} from './pwsh-door'
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
