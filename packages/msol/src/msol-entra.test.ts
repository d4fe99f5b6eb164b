import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pwshTestGate } from '@teams-oauth/powershell'
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
})
