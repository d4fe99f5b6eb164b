export { type MsolEntra, type MsolEntraOptions, msolEntra } from './msol-entra'
export { diffKeyCredentials, keyCredentialFromMsol, type MsolKeyDiff } from './msol-keys'
export type { MsolCredential } from './msol-preflight'
