import { describe, expect, it } from 'vitest'
import { quote } from './quote'

const unescaped = (text: string) => `([regex]::Unescape('${text}'))`

describe('quote, for text Windows-1252 would read otherwise', () => {
  it('leaves as they are the characters whose UTF-8 holds no byte read as a quote, pairs of surrogates too', () => {
    for (const text of ['é', 'üß', '😀', '\u007F', '\u0080', 'Ø', 'a\\b'])
      expect(quote(text)).toBe(`'${text}'`)
  })

  it('writes \\uXXXX, in uppercase hex of four digits, for each character with a byte 0x82, 0x91 or 0x92', () => {
    expect(quote('Ò')).toBe(unescaped('\\u00D2')) // C3 92
    expect(quote('В')).toBe(unescaped('\\u0412')) // D0 92
    expect(quote('\u0082\u0091')).toBe(unescaped('\\u0082\\u0091')) // C2 82, C2 91
    expect(quote('💂')).toBe(unescaped('\\uD83D\\uDC82')) // F0 9F 92 82: each half of the pair
    expect(quote('€')).toBe(unescaped('\\u20AC')) // E2 82 AC
  })

  it('writes \\uXXXX for a surrogate that is not half of a pair', () => {
    expect(quote('\uD800')).toBe(unescaped('\\uD800'))
    expect(quote('a\uDC00')).toBe(unescaped('a\\uDC00'))
  })

  it('keeps the rest of an escaped literal as itself, with each backslash and single quote doubled', () => {
    expect(quote("a\\'Ò‘😀é")).toBe(unescaped("a\\\\''\\u00D2‘‘😀é"))
  })
})
