import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { type CommandName, commandOptions } from '../src/option-declarations'
import { commandSchemas, flagOf } from '../src/options'
import { createProgram } from '../src/program'
import { runCli } from './run-cli'

const src = fileURLToPath(new URL('../src', import.meta.url))
const program = createProgram({} as Parameters<typeof createProgram>[0], () => {})
const names = Object.keys(commandOptions) as CommandName[]
const commandOf = (name: string) => program.commands.find((c) => c.name() === name)!
/** commander's options of a command, by the key its opts() gives, without the --help it adds itself. */
const commanderOptions = (command: Command) =>
  new Map(command.options.filter((o) => o.long !== '--help').map((o) => [o.attributeName(), o]))

describe('each option is declared once', () => {
  it('every command of the program has its declarations and its schema, and no other command has', () => {
    expect(program.commands.map((c) => c.name()).sort()).toEqual([...names].sort())
    expect(Object.keys(commandSchemas).sort()).toEqual([...names].sort())
  })

  it.each(names)('%s: every commander option has a schema key and a declaration, and vice versa', (name) => {
    const fromCommander = [...commanderOptions(commandOf(name)).keys()]
    expect(fromCommander).toEqual(Object.keys(commandOptions[name]))
    expect(Object.keys(commandSchemas[name].shape).sort()).toEqual([...fromCommander].sort())
  })

  it.each(names)(
    '%s: commander shows each option as declared: flags, help text, default, choices',
    (name) => {
      const options = commanderOptions(commandOf(name))
      for (const [key, declaration] of Object.entries(commandOptions[name])) {
        const option = options.get(key)!
        expect(option.flags, key).toBe(declaration.flags)
        expect(option.description, key).toBe(declaration.description)
        expect(option.defaultValue, key).toBe(declaration.default)
        expect(option.argChoices, key).toEqual(declaration.choicesInHelp ? declaration.choices : undefined)
        expect(option.long, key).toBe(flagOf(declaration))
        // a flag takes no value, every other option one
        expect(option.required || option.optional, key).toBe(declaration.type !== 'flag')
      }
    },
  )

  it.each(names)('%s: the schema gives the declared defaults and accepts the declared choices', (name) => {
    const declarations = Object.entries(commandOptions[name])
    const defaults = Object.fromEntries(
      declarations.filter(([, d]) => d.default !== undefined).map(([key, d]) => [key, d.default]),
    )
    // the required ones given, the rest left to their defaults
    const required = Object.fromEntries(
      declarations.filter(([, d]) => d.required).map(([key, d]) => [key, d.choices?.[0] ?? 'fake']),
    )
    const parsed = commandSchemas[name].safeParse(required)
    expect(parsed.error?.issues).toBeUndefined()
    expect(parsed.data).toEqual({ ...defaults, ...required })
    for (const [key, declaration] of declarations)
      for (const choice of declaration.choices ?? [])
        expect(
          commandSchemas[name].safeParse({ ...required, [key]: choice }).success,
          `${key} ${choice}`,
        ).toBe(true)
  })

  it('no source file but program.ts makes a commander option, and no command a zod schema of its own', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? files(join(dir, entry.name))
          : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
            ? [join(dir, entry.name)]
            : [],
      )
    const declaring: string[] = []
    for (const file of files(src)) {
      const text = readFileSync(file, 'utf8')
      const name = relative(src, file).replaceAll('\\', '/')
      if (name !== 'program.ts' && /\.(option|requiredOption|addOption)\(|new Option\(/.test(text))
        declaring.push(name)
      // a command reads options its schema has checked: none keeps a schema of its own
      if (name.startsWith('commands/') && /from 'zod'/.test(text)) declaring.push(name)
    }
    expect(declaring).toEqual([])
  })
})

describe('an option with a bad value', () => {
  const targets = ['--exchange', 'fake', '--entra', 'fake']
  it.each([
    [
      'plan',
      [...targets, '--domain', 'contoso.com', '--exchange', 'ftp://ex01'],
      '--exchange: "ftp://ex01" is not an Exchange target',
    ],
    ['delegates', ['--exchange', 'ftp://ex01'], '--exchange: "ftp://ex01" is not an Exchange target'],
    ['rollback', [...targets, '--entra', 'graf'], '--entra: choose fake, graph or msol'],
  ])(
    '%s is refused with the flag named, by the one check of its type (exit 2)',
    async (command, args, message) => {
      const run = await runCli([command, ...args])
      expect(run.code).toBe(2)
      expect(run.stderr).toContain(message)
      expect(run.stderr).toContain('Nothing was changed.')
    },
  )
})
