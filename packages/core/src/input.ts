import { z } from 'zod'
import { TeamsOAuthError } from './errors'

export const profileNames = ['teams', 'sfbonline', 'all'] as const
export type ProfileName = (typeof profileNames)[number]
export const entraPaths = ['graph', 'msol'] as const
export type EntraPath = (typeof entraPaths)[number]

const dnsLabel = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/
const isDnsName = (value: string): boolean => {
  const labels = value.split('.')
  return (
    value.length <= 253 &&
    labels.length >= 2 &&
    labels.every((label) => dnsLabel.test(label)) &&
    /^[A-Za-z]{2,63}$/.test(labels[labels.length - 1] ?? '')
  )
}

const dnsName = (example: string) =>
  z
    .string({ error: `expected text, e.g. ${example}` })
    .trim()
    .refine(isDnsName, {
      error: (issue) => `${JSON.stringify(issue.input)} is not a DNS name (e.g. ${example})`,
    })
    .transform((value) => value.toLowerCase())

/** Exchange's Name and Alias rules, narrowed to what is safe everywhere: letters, digits, '.', '_', '-'. */
const accountName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a usable account name (1-64 letters, digits, '.', '_' or '-', starting with a letter or digit)`,
  })

/** A recipient as Exchange's identity parameters take it: alias, address or name; no control characters. */
const recipientIdentity = z
  .string()
  .trim()
  .min(1, { error: 'is empty' })
  .max(256)
  .regex(/^[^\p{Cc}]+$/u, { error: 'holds a control character' })

export const inputSchema = z
  .object({
    profile: z.enum(profileNames, { error: (issue) => `${JSON.stringify(issue.input)} is not a profile` }),
    /** A domain verified in the tenant; the application accounts' addresses end in it. */
    domain: dnsName('contoso.com'),
    /** Pins every Exchange write (and read) to one domain controller, so later steps see earlier ones. */
    domainController: dnsName('dc01.contoso.com').optional(),
    accounts: z
      .object({
        sfbonline: accountName.default('SfBOnline-ApplicationAccount'),
        teams: accountName.default('TeamsScheduler'),
      })
      .prefault({}),
    entra: z
      .enum(entraPaths, { error: (issue) => `${JSON.stringify(issue.input)} is not an Entra path` })
      .default('graph'),
    /** Drop expired keys from the service principals while adding the certificate (the plan names them). */
    dropExpiredKeys: z.boolean().default(false),
    /** The auth certificate as bytes (DER, PEM or PKCS#7), instead of exporting it from Exchange. */
    certificate: z
      .custom<Uint8Array>((value) => value instanceof Uint8Array, {
        error: "expected the certificate's bytes",
      })
      .optional(),
    /** One delegate relationship to fix: the delegate gets Editor on the delegator's calendar. */
    delegate: z.object({ delegate: recipientIdentity, delegator: recipientIdentity }).strict().optional(),
  })
  .strict()

export type RunbookInput = z.input<typeof inputSchema>
export type ValidInput = z.output<typeof inputSchema>

const fixes: Record<string, string> = {
  profile: `choose one of ${profileNames.join(', ')} (--profile teams)`,
  domain: 'give a domain verified in your tenant (--domain contoso.com)',
  domainController:
    'give the FQDN of a domain controller (--domain-controller dc01.contoso.com), or leave it out',
  'accounts.sfbonline': 'give an account name such as SfBOnline-ApplicationAccount',
  'accounts.teams': 'give an account name such as TeamsScheduler',
  entra: `choose one of ${entraPaths.join(', ')} (--entra graph)`,
  dropExpiredKeys: 'pass true or false',
  certificate: 'pass the certificate bytes (a .cer, .pem or .p7b file)',
  'delegate.delegate': 'name the delegate by alias, address or name (--delegate bob)',
  'delegate.delegator': 'name the delegator by alias, address or name (--delegator alice)',
}

export interface InputIssue {
  field: string
  problem: string
  fix: string
}

/** Validates input for a runbook; on failure throws INPUT_INVALID naming each field, its problem and the fix. */
export function parseInput(input: unknown): ValidInput {
  const result = inputSchema.safeParse(input)
  if (result.success) return result.data
  const issues: InputIssue[] = result.error.issues.map((issue) => {
    const field =
      issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(input)')
    const problem = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message
    return { field, problem, fix: fixes[field] ?? 'see teams-oauth --help' }
  })
  const message = issues.map((i) => `${i.field}: ${i.problem}; ${i.fix}`).join('\n')
  throw new TeamsOAuthError('INPUT_INVALID', message, { issues })
}
