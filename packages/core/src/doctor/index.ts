export { type Check, type CheckStatus, checkSchema, checkStatuses, type DoctorReport } from './checks'
export { type DiagnoseOptions, diagnose } from './diagnose'
