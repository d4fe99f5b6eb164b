// `@teams-oauth/fakes/pwsh`: the fake tenant's PowerShell door, a loopback server the stand-in
// module (pwsh/TeamsOAuth.Fake.psm1) forwards each cmdlet to. Kept apart from the main entry.
export {
  type FakeExchangeServer,
  fakeModulePath,
  type PwshDoorTenant,
  startFakeExchangeServer,
} from './pwsh-door'
