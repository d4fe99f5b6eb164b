import { readFileSync } from 'node:fs'
import { graphTarget, type RunbookInput, TeamsOAuthError } from '@teams-oauth/core'
import { z } from 'zod'

const url = (field: string, example: string) =>
  z.string().refine(
    (value) => {
      try {
        return /^https?:$/.test(new URL(value).protocol)
      } catch {
        return false
      }
    },
    { error: `${field}: expected an http(s) URL such as ${example}` },
  )

/** --graph-url, read by core's one Graph URL validator (as plan, apply and script read it). */
export const graphUrlOption = z.string().superRefine((value, context) => {
  try {
    graphTarget(value)
  } catch (error) {
    context.addIssue({
      code: 'custom',
      message: `--graph-url: ${(error as Error).message.replace(/^graphUrl: /, '')}`,
    })
  }
})

/** The options every command that touches the systems shares. */
export const targetOptionsSchema = z.object({
  profile: z.string().default('teams'),
  domain: z.string().optional(),
  domainController: z.string().optional(),
  exchange: z
    .union([
      z.enum(['fake', 'fake-pwsh', 'local']),
      url('--exchange', 'https://ex01.contoso.com/PowerShell/'),
    ])
    .default('fake'),
  entra: z.enum(['fake', 'graph', 'msol'], { error: '--entra: choose fake, graph or msol' }).default('fake'),
  graphUrl: graphUrlOption.optional(),
  tenant: z.string().optional(),
  certificate: z.string().optional(),
  teamsAccount: z.string().optional(),
  sfbonlineAccount: z.string().optional(),
  state: z.string().optional(),
  journal: z.string().optional(),
  whatIf: z.boolean().default(false),
  yes: z.boolean().default(false),
  json: z.boolean().default(false),
  verbose: z.boolean().default(false),
  dropExpiredKeys: z.boolean().default(false),
  allowPlainMailUser: z.boolean().default(false),
})
export type TargetOptions = z.infer<typeof targetOptionsSchema>

export function parseTargetOptions(raw: Record<string, unknown>): TargetOptions {
  const result = targetOptionsSchema.safeParse(raw)
  if (result.success) return result.data
  const issues = result.error.issues.map((issue) => ({
    field: String(issue.path[0] ?? ''),
    problem: issue.message,
  }))
  throw new TeamsOAuthError(
    'INPUT_INVALID',
    issues.map((i) => (i.problem.startsWith('--') ? i.problem : `--${i.field}: ${i.problem}`)).join('\n'),
    { issues },
  )
}

/** The application account names given with --teams-account and --sfbonline-account. */
export const accountsOf = (options: { teamsAccount?: unknown; sfbonlineAccount?: unknown }) => ({
  ...(typeof options.teamsAccount === 'string' ? { teams: options.teamsAccount } : {}),
  ...(typeof options.sfbonlineAccount === 'string' ? { sfbonline: options.sfbonlineAccount } : {}),
})

/** The runbook input the options describe; the certificate file is read here, core gets bytes. */
export function runbookInput(options: TargetOptions): RunbookInput {
  let certificate: Uint8Array | undefined
  if (options.certificate) {
    try {
      certificate = new Uint8Array(readFileSync(options.certificate))
    } catch (error) {
      throw new TeamsOAuthError(
        'CERTIFICATE_INVALID',
        `certificate: cannot read ${options.certificate} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give the path of a .cer, .pem or .p7b file`,
        { field: 'certificate' },
      )
    }
  }
  return {
    profile: options.profile as RunbookInput['profile'],
    domain: options.domain as string,
    ...(options.domainController ? { domainController: options.domainController } : {}),
    entra: options.entra === 'msol' ? 'msol' : 'graph',
    accounts: accountsOf(options),
    dropExpiredKeys: options.dropExpiredKeys,
    allowPlainMailUser: options.allowPlainMailUser,
    ...(options.graphUrl && options.entra !== 'msol' ? { graphUrl: options.graphUrl } : {}),
    ...(certificate ? { certificate } : {}),
  }
}
