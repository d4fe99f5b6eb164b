export {
  isPowerShellError,
  PowerShellError,
  type PowerShellErrorCode,
  type PowerShellFailure,
} from './errors'
export { secretLeftovers } from './leftovers'
export { locatePwsh, pwshTestGate } from './locate'
export { isSecret, type Secret, secret } from './secret'
export {
  childEnvironment,
  createPowerShellSession,
  type Parameters,
  type ParameterValue,
  type PowerShellCall,
  type PowerShellScript,
  type PowerShellSession,
  type PowerShellSessionOptions,
  type PowerShellSessionStats,
} from './session'
