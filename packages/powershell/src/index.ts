export { childEnvironment } from './environment'
export {
  isPowerShellError,
  PowerShellError,
  type PowerShellErrorCode,
  type PowerShellFailure,
} from './errors'
export { locatePwsh } from './locate'
export { isSecret, type Secret, secret } from './secret'
export {
  createPowerShellSession,
  type PowerShellCall,
  type PowerShellScript,
  type PowerShellSession,
  type PowerShellSessionOptions,
  type PowerShellSessionStats,
} from './session'
export type { Parameters, ParameterValue } from './wire'
