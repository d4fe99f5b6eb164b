/**
 * Every option of every command, declared once as plain data: its flags, its help text, what its
 * value is, its default, and how to give it when it is required. commander builds the options from
 * these (program.ts), and the zod schema of each command is built from the same ones (options.ts).
 * This file imports nothing, so `--help` reads it without loading zod.
 */

/** What an option's value is; the command's schema checks it. */
export type OptionType =
  /** present or not: true or false */
  | 'flag'
  /** any text (a name, a path, a number read later) */
  | 'text'
  /** one of `choices` */
  | 'choice'
  /** an Exchange target: fake, fake-pwsh, local or a remote PowerShell URI */
  | 'exchange'
  /** a Microsoft Graph base URL, read by core's one Graph URL validator */
  | 'graphUrl'

export interface OptionDeclaration {
  /** commander's flags: `--long`, with `<value>` when it takes one, and a short flag if any (`-o, --output <file>`). */
  readonly flags: string
  /** The help text, as `--help` shows it. */
  readonly description: string
  readonly type: OptionType
  /** The values a `choice` takes. */
  readonly choices?: readonly string[]
  /** Whether commander lists the choices in `--help` (and refuses others itself); else the description names them. */
  readonly choicesInHelp?: boolean
  /** The value when the option is not given; commander shows it in `--help`. */
  readonly default?: string | boolean
  /** Required: how to give it, said when it is missing. */
  readonly required?: string
}

const flag = (flags: string, description: string) =>
  ({ flags, description, type: 'flag', default: false }) as const
const text = (flags: string, description: string) => ({ flags, description, type: 'text' }) as const

const profile = {
  flags: '--profile <name>',
  description: 'which procedure',
  type: 'choice',
  choices: ['teams', 'sfbonline', 'all'],
  choicesInHelp: true,
  default: 'teams',
} as const
const json = flag('--json', 'print exactly one JSON document on stdout')
const verbose = flag('--verbose', 'more progress on stderr')
const domainController = text(
  '--domain-controller <fqdn>',
  'pin every Exchange write to this domain controller',
)
const graphUrl = {
  flags: '--graph-url <url>',
  description: 'Microsoft Graph base URL (national clouds)',
  type: 'graphUrl',
} as const
const tenant = text('--tenant <id>', 'the Entra tenant id or domain, for sign-in')
const accounts = {
  teamsAccount: text(
    '--teams-account <name>',
    'the application account of the teams profile (default TeamsScheduler)',
  ),
  sfbonlineAccount: text(
    '--sfbonline-account <name>',
    'the application account of the sfbonline profile (default SfBOnline-ApplicationAccount)',
  ),
}
const allowPlainMailUser = flag(
  '--allow-plain-mail-user',
  'on a build without New-MailUser -ApplicationAccount, create a plain mail user (Microsoft offers no such fallback)',
)
const delegator = text('--delegator <user>', 'the delegator whose calendar the delegate schedules on')
const journal = (description: string) =>
  ({ ...text('--journal <file>', description), default: 'teams-oauth-journal.json' }) as const

/** How to name both targets: every command that reads or changes an organisation names them. */
export const targetsRequired =
  'there is no default target: --exchange fake|fake-pwsh|local|https://ex01.contoso.com/PowerShell/ --entra fake|graph|msol (fake is the embedded fake organisation and tenant, with --state <file> to keep it)'

const exchange = (description: string, required = targetsRequired) =>
  ({ flags: '--exchange <target>', description, type: 'exchange', required }) as const
const entra = (description: string) =>
  ({
    flags: '--entra <path>',
    description,
    type: 'choice',
    choices: ['fake', 'graph', 'msol'],
    required: targetsRequired,
  }) as const

/** The options of the commands that read or change both systems: plan, apply, verify and doctor. */
const targetOptions = {
  profile,
  domain: text(
    '--domain <domain>',
    "a domain verified in your tenant (the application accounts' addresses end in it)",
  ),
  domainController,
  exchange: exchange(
    'required: fake (the embedded fake) | fake-pwsh (the fake behind the PowerShell stand-in) | local | a remote PowerShell URI (https://ex01.contoso.com/PowerShell/)',
  ),
  entra: entra('required: fake (the embedded fake) | graph | msol (MSOnline, retired in 2025)'),
  graphUrl,
  tenant,
  certificate: text(
    '--certificate <file>',
    "the auth certificate (.cer, .pem or .p7b) instead of exporting it from Exchange; it must be Exchange's current or next auth certificate",
  ),
  anyCertificate: flag(
    '--any-certificate',
    "upload --certificate even when it is neither Exchange's current nor its next auth certificate",
  ),
  ...accounts,
  state: text(
    '--state <file>',
    "the fake tenant's state, kept between runs (with --exchange fake or --entra fake)",
  ),
  dropExpiredKeys: flag(
    '--drop-expired-keys',
    'drop expired keys from the service principals (the plan names them)',
  ),
  allowPlainMailUser,
  json,
  verbose,
} as const

/** plan, apply, verify and doctor build a runbook, which names a domain. */
const withDomain = {
  ...targetOptions,
  domain: {
    ...targetOptions.domain,
    required: 'give a domain verified in your tenant (--domain contoso.com)',
  },
} as const

const delegate = (description: string) => ({ delegate: text('--delegate <user>', description), delegator })

/** Every command's options, in the order `--help` lists them. */
export const commandOptions = {
  demo: { profile: { ...profile, default: 'all' }, json },
  plan: {
    ...withDomain,
    ...delegate("also plan Editor for this delegate on the delegator's calendar (with --delegator)"),
  },
  apply: {
    ...withDomain,
    journal: journal('the record of changes (appended to)'),
    whatIf: flag('--what-if', 'show the plan and change nothing'),
    yes: flag('--yes', 'change without asking (required when no one is at the terminal)'),
    ...delegate("also give this delegate Editor on the delegator's calendar (with --delegator)"),
  },
  verify: {
    ...withDomain,
    ...delegate("also verify this delegate's Editor on the delegator's calendar (with --delegator)"),
  },
  doctor: {
    ...withDomain,
    ...delegate('the delegate whose rights to check (with --delegator)'),
    html: text('--html <file>', 'also write a self-contained HTML report'),
  },
  delegates: {
    exchange: exchange(
      'local | a remote PowerShell URI (https://ex01.contoso.com/PowerShell/) | fake | fake-pwsh (required)',
      'name the Exchange to audit: --exchange local, --exchange https://ex01.contoso.com/PowerShell/ or --exchange fake',
    ),
    state: text('--state <file>', "the fake organisation's state (with --exchange fake or fake-pwsh)"),
    all: flag(
      '--all',
      'every user mailbox, not only those with someone in GrantSendOnBehalfTo (finds Editors without send-on-behalf)',
    ),
    concurrency: text(
      '--concurrency <n>',
      'mailboxes read at once, one PowerShell session each (1 to 16, default 4)',
    ),
    checkpoint: text(
      '--checkpoint <file>',
      'record progress here; an interrupted audit run again with it resumes where it stopped',
    ),
    json,
    jsonl: flag('--jsonl', 'print one finding a line on stdout, as the audit goes'),
    csv: text('--csv <file>', 'also write every relationship as CSV (RFC 4180)'),
    html: text('--html <file>', 'also write a self-contained, sortable and filterable HTML report'),
    verbose,
  },
  script: {
    profile,
    domain: {
      ...text('--domain <domain>', 'a domain verified in your tenant'),
      required: withDomain.domain.required,
    },
    domainController,
    ...accounts,
    entra: {
      flags: '--entra <path>',
      description: 'required: how the script reaches Entra',
      type: 'choice',
      choices: ['graph', 'msol'],
      choicesInHelp: true,
      required: 'how the script reaches Entra, graph (Microsoft Graph) or msol (MSOnline)',
    },
    graphUrl,
    dropExpiredKeys: flag('--drop-expired-keys', 'drop expired keys from the service principals'),
    allowPlainMailUser,
    output: text(
      '-o, --output <file>',
      'write to a file (UTF-8 with a BOM, for Windows PowerShell 5.1) instead of stdout',
    ),
  },
  rollback: {
    journal: journal('the record apply wrote'),
    exchange: exchange(
      'required: fake | fake-pwsh | local | a remote PowerShell URI (the organisation apply changed)',
    ),
    entra: entra('required: fake | graph | msol (the tenant apply changed)'),
    graphUrl,
    tenant,
    state: text('--state <file>', "the fake tenant's state (with --exchange fake or --entra fake)"),
    whatIf: flag('--what-if', 'list what would be undone and change nothing'),
    yes: flag('--yes', 'undo without asking (required when no one is at the terminal)'),
    json,
    verbose,
  },
} as const satisfies Record<string, Record<string, OptionDeclaration>>

export type CommandName = keyof typeof commandOptions

/** The value an option of this declaration holds once its command's schema has read it. */
type ValueOf<D> = D extends { type: 'flag' }
  ? boolean
  : D extends { choices: readonly (infer C)[] }
    ? C
    : string

/** A command's options as its schema returns them: required and defaulted ones always present. */
export type OptionsOf<C extends CommandName> = {
  -readonly [K in keyof (typeof commandOptions)[C] as (typeof commandOptions)[C][K] extends
    | { required: string }
    | { default: unknown }
    ? K
    : never]: ValueOf<(typeof commandOptions)[C][K]>
} & {
  -readonly [K in keyof (typeof commandOptions)[C] as (typeof commandOptions)[C][K] extends
    | { required: string }
    | { default: unknown }
    ? never
    : K]?: ValueOf<(typeof commandOptions)[C][K]>
}
