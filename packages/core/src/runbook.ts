import { parseInput, type RunbookInput, type ValidInput } from './input'
import { profiles } from './profiles'
import type { Step } from './steps'

/** A runbook is data: the validated input and the ordered steps of its profile. */
export interface Runbook {
  input: ValidInput
  steps: Step[]
}

/** Validates the input (INPUT_INVALID names the field, its problem and the fix) and builds the profile's steps. */
export function buildRunbook(input: RunbookInput): Runbook {
  const valid = parseInput(input)
  return { input: valid, steps: profiles[valid.profile](valid) }
}
