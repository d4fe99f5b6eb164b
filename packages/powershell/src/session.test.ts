import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { powershellString } from '../../../tools/test-support/powershell-strings'
import { createPowerShellSession, PowerShellError, type PowerShellSession, secret } from './index'
import { pwshTestGate, secretLeftovers } from './testing'

const pwsh = pwshTestGate()

/** Fixed text: an echo function that reports what it received, and a counter of its runs. */
const echoSetup = `
$global:echoRuns = 0
function global:Get-TeamsOAuthEcho {
  [CmdletBinding()]
  param($Value, $Other, [switch]$Flag, [datetime]$When, [System.DayOfWeek]$Day, [string]$Password)
  $global:echoRuns++
  Write-Host 'noise on the host stream'
  [Console]::Out.WriteLine('TOA000000000000000000000000 not an answer TOA000000000000000000000000')
  $text = if ($Value -is [string]) { $Value } else { '' }
  $sha = [System.Security.Cryptography.SHA256]::Create()
  [pscustomobject]@{
    Value = $Value
    Other = $Other
    Type = if ($null -eq $Value) { 'null' } else { $Value.GetType().Name }
    Sha256 = [Convert]::ToBase64String($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($text)))
    Length = $text.Length
    Flag = $Flag.IsPresent
    When = if ($PSBoundParameters.ContainsKey('When')) { $When } else { $null }
    Day = if ($PSBoundParameters.ContainsKey('Day')) { $Day } else { $null }
  }
}
function global:Get-TeamsOAuthShapes {
  [pscustomobject]@{
    Date = [DateTime]::new(2025, 6, 1, 12, 30, 0, [DateTimeKind]::Utc)
    Enum = [System.DayOfWeek]::Friday
    Bytes = [byte[]](0, 1, 254, 255)
    List = [System.Collections.Generic.List[string]]@('Kalender', 'Calendrier')
    Nested = [System.Uri]'https://contoso.com/ews'
    Deep = [System.IO.DirectoryInfo]'/tmp'
    Nothing = $null
    Text = '日本語 😀'
  }
}
`

const sha256 = (text: string) => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('base64')

describe.runIf(pwsh.run)('a PowerShell session', () => {
  let session: PowerShellSession
  const log: string[] = []

  beforeAll(async () => {
    session = createPowerShellSession({
      executable: pwsh.executable,
      setup: { script: echoSetup },
      secretParameters: ['Password'],
      onDebug: (line) => log.push(line),
    })
    await session.start()
  })
  afterAll(() => session?.close())

  it('delivers any string exactly as data, whatever quotes, code or characters it holds, and runs nothing else', async () => {
    const before = (await session.run({ script: '$global:echoRuns' }))[0] as number
    let calls = 0
    await fc.assert(
      fc.asyncProperty(powershellString, powershellString, async (first, second) => {
        calls += 1
        const [echo] = (await session.invoke({
          command: 'Get-TeamsOAuthEcho',
          params: { Value: first, Other: second },
        })) as {
          Value: string
          Other: string
          Sha256: string
        }[]
        expect(echo?.Sha256).toBe(sha256(first))
        expect(echo?.Value).toBe(first)
        expect(echo?.Other).toBe(second)
      }),
      { numRuns: 150 },
    )
    const after = (await session.run({ script: '$global:echoRuns' }))[0] as number
    expect(after - before).toBe(calls)
    const [pwned] = await session.run({
      script: '$null -ne (Get-Variable -Name pwned -Scope Global -ErrorAction SilentlyContinue)',
    })
    expect(pwned).toBe(false)
  })

  it('delivers 10 kB values exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 10_000, maxLength: 10_000 }), async (big) => {
        const [echo] = (await session.invoke({ command: 'Get-TeamsOAuthEcho', params: { Value: big } })) as {
          Sha256: string
          Value: string
        }[]
        expect(echo?.Sha256).toBe(sha256(big))
        expect(echo?.Value).toBe(big)
      }),
      { numRuns: 5 },
    )
  })

  it('passes dates, bytes, arrays, null, switches and enums as PowerShell values', async () => {
    const [echo] = await session.invoke({
      command: 'Get-TeamsOAuthEcho',
      params: {
        Value: { $bytes: 'AAH+/w==' },
        Other: ['a', 'b'],
        Flag: true,
        When: '2025-06-01T12:30:00Z',
        Day: 'Friday',
      },
    })
    expect(echo).toMatchObject({
      Value: 'AAH+/w==',
      Type: 'Byte[]',
      Other: ['a', 'b'],
      Flag: true,
      When: '2025-06-01T12:30:00.000Z',
      Day: 'Friday',
    })

    const [nothing] = await session.invoke({
      command: 'Get-TeamsOAuthEcho',
      params: { Value: null, Flag: false, Other: [1, 'two', true] },
    })
    expect(nothing).toMatchObject({ Type: 'null', Flag: false, Other: [1, 'two', true] })

    const [bytes] = await session.invoke({
      command: 'Get-TeamsOAuthEcho',
      params: { Value: new Uint8Array([1, 2, 3]) },
    })
    expect(bytes).toMatchObject({ Value: 'AQID', Type: 'Byte[]' })
  })

  it('returns output objects as plain JSON: dates in UTC, enums by name, bytes in base64, lists as arrays, deeper objects as text', async () => {
    const [shapes] = await session.invoke({ command: 'Get-TeamsOAuthShapes' })
    expect(shapes).toEqual({
      Date: '2025-06-01T12:30:00.000Z',
      Enum: 'Friday',
      Bytes: 'AAH+/w==',
      List: ['Kalender', 'Calendrier'],
      Nested: 'https://contoso.com/ews',
      Deep: '/tmp',
      Nothing: null,
      Text: '日本語 😀',
    })
    const [selected] = await session.invoke({ command: 'Get-TeamsOAuthShapes', select: ['Enum', 'Missing'] })
    expect(selected).toEqual({ Enum: 'Friday', Missing: null })
  })

  it('returns a single byte array from a script as one base64 value', async () => {
    expect(await session.run({ script: ',[byte[]](1, 2, 3)' })).toEqual(['AQID'])
  })

  it('reports a failed command with its message, category, reason and error id, and no stack', async () => {
    const failure = await session
      .invoke({ command: 'Get-Item', params: { LiteralPath: '/no/such/path' } })
      .catch((e) => e)
    expect(failure).toMatchObject({
      code: 'POWERSHELL_COMMAND_FAILED',
      data: {
        command: 'Get-Item',
        message: "Cannot find path '/no/such/path' because it does not exist.",
        category: 'ObjectNotFound',
        reason: 'ItemNotFoundException',
        fullyQualifiedErrorId: 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand',
        target: '/no/such/path',
      },
    })
    const unknown = await session
      .invoke({ command: 'Get-TeamsOAuthEcho', params: { Nope: 1 } })
      .catch((e) => e)
    expect(unknown.data).toMatchObject({
      reason: 'ParameterBindingException',
      fullyQualifiedErrorId: 'NamedParameterNotFound,Get-TeamsOAuthEcho',
    })
  })

  it('keeps secret values out of the debug log', async () => {
    await session.invoke({
      command: 'Get-TeamsOAuthEcho',
      params: { Value: secret('wrapped-value-123'), Password: 'named-value-456' },
    })
    const text = log.join('\n')
    expect(text).toContain('Get-TeamsOAuthEcho')
    expect(text).not.toContain('wrapped-value-123')
    expect(text).not.toContain('named-value-456')
  })

  it("keeps no call's payload in PowerShell's history, nor in any global variable", async () => {
    const needle = 'history-secret-789'
    await session.invoke({ command: 'Get-TeamsOAuthEcho', params: { Value: secret(needle) } })
    expect(await session.run(secretLeftovers(needle))).toEqual([])
  })

  it('logs at most 200 characters of each value, with its length, and still no secret', async () => {
    const big = 'x'.repeat(300_000)
    const from = log.length
    await session.invoke({
      command: 'Get-TeamsOAuthEcho',
      params: { Value: big, Other: Array.from({ length: 100 }, (_, i) => `item ${i}`), Password: big + 'pw' },
    })
    const call = log.slice(from).find((line) => line.includes('call Get-TeamsOAuthEcho')) ?? ''
    expect(call.length).toBeLessThan(1_000)
    expect(call).toContain(`"Value":"${'x'.repeat(200)}… (300000 characters)"`)
    expect(call).toMatch(/"Other":"\[\\"item 0\\",.*… \(\d+ characters\)"/)
    expect(call).toContain('"Password":"***"')
  })

  it('refuses a lone UTF-16 surrogate in a value, naming the parameter, and keeps its process', async () => {
    const started = session.stats.processesStarted
    for (const bad of ['\ud800', 'a\udc00b', ['fine', 'x\ud83d'], secret('\udfff')]) {
      const failure = await (async () =>
        session.invoke({ command: 'Get-TeamsOAuthEcho', params: { Value: 'fine', Other: bad } }))().catch(
        (error) => error,
      )
      expect(failure).toMatchObject({ code: 'INPUT_INVALID', data: { parameter: 'Other' } })
      expect(failure.message).toContain('parameter Other')
    }
    const [echo] = await session.invoke({ command: 'Get-TeamsOAuthEcho', params: { Value: '\ud83d\ude00' } })
    expect(echo).toMatchObject({ Value: '😀' })
    expect(session.stats.processesStarted).toBe(started)
  })
})

describe.runIf(pwsh.run)('a PowerShell session and secrets', () => {
  it('prints nothing on stdout, even with DEBUG=*', async () => {
    const debugBefore = process.env.DEBUG
    process.env.DEBUG = '*'
    const printed: string[] = []
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '))
    })
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk))
      return true
    })
    const session = createPowerShellSession({ executable: pwsh.executable, setup: { script: echoSetup } })
    try {
      const [echo] = await session.invoke({
        command: 'Get-TeamsOAuthEcho',
        params: { Value: secret('debug-secret-789') },
      })
      expect(echo).toMatchObject({ Value: 'debug-secret-789' })
    } finally {
      await session.close()
      log.mockRestore()
      write.mockRestore()
      if (debugBefore === undefined) delete process.env.DEBUG
      else process.env.DEBUG = debugBefore
    }
    expect(printed.join('\n')).toBe('')
  })

  it('starts PowerShell without the Graph token or any other secret in its environment', async () => {
    const token = 'graph-token-in-env-5150'
    const saved = { ...process.env }
    process.env.TEAMS_OAUTH_GRAPH_TOKEN = token
    process.env.AZURE_CLIENT_SECRET = `${token}-client-secret`
    process.env.TEAMS_OAUTH_HARMLESS = 'kept'
    // the default (this process's environment) and an environment given explicitly
    const sessions = [
      createPowerShellSession({ executable: pwsh.executable }),
      createPowerShellSession({ executable: pwsh.executable, env: { ...process.env } }),
    ]
    try {
      for (const session of sessions) {
        const [seen] = await session.run({
          script: `param([string]$Needle)
            $all = [Environment]::GetEnvironmentVariables()
            [pscustomobject]@{
              Holding = @($all.Keys | Where-Object { "$($all[$_])".Contains($Needle) -or "$_" -match 'TOKEN|SECRET' })
              Harmless = $env:TEAMS_OAUTH_HARMLESS
            }`,
          params: { Needle: token },
        })
        expect(seen).toEqual({ Holding: [], Harmless: 'kept' })
      }
    } finally {
      for (const session of sessions) await session.close()
      for (const name of ['TEAMS_OAUTH_GRAPH_TOKEN', 'AZURE_CLIENT_SECRET', 'TEAMS_OAUTH_HARMLESS'])
        if (saved[name] === undefined) delete process.env[name]
        else process.env[name] = saved[name]
    }
  })

  it('keeps no setup parameter, nor the payload that carried it, in the process after the setup', async () => {
    const password = 'setup-secret-4711'
    const session = createPowerShellSession({
      executable: pwsh.executable,
      setup: {
        script: `param([string]$UserName, [string]$Password)
          $global:setupPasswordLength = $Password.Length
          function global:Get-TeamsOAuthSetupUser { 'still here' }`,
        params: { UserName: 'admin', Password: secret(password) },
      },
    })
    try {
      await session.start()
      expect(await session.run({ script: '$global:setupPasswordLength' })).toEqual([password.length])
      expect(await session.invoke({ command: 'Get-TeamsOAuthSetupUser' })).toEqual(['still here'])
      expect(await session.run(secretLeftovers(password))).toEqual([])
      const names = [
        'Password',
        'UserName',
        '__teamsOAuthPayload',
        '__teamsOAuthRequest',
        '__teamsOAuthParams',
      ]
      const [left] = await session.run({
        script:
          'param([string[]]$Names) @(Get-Variable -Name $Names -Scope Global -ErrorAction SilentlyContinue).Count',
        params: { Names: names },
      })
      expect(left).toBe(0)
    } finally {
      await session.close()
    }
  })
})

describe.runIf(pwsh.run)('a PowerShell session that loses its process', () => {
  let session: PowerShellSession
  beforeAll(() => {
    session = createPowerShellSession({
      executable: pwsh.executable,
      timeoutMs: 10_000,
      setup: { script: echoSetup },
    })
  })
  afterAll(() => session?.close())

  it('answers a call that outlives its timeout with a timeout error in time, and the next call gets its own answer', async () => {
    await session.start()
    const began = Date.now()
    const late = await session
      .run({ script: "Start-Sleep -Seconds 20; 'late answer'", timeoutMs: 1_500 })
      .catch((error) => error)
    expect(late).toMatchObject({ code: 'POWERSHELL_TIMEOUT' })
    expect(Date.now() - began).toBeLessThan(4_000)
    const [echo] = await session.invoke({ command: 'Get-TeamsOAuthEcho', params: { Value: 'second call' } })
    expect(echo).toMatchObject({ Value: 'second call' })
    expect(session.stats.processesStarted).toBe(2)
  })

  it('reports a process that dies mid-call as POWERSHELL_CRASHED and runs the next call on a fresh process', async () => {
    const started = session.stats.processesStarted
    const crash = await session.run({ script: 'Stop-Process -Id $PID -Force' }).catch((error) => error)
    expect(crash).toMatchObject({ code: 'POWERSHELL_CRASHED' })
    const [echo] = await session.invoke({
      command: 'Get-TeamsOAuthEcho',
      params: { Value: 'after the crash' },
    })
    expect(echo).toMatchObject({ Value: 'after the crash' })
    expect(session.stats.processesStarted).toBe(started + 1)
  })
})

describe('a PowerShell session without PowerShell', () => {
  it('fails with POWERSHELL_UNAVAILABLE naming the executable', async () => {
    const session = createPowerShellSession({ executable: 'teams-oauth-no-such-pwsh' })
    const failure = await session.invoke({ command: 'Get-Date' }).catch((error) => error)
    expect(failure).toMatchObject({
      code: 'POWERSHELL_UNAVAILABLE',
      data: { executable: 'teams-oauth-no-such-pwsh' },
    })
    await session.close()
  })
})

describe('a PowerShell session given bad input', () => {
  it('answers with a rejected promise, never a synchronous throw, and starts nothing', async () => {
    const session = createPowerShellSession({ executable: 'teams-oauth-no-such-pwsh' })
    const bad: [string, () => Promise<unknown>, RegExp][] = [
      [
        'a command name that is not Verb-Noun',
        () => session.invoke({ command: "Get-Item; Remove-Item 'x'" }),
        /not a command name/,
      ],
      [
        'a parameter name that is not one',
        () => session.invoke({ command: 'Get-Item', params: { 'Path; rm': 'x' } }),
        /not a parameter name/,
      ],
      [
        'a lone surrogate in a command parameter',
        () => session.invoke({ command: 'Get-Item', params: { Path: '\ud800' } }),
        /lone UTF-16 surrogate/,
      ],
      [
        'a lone surrogate in a script parameter',
        () => session.run({ script: 'param($Path)', params: { Path: secret('a\udc00') } }),
        /lone UTF-16 surrogate/,
      ],
      [
        'a parameter name that is not one, in a script',
        () => session.run({ script: '1', params: { $x: 1 } }),
        /not a parameter name/,
      ],
    ]
    for (const [what, attempt, message] of bad) {
      let answer: Promise<unknown> | undefined
      expect(() => {
        answer = attempt()
      }, what).not.toThrow()
      expect(answer, what).toBeInstanceOf(Promise)
      const failure = await answer?.then(
        () => null,
        (error: unknown) => error,
      )
      expect(failure, what).toBeInstanceOf(PowerShellError)
      expect(failure, what).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(message) })
    }
    expect(session.stats).toEqual({ processesStarted: 0, calls: 0 })
    await session.close()
  })
})
