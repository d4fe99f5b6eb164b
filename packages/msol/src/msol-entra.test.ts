import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CmdletObject } from '@teams-oauth/core'
import { keepKey } from '@teams-oauth/core/adapter'
import type { PowerShellCall, PowerShellSession } from '@teams-oauth/powershell'
import { pwshTestGate, secretLeftovers } from '@teams-oauth/powershell/testing'
import { describe, expect, it } from 'vitest'
import { msolEntra } from './msol-entra'

const pwsh = pwshTestGate()
const appId = '00000004-0000-0ff1-ce00-000000000000'

describe('msolEntra preflight', () => {
  it('refuses the default Windows PowerShell off Windows before starting anything, naming the graph path', async () => {
    const entra = msolEntra({ platform: 'linux' })
    const error = await entra.getServicePrincipal(appId).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ENTRA_PATH_UNAVAILABLE' })
    expect((error as Error).message).toContain('--entra graph')
    expect((error as Error).message).toMatch(/retired.*2025/)
  })

  it('refuses a null key before anything runs', async () => {
    const entra = msolEntra({ platform: 'linux' })
    await expect(
      entra.setKeyCredentials('11111111-1111-1111-1111-111111111111', [
        { type: 'AsymmetricX509Cert', usage: 'Verify', key: null as unknown as string },
      ]),
    ).rejects.toMatchObject({ code: 'KEY_VALUE_MISSING' })
  })
})

describe.runIf(pwsh.run)('msolEntra preflight in PowerShell 7', () => {
  it('refuses PowerShell 7 without the explicit allowance', async () => {
    const entra = msolEntra({ executable: pwsh.executable })
    try {
      const error = await entra.ready().catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'ENTRA_PATH_UNAVAILABLE', data: { reason: 'edition' } })
      expect((error as Error).message).toContain('--entra graph')
    } finally {
      await entra.close()
    }
  })

  it('refuses when the MSOnline module is missing', async () => {
    const entra = msolEntra({ executable: pwsh.executable, allowCore: true })
    try {
      const error = await entra.ready().catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'ENTRA_PATH_UNAVAILABLE', data: { reason: 'module-missing' } })
      expect((error as Error).message).toMatch(/MSOnline/)
    } finally {
      await entra.close()
    }
  })

  it('reports a failed sign-in as the path being unavailable', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'msol-'))
    const module = join(folder, 'FailingMsol.psm1')
    writeFileSync(module, "function Connect-MsolService { throw 'AADSTS50079: the service is retired' }\n")
    const entra = msolEntra({ executable: pwsh.executable, allowCore: true, modulePath: module })
    try {
      const error = await entra.ready().catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'ENTRA_PATH_UNAVAILABLE', data: { reason: 'connect-failed' } })
      expect((error as Error).message).toContain('AADSTS50079')
    } finally {
      await entra.close()
    }
  })

  it('signs in with the given credential and never writes the password to the debug log', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'msol-'))
    const module = join(folder, 'SignInMsol.psm1')
    writeFileSync(
      module,
      [
        'function Connect-MsolService([pscredential]$Credential) {',
        "  if ($Credential.UserName -ne 'admin@contoso.onmicrosoft.com') { throw 'wrong user' }",
        "  if ($Credential.GetNetworkCredential().Password -ne 'Pa$$w0rd-secret') { throw 'wrong password' }",
        '}',
      ].join('\n'),
    )
    const log: string[] = []
    const entra = msolEntra({
      executable: pwsh.executable,
      allowCore: true,
      modulePath: module,
      credential: { userName: 'admin@contoso.onmicrosoft.com', password: 'Pa$$w0rd-secret' },
      onDebug: (line) => log.push(line),
    })
    try {
      await entra.ready()
      expect(log.join('\n')).toContain('admin@contoso.onmicrosoft.com')
      expect(log.join('\n')).not.toContain('Pa$$w0rd-secret')
    } finally {
      await entra.close()
    }
  })

  it.each([
    [
      'a password',
      { userName: 'admin@contoso.onmicrosoft.com', password: 'Pa$$w0rd-left-behind' },
      'Pa$$w0rd-left-behind',
    ],
    ['an access token', { msGraphAccessToken: 'eyJ-token-left-behind' }, 'eyJ-token-left-behind'],
  ] as const)(
    'leaves %s given to the sign-in nowhere in the PowerShell process once signed in',
    async (_, credential, needle) => {
      const folder = mkdtempSync(join(tmpdir(), 'msol-'))
      const module = join(folder, 'LeftoversMsol.psm1')
      const leftovers = secretLeftovers(needle)
      writeFileSync(
        module,
        [
          'function Connect-MsolService([pscredential]$Credential, [string]$MsGraphAccessToken) { }',
          'function Find-TeamsOAuthLeftovers {',
          leftovers.script,
          '}',
          // The stand-in's service principal names what still holds the needle.
          'function Get-MsolServicePrincipal([string]$AppPrincipalId) {',
          `  $names = @(Find-TeamsOAuthLeftovers -Reversed '${leftovers.params.Reversed.replace(/'/g, "''")}')`,
          "  [pscustomobject]@{ ObjectId = '22222222-2222-2222-2222-222222222222'; AppPrincipalId = $AppPrincipalId; DisplayName = ($names -join ',') }",
          '}',
          'function Get-MsolServicePrincipalCredential { }',
        ].join('\n'),
      )
      const entra = msolEntra({
        executable: pwsh.executable,
        allowCore: true,
        modulePath: module,
        credential,
      })
      try {
        const found = await entra.getServicePrincipal(appId)
        expect(found).toMatchObject({ appId, displayName: '' })
      } finally {
        await entra.close()
      }
    },
  )
})

/**
 * A session that answers the MSOnline cmdlets from a list of credentials, as MSOnline shows them:
 * a Password credential reads back without its value even with -ReturnKeyValues.
 */
function msolStub(credentials: CmdletObject[]) {
  const calls: PowerShellCall[] = []
  let next = 0
  const session: PowerShellSession = {
    invoke: async (call) => {
      calls.push(call)
      const params = (call.params ?? {}) as Record<string, unknown>
      switch (call.command) {
        case 'Get-MsolServicePrincipal':
          return [
            { ObjectId: servicePrincipalId, AppPrincipalId: appId, DisplayName: 'Skype for Business Online' },
          ]
        case 'Get-MsolServicePrincipalCredential':
          return credentials.map((credential) => ({ ...credential }))
        case 'New-MsolServicePrincipalCredential':
          next += 1
          credentials.push({
            Type: params.Type,
            Usage: params.Usage,
            Value: params.Value,
            KeyId: `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`,
          })
          return []
        case 'Remove-MsolServicePrincipalCredential': {
          const keyIds = params.KeyIds as string[]
          credentials.splice(
            0,
            credentials.length,
            ...credentials.filter((credential) => !keyIds.includes(String(credential.KeyId))),
          )
          return []
        }
        default:
          throw new Error(`unexpected ${call.command}`)
      }
    },
    run: async () => [],
    start: async () => {},
    close: async () => {},
    stats: { processesStarted: 1, calls: 0 },
  }
  const writes = () =>
    calls
      .filter((call) => /^(New|Remove)-/.test(call.command))
      .map((call) => ({
        command: call.command,
        params: call.params,
      }))
  return { entra: msolEntra({ session, allowCore: true }), credentials, writes }
}

const servicePrincipalId = 'a0f4e8b2-1c3d-4e5f-8a9b-0c1d2e3f4a5b'
const base64 = (text: string) => Buffer.from(text).toString('base64')
const certificate = { Type: 'Asymmetric', Usage: 'Verify', Value: base64('certificate'), KeyId: 'c-1' }
const password = { Type: 'Password', Usage: 'Verify', Value: null, KeyId: 'p-1' }
const symmetric = { Type: 'Symmetric', Usage: 'Sign', Value: base64('shared secret'), KeyId: 's-1' }
const added = { type: 'AsymmetricX509Cert', usage: 'Verify', key: base64('next certificate') }

describe('msolEntra with credentials other than certificates', () => {
  it('reads only the certificate keys, so none of them lacks its value', async () => {
    const { entra } = msolStub([password, certificate, symmetric])
    const read = await entra.getServicePrincipal(appId)
    expect(read?.keyCredentials.map((key) => key.keyId)).toEqual(['c-1'])
    expect(() => read?.keyCredentials.map(keepKey)).not.toThrow()
  })

  it('adds a certificate next to Password and Symmetric credentials and removes neither', async () => {
    const { entra, credentials, writes } = msolStub([password, certificate, symmetric])
    const read = await entra.getServicePrincipal(appId)
    await entra.setKeyCredentials(servicePrincipalId, [...(read?.keyCredentials ?? []).map(keepKey), added])
    expect(writes()).toEqual([
      {
        command: 'New-MsolServicePrincipalCredential',
        params: expect.objectContaining({ Type: 'Asymmetric', Usage: 'Verify', Value: added.key }),
      },
    ])
    expect(credentials.map((credential) => credential.KeyId)).toEqual([
      'p-1',
      'c-1',
      's-1',
      expect.any(String),
    ])
  })

  it('removes only the certificates left out', async () => {
    const { entra, credentials, writes } = msolStub([password, certificate, symmetric])
    await entra.setKeyCredentials(servicePrincipalId, [added])
    expect(writes().map((write) => write.command)).toEqual([
      'New-MsolServicePrincipalCredential',
      'Remove-MsolServicePrincipalCredential',
    ])
    expect(writes()[1]?.params).toMatchObject({ KeyIds: ['c-1'] })
    expect(credentials.map((credential) => credential.KeyId)).toEqual(['p-1', 's-1', expect.any(String)])
  })

  it('refuses to add a key that is no certificate before changing anything', async () => {
    const { entra, writes } = msolStub([certificate])
    await expect(
      entra.setKeyCredentials(servicePrincipalId, [
        { ...added, keyId: 'c-1', key: certificate.Value },
        { type: 'Symmetric', usage: 'Verify', key: base64('another secret') },
        added,
      ]),
    ).rejects.toMatchObject({ code: 'INPUT_INVALID', data: { field: 'type', value: 'Symmetric' } })
    expect(writes()).toEqual([])
  })
})
