import { type RunbookInput, TeamsOAuthError } from '@teams-oauth/core'
import { graphTarget } from '@teams-oauth/core/adapter'
import { z } from 'zod'
import { kB, readInputFile } from './files'

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
  // no default: a run names the organisation and tenant it changes (fake ones included)
  exchange: z
    .union([
      z.enum(['fake', 'fake-pwsh', 'local']),
      url('--exchange', 'https://ex01.contoso.com/PowerShell/'),
    ])
    .optional(),
  entra: z.enum(['fake', 'graph', 'msol'], { error: '--entra: choose fake, graph or msol' }).optional(),
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
  anyCertificate: z.boolean().default(false),
})
export type TargetOptions = z.infer<typeof targetOptionsSchema> & {
  exchange: string
  entra: 'fake' | 'graph' | 'msol'
}

export const targetsRequired =
  '--exchange and --entra are both required (there is no default target): --exchange fake|fake-pwsh|local|https://ex01.contoso.com/PowerShell/ --entra fake|graph|msol (fake is the embedded fake organisation and tenant, with --state <file> to keep it)'

export function parseTargetOptions(raw: Record<string, unknown>): TargetOptions {
  const result = targetOptionsSchema.safeParse(raw)
  if (result.success) {
    const missing = (['exchange', 'entra'] as const).filter((field) => result.data[field] === undefined)
    if (missing.length > 0)
      throw new TeamsOAuthError('INPUT_INVALID', targetsRequired, {
        issues: missing.map((field) => ({ field, problem: 'is required', fix: targetsRequired })),
      })
    return result.data as TargetOptions
  }
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
    const bytes = readInputFile(options.certificate, {
      field: 'certificate',
      maxBytes: 64 * kB,
      code: 'CERTIFICATE_INVALID',
      fix: 'give the path of a .cer, .pem or .p7b file',
    })
    if (!bytes)
      throw new TeamsOAuthError(
        'CERTIFICATE_INVALID',
        `certificate: cannot read ${options.certificate} (ENOENT); give the path of a .cer, .pem or .p7b file`,
        { field: 'certificate' },
      )
    certificate = new Uint8Array(bytes)
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
    ...(certificate ? { certificate, ...(options.anyCertificate ? { anyCertificate: true } : {}) } : {}),
  }
}
