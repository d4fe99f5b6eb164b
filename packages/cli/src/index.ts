export { type CliIO, exitCodes } from './io'
export { createProgram, main } from './program'
