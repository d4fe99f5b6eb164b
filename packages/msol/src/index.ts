export { type MsolCredential, type MsolEntra, type MsolEntraOptions, msolEntra } from './msol-entra'
export { diffKeyCredentials, keyCredentialFromMsol, type MsolKeyDiff } from './msol-keys'
