import { describe, expect, it } from 'vitest'
import { psCall, psValue, quote } from './quote'

describe('quote', () => {
  it('doubles each of the five single-quote characters PowerShell ends a literal on, and nothing else', () => {
    expect(quote("it's")).toBe("'it''s'")
    expect(quote('\u2018a\u2019b\u201Ac\u201B')).toBe("'\u2018\u2018a\u2019\u2019b\u201A\u201Ac\u201B\u201B'")
    expect(quote("''")).toBe("''''''")
    expect(quote('"$env:PATH" `n @(x) \u201C\u201D')).toBe('\'"$env:PATH" `n @(x) \u201C\u201D\'')
    expect(quote('')).toBe("''")
  })
})

describe('psValue', () => {
  it('prints every value as a literal', () => {
    expect(psValue(null)).toBe('$null')
    expect(psValue("O'Neil")).toBe("'O''Neil'")
    expect(psValue(true)).toBe('$true')
    expect(psValue(false)).toBe('$false')
    expect(psValue(-1.5)).toBe('-1.5')
    expect(psValue(0)).toBe('0')
    expect(psValue(['a', 1, false])).toBe("@('a', 1, $false)")
    expect(psValue([])).toBe('@()')
    expect(psValue({ $bytes: 'AAE=' })).toBe("[System.Convert]::FromBase64String('AAE=')")
    expect(psValue({ "k'ey": 'v', n: null })).toBe("@{ 'k''ey' = 'v'; 'n' = $null }")
    expect(psValue({ $bytes: 1 } as never)).toBe("@{ '$bytes' = 1 }")
  })

  it('refuses a number PowerShell would read otherwise', () => {
    for (const n of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
      expect(() => psValue(n)).toThrow(`cannot print ${n} as PowerShell`)
  })
})

describe('psCall', () => {
  it('prints switches bare, Confirm and WhatIf with a colon, every other value after its name', () => {
    expect(
      psCall('Set-PartnerApplication', {
        Identity: "a'b",
        ApplicationAccount: true,
        Force: true,
        Recurse: true,
        Enabled: true,
        Confirm: false,
        WhatIf: true,
        Forced: true,
        NoForce: true,
        NoConfirm: false,
        Confirmed: false,
      }),
    ).toBe(
      "Set-PartnerApplication -Identity 'a''b' -ApplicationAccount -Force -Recurse -Enabled $true -Confirm:$false -WhatIf:$true -Forced $true -NoForce $true -NoConfirm $false -Confirmed $false",
    )
    expect(psCall('New-MailUser', { ApplicationAccount: false, Confirm: 'x' as never })).toBe(
      "New-MailUser -ApplicationAccount $false -Confirm 'x'",
    )
    expect(psCall('Get-MailUser', { Name: 'x' }, 'dc')).toBe("Get-MailUser -Name 'x' @dc")
    expect(psCall('Get-MailUser', {})).toBe('Get-MailUser')
  })

  it('refuses a parameter name that is not one', () => {
    for (const name of ['Name; Remove-Item x', '1Name', 'Na-me', '', 'Name ', ' Name', 'Näme'])
      expect(() => psCall('Get-MailUser', { [name]: 'x' })).toThrow(`not a parameter name: ${name}`)
    expect(psCall('Get-MailUser', { N1: 'x' })).toBe("Get-MailUser -N1 'x'")
  })
})
