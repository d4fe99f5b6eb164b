import { z } from 'zod'
import type { InputIssue } from './error-data'
import { isTeamsOAuthError, TeamsOAuthError } from './errors'
import { graphTarget } from './graph-cloud'

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
export const accountNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
export { isDnsName }

const accountName = z
  .string()
  .trim()
  .regex(accountNamePattern, {
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
    /** Microsoft Graph's base URL (national clouds); checked by the one Graph URL validator. */
    graphUrl: z
      .string()
      .superRefine((value, context) => {
        try {
          graphTarget(value)
        } catch (error) {
          if (!isTeamsOAuthError(error, 'INPUT_INVALID')) throw error
          const problem = error.data.issues?.[0]?.problem
          context.addIssue({ code: 'custom', message: `${JSON.stringify(value)} ${problem}` })
        }
      })
      .optional(),
    /** Drop expired keys from the service principals while adding the certificate (the plan names them). */
    dropExpiredKeys: z.boolean().default(false),
    /** The auth certificate as bytes (DER, PEM or PKCS#7), instead of exporting it from Exchange. */
    certificate: z
      .custom<Uint8Array>((value) => value instanceof Uint8Array, {
        error: "expected the certificate's bytes",
      })
      .optional(),
    /**
     * Build without New-MailUser -ApplicationAccount: a plain mail user, which Microsoft's procedure
     * does not offer; only when a person says so.
     */
    allowPlainMailUser: z.boolean().default(false),
    /** Upload `certificate` even when it is neither Exchange's current nor its next auth certificate. */
    anyCertificate: z.boolean().optional(),
    /** One delegate relationship to fix: the delegate gets Editor on the delegator's calendar. */
    delegate: z.object({ delegate: recipientIdentity, delegator: recipientIdentity }).strict().optional(),
  })
  .strict()
  .refine((input) => input.accounts.teams.toLowerCase() !== input.accounts.sfbonline.toLowerCase(), {
    path: ['accounts'],
    error: (issue) =>
      `the Teams account and the Skype for Business Online account are both ${JSON.stringify((issue.input as { accounts: { teams: string } }).accounts.teams)}; one account for both would give the Teams applications the legacy application's full UserApplication and ArchiveApplication rights`,
  })

export type RunbookInput = z.input<typeof inputSchema>
export type ValidInput = z.output<typeof inputSchema>

const fixes: Record<string, string> = {
  profile: `choose one of ${profileNames.join(', ')} (--profile teams)`,
  domain: 'give a domain verified in your tenant (--domain contoso.com)',
  domainController:
    'give the FQDN of a domain controller (--domain-controller dc01.contoso.com), or leave it out',
  'accounts.sfbonline': 'give an account name such as SfBOnline-ApplicationAccount',
  'accounts.teams': 'give an account name such as TeamsScheduler',
  accounts:
    'give each profile its own account (--teams-account TeamsScheduler --sfbonline-account SfBOnline-ApplicationAccount)',
  entra: `choose one of ${entraPaths.join(', ')} (--entra graph)`,
  graphUrl:
    'give one of https://graph.microsoft.com, https://graph.microsoft.us, https://dod-graph.microsoft.us, https://microsoftgraph.chinacloudapi.cn (--graph-url)',
  dropExpiredKeys: 'pass true or false',
  allowPlainMailUser: 'pass true or false (--allow-plain-mail-user)',
  certificate: 'pass the certificate bytes (a .cer, .pem or .p7b file)',
  anyCertificate: 'pass true or false',
  'delegate.delegate': 'name the delegate by alias, address or name (--delegate bob)',
  'delegate.delegator': 'name the delegator by alias, address or name (--delegator alice)',
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
