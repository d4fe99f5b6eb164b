import { type RunbookInput, TeamsOAuthError } from '@teams-oauth/core'
import { graphTarget } from '@teams-oauth/core/adapter'
import { z } from 'zod'
import { kB, readInputFile } from './files'
import {
  type CommandName,
  commandOptions,
  type OptionDeclaration,
  type OptionsOf,
} from './option-declarations'

type Declarations = Readonly<Record<string, OptionDeclaration>>
type Raw = Record<string, unknown>

/** The flag a person types for an option: `--domain-controller`. */
export const flagOf = (declaration: OptionDeclaration) => /--[\w-]+/.exec(declaration.flags)![0]

const listed = (choices: readonly string[]) =>
  choices.length > 1 ? `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}` : choices.join('')

const isHttpUrl = (value: string) => {
  try {
    return /^https?:$/.test(new URL(value).protocol)
  } catch {
    return false
  }
}

/** --exchange: the embedded fake, the fake behind the PowerShell stand-in, this server, or a remote PowerShell URI. */
const exchangeTarget = z.string().superRefine((value, context) => {
  if (value === 'fake' || value === 'fake-pwsh' || value === 'local' || isHttpUrl(value)) return
  context.addIssue({
    code: 'custom',
    message: `${JSON.stringify(value)} is not an Exchange target`,
    params: {
      fix: 'use local, a remote PowerShell URI (https://ex01.contoso.com/PowerShell/), fake or fake-pwsh',
    },
  })
})

/** --graph-url, read by core's one Graph URL validator (as the runbook's input reads it). */
const graphUrl = z.string().superRefine((value, context) => {
  try {
    graphTarget(value)
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message.replace(/^graphUrl: /, '') })
  }
})

/** The one check of each type of option value. */
function valueSchema(declaration: OptionDeclaration): z.ZodType {
  switch (declaration.type) {
    case 'flag':
      return z.boolean()
    case 'text':
      return z.string()
    case 'choice': {
      const choices = declaration.choices as readonly [string, ...string[]]
      return z.enum(choices, { error: `choose ${listed(choices)}` })
    }
    case 'exchange':
      return exchangeTarget
    case 'graphUrl':
      return graphUrl
  }
}

const given = (value: unknown) => value !== undefined && value !== false

/**
 * A rule between options, checked after each option's own: `field` is the option it is reported on.
 * Each reads only whether options are given (and --exchange's and --entra's values), so it runs even
 * when another option is invalid, and one run reports every problem.
 */
interface Rule {
  field: string
  holds: (options: Raw) => boolean
  problem: string
  fix: string
}

/** `option` is given only with `other`. */
const needs = (option: string, other: string, fix: string): Rule => ({
  field: option,
  holds: (o) => !given(o[option]) || given(o[other]),
  problem: `goes with --${kebab(other)}`,
  fix,
})
const kebab = (key: string) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)

const delegatePair = [
  needs('delegate', 'delegator', 'give both (--delegate bob --delegator alice)'),
  needs('delegator', 'delegate', 'give both (--delegate bob --delegator alice)'),
]
const certificatePair = needs(
  'anyCertificate',
  'certificate',
  'name the file to upload (--certificate auth.cer --any-certificate)',
)
/** --state keeps the embedded fake's state; with no fake target it would keep nothing. */
const stateOfFake = (fakes: { exchange: string[]; entra?: string }): Rule => ({
  field: 'state',
  holds: (o) =>
    !given(o.state) ||
    fakes.exchange.includes(o.exchange as string) ||
    (fakes.entra !== undefined && o.entra === fakes.entra),
  problem: "keeps the embedded fake's state, and no target here is fake",
  fix: `use it with ${listed([...fakes.exchange.map((f) => `--exchange ${f}`), ...(fakes.entra ? [`--entra ${fakes.entra}`] : [])])}, or leave it out`,
})
const stateOfTargets = stateOfFake({ exchange: ['fake', 'fake-pwsh'], entra: 'fake' })
/** --graph-url is where Microsoft Graph is; MSOnline does not go through it, so it would be ignored. */
const graphUrlOfGraph: Rule = {
  field: 'graphUrl',
  holds: (o) => !given(o.graphUrl) || o.entra !== 'msol',
  problem: 'is where Microsoft Graph is, and --entra msol does not use Graph',
  fix: 'leave it out with --entra msol, or use --entra graph',
}
const targetRules = [stateOfTargets, graphUrlOfGraph]

/** The rules between each command's options. */
const rules: Record<CommandName, Rule[]> = {
  demo: [],
  plan: [...delegatePair, certificatePair, ...targetRules],
  apply: [...delegatePair, certificatePair, ...targetRules],
  verify: [...delegatePair, certificatePair, ...targetRules],
  doctor: [...delegatePair, certificatePair, ...targetRules],
  delegates: [
    {
      field: 'jsonl',
      holds: (o) => !(given(o.json) && given(o.jsonl)),
      problem: 'goes without --json',
      fix: 'choose one document (--json) or one finding a line (--jsonl)',
    },
    stateOfFake({ exchange: ['fake', 'fake-pwsh'] }),
  ],
  script: [graphUrlOfGraph],
  rollback: targetRules,
}

/** The zod schema of options declared so: each option's own check, its default, and what is required. */
function schemaOf(declarations: Declarations, between: Rule[] = [], { defaults = true } = {}) {
  const shape = Object.fromEntries(
    Object.entries(declarations).map(([key, declaration]) => {
      const value = valueSchema(declaration)
      return [
        key,
        declaration.default === undefined || !defaults
          ? value.optional()
          : value.default(declaration.default),
      ]
    }),
  )
  const required = Object.entries(declarations).filter(([, declaration]) => declaration.required)
  let schema = z.object(shape).superRefine(
    (options, context) => {
      for (const [key, declaration] of required)
        if (options[key] === undefined)
          context.addIssue({
            code: 'custom',
            path: [key],
            message: 'is required',
            params: { fix: declaration.required },
          })
    },
    { when: () => true },
  )
  for (const rule of between)
    schema = schema.refine((options) => rule.holds(options), {
      path: [rule.field],
      message: rule.problem,
      params: { fix: rule.fix },
      when: () => true,
    })
  return schema
}

/** One zod schema per command, built from its option declarations and the rules between them. */
export const commandSchemas = Object.fromEntries(
  Object.entries(commandOptions).map(([name, declarations]) => [
    name,
    schemaOf(declarations, rules[name as CommandName]),
  ]),
) as Record<CommandName, ReturnType<typeof schemaOf>>

/**
 * INPUT_INVALID naming each option and how to fix it: the missing ones first, grouped by how to
 * give them ("--exchange and --entra are both required: …"), then one line per other problem.
 */
function invalidOptions(error: z.ZodError, declarations: Declarations): TeamsOAuthError {
  const issues = error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '')
    const fix = (issue as { params?: { fix?: string } }).params?.fix
    return { field, problem: issue.message, ...(fix ? { fix } : {}) }
  })
  const flag = (field: string) => (declarations[field] ? flagOf(declarations[field]) : `--${kebab(field)}`)
  const missing = new Map<string, string[]>()
  const lines: string[] = []
  for (const issue of issues) {
    if (issue.problem === 'is required' && issue.fix)
      missing.set(issue.fix, [...(missing.get(issue.fix) ?? []), flag(issue.field)])
    else lines.push(`${flag(issue.field)}: ${issue.problem}${issue.fix ? `; ${issue.fix}` : ''}`)
  }
  const required = [...missing].map(([fix, flags]) =>
    flags.length === 1
      ? `${flags[0]} is required: ${fix}`
      : `${flags.slice(0, -1).join(', ')} and ${flags.at(-1)} are ${flags.length === 2 ? 'both' : 'all'} required: ${fix}`,
  )
  return new TeamsOAuthError('INPUT_INVALID', [...required, ...lines].join('\n'), { issues })
}

/** A command's options as commander read them, checked by its schema; INPUT_INVALID (exit 2) otherwise. */
export function parseOptions<C extends CommandName>(command: C, raw: Raw): OptionsOf<C> {
  const result = commandSchemas[command].safeParse(raw)
  if (!result.success) throw invalidOptions(result.error, commandOptions[command])
  return result.data as OptionsOf<C>
}

/** The options of the commands that open both targets: plan, apply, verify, doctor and rollback. */
export type TargetOptions = OptionsOf<'doctor'> &
  Partial<Pick<OptionsOf<'apply'> & OptionsOf<'rollback'>, 'journal' | 'whatIf' | 'yes'>>

// every target option, the domain among them optional: rollback names none (the journal says what to undo)
const { required: _domainRequired, ...domain } = commandOptions.doctor.domain
const targetDeclarations = { ...commandOptions.doctor, ...commandOptions.rollback, domain }
/** Adds no default: each command's own schema gave its own (plan has no --journal to default). */
const targetSchema = schemaOf(targetDeclarations, [], { defaults: false })

/**
 * The target options among a command's options, which its schema has read (program.ts parses every
 * command's options before the command runs); checked again, so nothing unchecked reaches a target.
 */
export function parseTargetOptions(options: Raw): TargetOptions {
  const result = targetSchema.safeParse(options)
  if (!result.success) throw invalidOptions(result.error, targetDeclarations)
  return result.data as TargetOptions
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
    profile: options.profile,
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
