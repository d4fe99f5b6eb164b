import { Command, CommanderError, Option } from 'commander'
import { type CliIO, exitCodes } from './io'
import { version } from './version'

type Runner = (io: CliIO, options: Record<string, unknown>) => Promise<number>

const targetOptions = (command: Command) =>
  command
    .addOption(
      new Option('--profile <name>', 'which procedure')
        .choices(['teams', 'sfbonline', 'all'])
        .default('teams'),
    )
    .option(
      '--domain <domain>',
      "a domain verified in your tenant (the application accounts' addresses end in it)",
    )
    .option('--domain-controller <fqdn>', 'pin every Exchange write to this domain controller')
    .option(
      '--exchange <target>',
      'required: fake (the embedded fake) | fake-pwsh (the fake behind the PowerShell stand-in) | local | a remote PowerShell URI (https://ex01.contoso.com/PowerShell/)',
    )
    .option('--entra <path>', 'required: fake (the embedded fake) | graph | msol (MSOnline, retired in 2025)')
    .option('--graph-url <url>', 'Microsoft Graph base URL (national clouds)')
    .option('--tenant <id>', 'the Entra tenant id or domain, for sign-in')
    .option(
      '--certificate <file>',
      "the auth certificate (.cer, .pem or .p7b) instead of exporting it from Exchange; it must be Exchange's current or next auth certificate",
    )
    .option(
      '--any-certificate',
      "upload --certificate even when it is neither Exchange's current nor its next auth certificate",
      false,
    )
    .option('--teams-account <name>', 'the application account of the teams profile (default TeamsScheduler)')
    .option(
      '--sfbonline-account <name>',
      'the application account of the sfbonline profile (default SfBOnline-ApplicationAccount)',
    )
    .option(
      '--state <file>',
      "the fake tenant's state, kept between runs (with --exchange fake or --entra fake)",
    )
    .option(
      '--drop-expired-keys',
      'drop expired keys from the service principals (the plan names them)',
      false,
    )
    .option(
      '--allow-plain-mail-user',
      'on a build without New-MailUser -ApplicationAccount, create a plain mail user (Microsoft offers no such fallback)',
      false,
    )
    .option('--json', 'print exactly one JSON document on stdout', false)
    .option('--verbose', 'more progress on stderr', false)

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

  const run = (load: () => Promise<Runner>) =>
    async function (this: Command) {
      const options = this.opts()
      try {
        setExit(await (await load())(io, options))
      } catch (error) {
        // Loaded only on failure: it brings targets and options (with zod), which demo and script never need.
        const { fail } = await import('./commands/shared')
        setExit(fail(io, Boolean(options.json), error, options))
      }
    }

  examples(
    program
      .command('demo')
      .description('plan, apply and verify the whole fix on an embedded fake organisation and tenant')
      .addOption(
        new Option('--profile <name>', 'which procedure')
          .choices(['teams', 'sfbonline', 'all'])
          .default('all'),
      )
      .option('--json', 'print exactly one JSON document on stdout', false)
      .action(run(async () => (await import('./commands/demo')).demoCommand)),
    ['teams-oauth demo', 'teams-oauth demo --profile sfbonline'],
  )

  examples(
    targetOptions(
      program
        .command('plan')
        .description('read both systems and show what apply would change; changes nothing'),
    )
      .option(
        '--delegate <user>',
        "also plan Editor for this delegate on the delegator's calendar (with --delegator)",
      )
      .option('--delegator <user>', 'the delegator whose calendar the delegate schedules on')
      .action(run(async () => (await import('./commands/plan')).planCommand)),
    [
      'teams-oauth plan --domain contoso.com --exchange local --entra graph --json',
      'teams-oauth plan --domain contoso.com --exchange fake --entra fake --state tenant.json --json',
    ],
  )

  examples(
    targetOptions(
      program.command('apply').description('carry out the plan, journaling each change for rollback'),
    )
      .option('--journal <file>', 'the record of changes (appended to)', 'teams-oauth-journal.json')
      .option('--what-if', 'show the plan and change nothing', false)
      .option('--yes', 'change without asking (required when no one is at the terminal)', false)
      .option(
        '--delegate <user>',
        "also give this delegate Editor on the delegator's calendar (with --delegator)",
      )
      .option('--delegator <user>', 'the delegator whose calendar the delegate schedules on')
      .action(run(async () => (await import('./commands/apply')).applyCommand)),
    [
      'teams-oauth apply --profile all --domain contoso.com --exchange fake --entra fake --state tenant.json --yes',
      'teams-oauth apply --domain contoso.com --exchange local --entra graph --tenant contoso.onmicrosoft.com',
      'teams-oauth apply --domain contoso.com --exchange local --entra graph --delegate bob --delegator alice',
    ],
  )

  examples(
    targetOptions(
      program.command('verify').description('read both systems and report each step, desired against actual'),
    )
      .option(
        '--delegate <user>',
        "also verify this delegate's Editor on the delegator's calendar (with --delegator)",
      )
      .option('--delegator <user>', 'the delegator whose calendar the delegate schedules on')
      .action(run(async () => (await import('./commands/verify')).verifyCommand)),
    [
      'teams-oauth verify --domain contoso.com --exchange local --entra graph',
      'teams-oauth verify --domain contoso.com --exchange fake --entra fake --state tenant.json',
    ],
  )

  examples(
    targetOptions(
      program
        .command('doctor')
        .description('read-only checks of everything delegates need, each with its evidence and fix'),
    )
      .option('--delegate <user>', 'the delegate whose rights to check (with --delegator)')
      .option('--delegator <user>', 'the delegator whose calendar the delegate schedules on')
      .option('--html <file>', 'also write a self-contained HTML report')
      .action(run(async () => (await import('./commands/doctor')).doctorCommand)),
    [
      'teams-oauth doctor --profile teams --domain contoso.com --exchange local --entra graph --delegate bob --delegator alice --html report.html',
      'teams-oauth doctor --exchange fake --entra fake --state tenant.json --json',
    ],
  )

  examples(
    program
      .command('delegates')
      .description(
        'audit every delegate relationship of the organisation: calendar rights, send-on-behalf, EWS; the fix for each',
      )
      .option(
        '--exchange <target>',
        'local | a remote PowerShell URI (https://ex01.contoso.com/PowerShell/) | fake | fake-pwsh (required)',
      )
      .option('--state <file>', "the fake organisation's state (with --exchange fake or fake-pwsh)")
      .option(
        '--all',
        'every user mailbox, not only those with someone in GrantSendOnBehalfTo (finds Editors without send-on-behalf)',
        false,
      )
      .option('--concurrency <n>', 'mailboxes read at once, one PowerShell session each (1 to 16, default 4)')
      .option(
        '--checkpoint <file>',
        'record progress here; an interrupted audit run again with it resumes where it stopped',
      )
      .option('--json', 'print exactly one JSON document on stdout', false)
      .option('--jsonl', 'print one finding a line on stdout, as the audit goes', false)
      .option('--csv <file>', 'also write every relationship as CSV (RFC 4180)')
      .option('--html <file>', 'also write a self-contained, sortable and filterable HTML report')
      .option('--verbose', 'more progress on stderr', false)
      .action(run(async () => (await import('./commands/delegates')).delegatesCommand)),
    [
      'teams-oauth delegates --exchange https://ex01.contoso.com/PowerShell/ --html delegates.html',
      'teams-oauth delegates --exchange local --all --concurrency 8 --checkpoint audit.jsonl --csv delegates.csv',
    ],
  )

  examples(
    program
      .command('script')
      .description(
        'write the procedure as a readable, idempotent PowerShell script, for admins who run things by hand',
      )
      .addOption(
        new Option('--profile <name>', 'which procedure')
          .choices(['teams', 'sfbonline', 'all'])
          .default('teams'),
      )
      .option('--domain <domain>', 'a domain verified in your tenant')
      .option('--domain-controller <fqdn>', 'pin every Exchange write to this domain controller')
      .option(
        '--teams-account <name>',
        'the application account of the teams profile (default TeamsScheduler)',
      )
      .option(
        '--sfbonline-account <name>',
        'the application account of the sfbonline profile (default SfBOnline-ApplicationAccount)',
      )
      .addOption(
        new Option('--entra <path>', 'required: how the script reaches Entra').choices(['graph', 'msol']),
      )
      .option('--graph-url <url>', 'Microsoft Graph base URL (national clouds)')
      .option('--drop-expired-keys', 'drop expired keys from the service principals', false)
      .option(
        '--allow-plain-mail-user',
        'on a build without New-MailUser -ApplicationAccount, create a plain mail user (Microsoft offers no such fallback)',
        false,
      )
      .option(
        '-o, --output <file>',
        'write to a file (UTF-8 with a BOM, for Windows PowerShell 5.1) instead of stdout',
      )
      .action(run(async () => (await import('./commands/script')).scriptCommand)),
    ['teams-oauth script --profile teams --domain contoso.com --entra graph -o enable-teams-oauth.ps1'],
  )

  examples(
    program
      .command('rollback')
      .description(
        'undo what apply recorded in a journal, newest first; removes only what teams-oauth created',
      )
      .option('--journal <file>', 'the record apply wrote', 'teams-oauth-journal.json')
      .option(
        '--exchange <target>',
        'required: fake | fake-pwsh | local | a remote PowerShell URI (the organisation apply changed)',
      )
      .option('--entra <path>', 'required: fake | graph | msol (the tenant apply changed)')
      .option('--graph-url <url>', 'Microsoft Graph base URL (national clouds)')
      .option('--tenant <id>', 'the Entra tenant id or domain, for sign-in')
      .option('--state <file>', "the fake tenant's state (with --exchange fake or --entra fake)")
      .option('--what-if', 'list what would be undone and change nothing', false)
      .option('--yes', 'undo without asking (required when no one is at the terminal)', false)
      .option('--json', 'print exactly one JSON document on stdout', false)
      .option('--verbose', 'more progress on stderr', false)
      .action(run(async () => (await import('./commands/rollback')).rollbackCommand)),
    [
      'teams-oauth rollback --journal teams-oauth-journal.json --exchange local --entra graph --what-if',
      'teams-oauth rollback --journal teams-oauth-journal.json --exchange fake --entra fake --state tenant.json --yes',
    ],
  )

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
