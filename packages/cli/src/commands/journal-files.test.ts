import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { emptyJournal, isTeamsOAuthError } from '@teams-oauth/core'
import { describe, expect, it } from 'vitest'
import {
  assertDistinctFiles,
  defaultJournal,
  journalLimit,
  probeWritable,
  readJournal,
  writeJournal,
} from './shared'

const posix = process.platform !== 'win32'
const folder = () => mkdtempSync(join(tmpdir(), 'teams-oauth-journal-'))
const refusal = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    expect(isTeamsOAuthError(error)).toBe(true)
    return error as Error & { code: string; data: Record<string, unknown> }
  }
  throw new Error('expected a refusal')
}
const organisation = {
  exchange: { guid: '11111111-1111-4111-8111-111111111111', name: 'Contoso' },
  entra: { tenantId: null },
}

describe('the journal file', () => {
  it('is teams-oauth-journal.json unless named', () => {
    expect(defaultJournal).toBe('teams-oauth-journal.json')
  })

  it('is read back as it was written, two-space JSON ending in a newline', () => {
    const file = join(folder(), 'j.json')
    const journal = emptyJournal(organisation)
    writeJournal(file, journal)
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(journal, null, 2)}\n`)
    expect(readJournal(file)).toEqual(journal)
    expect(readJournal(file, { mustExist: true })).toEqual(journal)
  })

  it('is an empty journal when it does not exist yet, unless it must exist', () => {
    const file = join(folder(), 'j.json')
    expect(readJournal(file)).toEqual(emptyJournal())
    const error = refusal(() => readJournal(file, { mustExist: true }))
    expect(error.code).toBe('JOURNAL_INVALID')
    expect(error.message).toBe(
      `journal: ${file} does not exist; pass the file apply wrote (--journal <file>)`,
    )
    expect(error.data).toEqual({ field: 'journal' })
  })

  it('is refused when it is not JSON, without quoting it', () => {
    const file = join(folder(), 'j.json')
    writeFileSync(file, 'password=hunter2')
    const error = refusal(() => readJournal(file))
    expect(error.code).toBe('JOURNAL_INVALID')
    expect(error.message).toBe(
      `journal: ${file} is not JSON, so not a journal apply wrote; pass the file apply --journal wrote`,
    )
    expect(error.data).toEqual({ field: 'journal' })
  })

  it('is refused as a journal when it is JSON of something else, or too large', () => {
    const file = join(folder(), 'j.json')
    writeFileSync(file, '{"format":"other"}')
    expect(refusal(() => readJournal(file)).code).toBe('JOURNAL_INVALID')
    writeFileSync(file, Buffer.alloc(journalLimit + 1, 32))
    const large = refusal(() => readJournal(file))
    expect(large.code).toBe('JOURNAL_INVALID')
    expect(large.message).toBe(`journal: ${file} is larger than 50 MB; pass the file apply --journal wrote`)
  })
})

describe('probeWritable', () => {
  it('leaves nothing behind where a file can be written', () => {
    const dir = folder()
    probeWritable(join(dir, 'j.json'), 'journal')
    expect(readdirSync(dir)).toEqual([])
  })

  it('says why a file cannot be written there', () => {
    const file = join(folder(), 'missing', 'j.json')
    const error = refusal(() => probeWritable(file, 'journal'))
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.message).toBe(
      `journal: ${file} cannot be written (ENOENT); give a path in a folder that exists and that you can write to`,
    )
    expect(error.data).toEqual({
      field: 'journal',
      issues: [{ field: 'journal', problem: 'cannot be written (ENOENT)', fix: 'a writable path' }],
    })
  })
})

describe('assertDistinctFiles', () => {
  it('refuses one file given for two options, however spelt', () => {
    const dir = folder()
    const state = join(dir, 's.json')
    const error = refusal(() =>
      assertDistinctFiles({ '--state': state, '--html': undefined, '--journal': join(dir, '.', 's.json') }),
    )
    expect(error.message).toBe(
      `--state and --journal name one file (${join(dir, '.', 's.json')}); give each its own file`,
    )
    expect(error.data).toEqual({
      issues: [{ field: 'journal', problem: 'is the --state file', fix: 'give it its own file' }],
    })
    if (posix) {
      writeFileSync(state, '{}')
      symlinkSync(state, join(dir, 'link'))
      expect(
        refusal(() => assertDistinctFiles({ '--state': join(dir, 'link'), '--journal': state })).code,
      ).toBe('INPUT_INVALID')
    }
  })

  it('accepts distinct files, and options not given', () => {
    const dir = folder()
    expect(() =>
      assertDistinctFiles({
        '--state': join(dir, 's.json'),
        '--journal': join(dir, 'j.json'),
        '--html': join(dir, 'r.html'),
        '--output': undefined,
        '--other': '',
      }),
    ).not.toThrow()
    expect(() => assertDistinctFiles({ '--state': undefined, '--journal': undefined })).not.toThrow()
    expect(() =>
      assertDistinctFiles({ '--a': join(dir, 'x'), '--b': join(dir, 'y'), '--c': join(dir, 'x') }),
    ).toThrow('--a and --c name one file')
  })
})
