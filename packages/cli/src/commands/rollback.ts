import { existsSync } from 'node:fs'
import { rollback, TeamsOAuthError } from '@teams-oauth/core'
import type { CliIO } from '../io'
import { parseTargetOptions } from '../options'
import { describeAction } from '../render'
import { consent } from './apply'
import { progress, readJournal, withTargets, writeJournal } from './shared'

export async function rollbackCommand(io: CliIO, raw: Record<string, unknown>): Promise<number> {
  const options = parseTargetOptions(raw)
  const file = options.journal ?? 'teams-oauth-journal.json'
  if (!existsSync(file))
    throw new TeamsOAuthError(
      'JOURNAL_INVALID',
      `journal: ${file} does not exist; pass the file apply wrote (--journal <file>)`,
      {
        field: 'journal',
      },
    )
  const journal = readJournal(file)
  const context = { io, options }
  return withTargets(context, async ({ targets }) => {
    const preview = await rollback(journal, targets, { whatIf: true })
    // what is shown is what will run, and on which object (read back by its Guid)
    const lines = preview.undone.map(
      (u) =>
        `  ↶ ${describeAction(u.action)}  (${[u.title, u.target, u.skipped && `skipped: ${u.skipped}`].filter(Boolean).join('; ')})`,
    )
    if (options.whatIf || preview.undone.length === 0) {
      if (options.json)
        io.stdout(`${JSON.stringify({ command: 'rollback', whatIf: true, undo: preview.undone }, null, 2)}\n`)
      else
        io.stdout(
          `${preview.undone.length === 0 ? 'The journal holds no change to undo.' : `Rollback would undo:\n${lines.join('\n')}`}\n`,
        )
      return 0
    }
    if (!options.json) io.stdout(`Rollback will undo:\n${lines.join('\n')}\n`)
    await consent(io, options, `Undo these ${preview.undone.length} change(s)?`)
    const result = await rollback(journal, targets, {
      onEvent: progress(context),
      onJournal: (j) => writeJournal(file, j),
    })
    if (options.json) io.stdout(`${JSON.stringify({ command: 'rollback', undo: result.undone }, null, 2)}\n`)
    else io.stdout(`Rolled back ${result.undone.filter((u) => !u.skipped).length} change(s).\n`)
    return 0
  })
}
