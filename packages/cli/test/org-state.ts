import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFakeTenant, type FakeSeed } from '@teams-oauth/fakes'
import { tempDir } from './run-cli'

/** A --state file holding the organisation a seed describes, as an earlier run would have kept it. */
export function stateFile(seed: FakeSeed, dir = tempDir()): string {
  const file = join(dir, 'state.json')
  const document = {
    format: 'teams-oauth-fake-tenant',
    version: 1,
    state: createFakeTenant(seed).state(),
    changes: [],
  }
  writeFileSync(file, JSON.stringify(document))
  return file
}

/** `delegates --all` on the fake organisation of a --state file, recording its progress in `checkpoint`. */
export const auditAll = (state: string, checkpoint: string) => [
  'delegates',
  '--exchange',
  'fake',
  '--state',
  state,
  '--all',
  '--checkpoint',
  checkpoint,
]

/** A strict RFC 4180 reader: quoted fields with doubled quotes, CRLF between records; throws on anything else. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let i = 0
  const field = (): string => {
    if (text[i] !== '"') {
      let end = i
      while (end < text.length && text[end] !== ',' && text[end] !== '\r') {
        if (text[end] === '"' || text[end] === '\n') throw new Error(`bare quote or LF at ${end}`)
        end++
      }
      const value = text.slice(i, end)
      i = end
      return value
    }
    let value = ''
    i++
    for (;;) {
      if (i >= text.length) throw new Error('unterminated quoted field')
      if (text[i] === '"') {
        if (text[i + 1] === '"') {
          value += '"'
          i += 2
          continue
        }
        i++
        return value
      }
      value += text[i++]
    }
  }
  while (i < text.length) {
    record.push(field())
    if (text[i] === ',') {
      i++
      continue
    }
    if (text.slice(i, i + 2) !== '\r\n') throw new Error(`expected CRLF at ${i}`)
    i += 2
    records.push(record)
    record = []
  }
  return records
}
