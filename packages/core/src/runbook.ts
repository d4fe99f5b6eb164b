import { assertCertificateUsable, parseCertificate } from './certificate'
import { parseInput, type RunbookInput, type ValidInput } from './input'
import { profiles } from './profiles'
import type { Step } from './steps'

/** A runbook is data: the validated input and the ordered steps of its profile. */
export interface Runbook {
  input: ValidInput
  steps: Step[]
}

/**
 * Validates the input (INPUT_INVALID names the field, its problem and the fix; CERTIFICATE_INVALID
 * an unreadable, expired or not yet valid certificate) and builds the profile's steps.
 */
export function buildRunbook(input: RunbookInput, options: { now?: Date } = {}): Runbook {
  const valid = parseInput(input)
  if (valid.certificate)
    assertCertificateUsable(parseCertificate(valid.certificate), options.now ?? new Date())
  const pair: Step[] = valid.delegate
    ? [
        {
          kind: 'delegatePermission',
          id: `delegatePermission.${valid.delegate.delegator}.${valid.delegate.delegate}`,
          ...valid.delegate,
        },
      ]
    : []
  return { input: valid, steps: [...profiles[valid.profile](valid), ...pair] }
}
