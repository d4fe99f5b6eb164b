import { Command, CommanderError, Option } from 'commander'
import { type CliIO, exitCodes } from './io'
import { type CommandName, commandOptions, type OptionDeclaration } from './option-declarations'
import { version } from './version'

/** A command: runs with the options its schema read, resolves to the exit code. */
type Runner = (io: CliIO, options: Record<string, unknown>) => Promise<number>

interface CommandHelp {
  description: string
  examples: string[]
  /** Loaded only when the command runs, so `--help` loads none of them. */
  load: () => Promise<Runner>
}

const commands: Record<CommandName, CommandHelp> = {
  demo: {
    description: 'plan, apply and verify the whole fix on an embedded fake organisation and tenant',
    examples: ['teams-oauth demo', 'teams-oauth demo --profile sfbonline'],
    load: async () => (await import('./commands/demo')).demoCommand,
  },
  plan: {
    description: 'read both systems and show what apply would change; changes nothing',
    examples: [
      'teams-oauth plan --domain contoso.com --exchange local --entra graph --json',
      'teams-oauth plan --domain contoso.com --exchange fake --entra fake --state tenant.json --json',
    ],
    load: async () => (await import('./commands/plan')).planCommand,
  },
  apply: {
    description: 'carry out the plan, journaling each change for rollback',
    examples: [
      'teams-oauth apply --profile all --domain contoso.com --exchange fake --entra fake --state tenant.json --yes',
      'teams-oauth apply --domain contoso.com --exchange local --entra graph --tenant contoso.onmicrosoft.com',
      'teams-oauth apply --domain contoso.com --exchange local --entra graph --delegate bob --delegator alice',
    ],
    load: async () => (await import('./commands/apply')).applyCommand,
  },
  verify: {
    description: 'read both systems and report each step, desired against actual',
    examples: [
      'teams-oauth verify --domain contoso.com --exchange local --entra graph',
      'teams-oauth verify --domain contoso.com --exchange fake --entra fake --state tenant.json',
    ],
    load: async () => (await import('./commands/verify')).verifyCommand,
  },
  doctor: {
    description: 'read-only checks of everything delegates need, each with its evidence and fix',
    examples: [
      'teams-oauth doctor --profile teams --domain contoso.com --exchange local --entra graph --delegate bob --delegator alice --html report.html',
      'teams-oauth doctor --exchange fake --entra fake --state tenant.json --json',
    ],
    load: async () => (await import('./commands/doctor')).doctorCommand,
  },
  delegates: {
    description:
      'audit every delegate relationship of the organisation: calendar rights, send-on-behalf, EWS; the fix for each',
    examples: [
      'teams-oauth delegates --exchange https://ex01.contoso.com/PowerShell/ --html delegates.html',
      'teams-oauth delegates --exchange local --all --concurrency 8 --checkpoint audit.jsonl --csv delegates.csv',
    ],
    load: async () => (await import('./commands/delegates')).delegatesCommand as Runner,
  },
  script: {
    description:
      'write the procedure as a readable, idempotent PowerShell script, for admins who run things by hand',
    examples: [
      'teams-oauth script --profile teams --domain contoso.com --entra graph -o enable-teams-oauth.ps1',
    ],
    load: async () => (await import('./commands/script')).scriptCommand as Runner,
  },
  rollback: {
    description: 'undo what apply recorded in a journal, newest first; removes only what teams-oauth created',
    examples: [
      'teams-oauth rollback --journal teams-oauth-journal.json --exchange local --entra graph --what-if',
      'teams-oauth rollback --journal teams-oauth-journal.json --exchange fake --entra fake --state tenant.json --yes',
    ],
    load: async () => (await import('./commands/rollback')).rollbackCommand,
  },
}

/** commander's option for a declaration: its flags, help text, default and (when listed) choices. */
export function commanderOption(declaration: OptionDeclaration): Option {
  const option = new Option(declaration.flags, declaration.description)
  if (declaration.choices && declaration.choicesInHelp) option.choices(declaration.choices)
  if (declaration.default !== undefined) option.default(declaration.default)
  return option
}

const examples = (command: Command, lines: string[]) =>
  command.addHelpText('after', `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`)

export function createProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('teams-oauth')
    .description(
      'Configure, check and repair OAuth between Microsoft Teams services and on-premises Exchange Server,\n' +
        'so delegates can add Teams meetings for on-premises delegators.',
    )
    .version(version, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(teams-oauth <command> --help shows the options and an example)')
  examples(program, [
    'teams-oauth demo',
    'teams-oauth plan --profile teams --domain contoso.com --exchange local --entra graph',
  ])

  for (const [name, { description, examples: lines, load }] of Object.entries(commands)) {
    const command = program.command(name).description(description)
    for (const declaration of Object.values(commandOptions[name as CommandName]))
      command.addOption(commanderOption(declaration))
    command.action(async function (this: Command) {
      const raw = this.opts()
      try {
        // zod loads here, when a command runs: --help never reads the schemas
        const { parseOptions } = await import('./options')
        const options = parseOptions(name as CommandName, raw)
        setExit(await (await load())(io, options))
      } catch (error) {
        const { fail } = await import('./commands/shared')
        setExit(fail(io, Boolean(raw.json), error, raw))
      }
    })
    examples(command, lines)
  }
  return program
}

/** Runs the CLI; resolves to the exit code (0 done, 1 failed, 2 bad input, 3 not in the desired state). */
export async function main(argv: string[], io?: CliIO): Promise<number> {
  const theIO = io ?? (await import('./io')).processIO()
  let code: number = exitCodes.ok
  const program = createProgram(theIO, (c) => {
    code = c
  })
  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return exitCodes.ok
      if (error.code === 'commander.executeSubCommandAsync') return code
      // --json promises one document on stdout, a usage error included
      if (argv.includes('--json'))
        theIO.stdout(
          `${JSON.stringify({ ok: false, error: { code: 'INPUT_INVALID', message: error.message.replace(/^error: /, ''), data: { commander: error.code } } }, null, 2)}\n`,
        )
      return exitCodes.usage
    }
    throw error
  }
  return code
}
