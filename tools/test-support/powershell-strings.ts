import fc from 'fast-check'

/**
 * What PowerShell gives a meaning to, or what a code page can turn into something that has one:
 * the five single quotes it accepts, backticks, subexpressions and variables, statement breaks,
 * line breaks, NUL, characters whose UTF-8 bytes read as a quote in Windows-1252 (В is D0 92, which
 * reads as Ð’; т ends in 0x82, ё in 0x91, 💀 holds 0x92), and surrogate pairs (emoji, a ZWJ sequence).
 */
export const powershellSpecials = [
  "'",
  '\u2018',
  '\u2019',
  '\u201A',
  '\u201B',
  "''",
  '`',
  '``',
  '`n',
  '$(Set-Variable -Name pwned -Value 1 -Scope Global)',
  "'; Set-Variable -Name pwned -Value 1 -Scope Global; '",
  '\u2019; Set-Variable -Name pwned -Value 1 -Scope Global; \u2018',
  '$',
  '$env:PATH',
  '$' + '{pwned}',
  '@(',
  '@{',
  '}',
  ')',
  '"',
  ';',
  '|',
  '&',
  '#',
  '<#',
  '#>',
  '\\',
  '\\u0041',
  '\n',
  '\r\n',
  '\r',
  '\t',
  '\0',
  'В',
  'т',
  'ё',
  '💀',
  '😀',
  '\u{1F468}\u200D\u{1F469}',
  'é',
  '日本語',
  'Kalender',
] as const

/** One control character: C0 (NUL, tab, CR, LF among them), DEL, or C1 (U+0080 to U+009F). */
export const controlCharacter = fc
  .oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }))
  .map((code) => String.fromCharCode(code))

/** One piece of a hostile string: a special, a control character, or a few code points of any plane. */
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...powershellSpecials) },
  { weight: 1, arbitrary: controlCharacter },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
)

/** A string PowerShell must take as data whole: specials, control characters and any code point, mixed. */
export const powershellString = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''))

/** The same mix, tens of thousands of UTF-16 code units long. */
export const longPowershellString = fc
  .array(piece, { minLength: 4_000, maxLength: 8_000 })
  .map((parts) => parts.join(''))
  .filter((text) => text.length >= 10_000)
