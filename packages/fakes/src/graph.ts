// `@teams-oauth/fakes/graph`: the fake tenant's Microsoft Graph door, as msw handlers and as a
// loopback HTTP server. Kept apart from the main entry so that `createFakeTenant` loads no msw.
export {
  type FakeGraphServer,
  type GraphDoorStats,
  type GraphDoorTenant,
  type GraphHandlers,
  graphHandlers,
  startFakeGraphServer,
} from './graph-handlers'
