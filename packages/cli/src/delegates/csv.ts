import type { DelegateFinding } from '@teams-oauth/core'

/** RFC 4180: every field quoted when it holds a comma, a quote, CR or LF; quotes doubled; CRLF between records. */
export const csvField = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value

export const csvColumns = [
  'verdict',
  'delegator',
  'delegatorName',
  'delegate',
  'calendar',
  'rights',
  'sendOnBehalf',
  'ewsEnabled',
  'reasons',
  'fix',
  'note',
] as const

export const csvHeader = () => `${csvColumns.join(',')}\r\n`

export function csvRow(f: DelegateFinding): string {
  const values = [
    f.verdict,
    f.delegator,
    f.delegatorName,
    f.delegate,
    f.calendar ?? '',
    f.rights.join(' '),
    f.sendOnBehalf ? 'yes' : 'no',
    f.ews.ewsEnabled === false ? 'no' : 'yes',
    f.reasons.join('; '),
    f.fix.join('\n'),
    f.note ?? '',
  ]
  return `${values.map(csvField).join(',')}\r\n`
}
