export {}
export { type FakeExchangeServer, fakeModulePath, type PwshDoorTenant, startFakeExchangeServer } from './pwsh-door'
export {
  type FakeGraphServer,
  type GraphDoorStats,
  type GraphDoorTenant,
  type GraphHandlers,
  graphHandlers,
  startFakeGraphServer,
} from './graph-handlers'
