import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFakeTenant, makeTestCertificate } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { fake, runCli, stateOf, tempDir } from './run-cli'

/** A state file of a new fake organisation, and its current auth certificate as a .cer file. */
async function organisation(dir: string) {
  const tenant = createFakeTenant()
  const state = join(dir, 's.json')
  writeFileSync(
    state,
    JSON.stringify({ format: 'teams-oauth-fake-tenant', version: 1, state: tenant.state(), changes: [] }),
  )
  const [config] = await tenant.exchange.invoke({ cmdlet: 'Get-AuthConfig', params: {} })
  const der = tenant.exportCertificate(String(config?.CurrentCertificateThumbprint))
  const own = join(dir, 'own.cer')
  writeFileSync(own, der!)
  const other = join(dir, 'other.cer')
  writeFileSync(other, makeTestCertificate({ subject: 'CN=Someone Else' }).der)
  return { state, own, other, thumbprint: String(config?.CurrentCertificateThumbprint).toUpperCase() }
}

describe('--certificate', () => {
  it("that is neither Exchange's current nor its next auth certificate is blocked, saying what to do; nothing is changed", async () => {
    const dir = tempDir()
    const { state, other } = await organisation(dir)
    const common = [...fake, '--domain', 'contoso.com', '--state', state, '--certificate', other]
    const run = await runCli(['apply', ...common, '--journal', join(dir, 'j.json'), '--yes'])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("is neither Exchange's current auth certificate")
    expect(run.stdout).toContain('--any-certificate')
    expect(stateOf(state).changes).toEqual([])
  })

  it("that is Exchange's current auth certificate is uploaded", async () => {
    const dir = tempDir()
    const { state, own } = await organisation(dir)
    const common = [...fake, '--domain', 'contoso.com', '--state', state, '--certificate', own]
    const run = await runCli(['apply', ...common, '--journal', join(dir, 'j.json'), '--yes'])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect((await runCli(['verify', ...fake, '--domain', 'contoso.com', '--state', state])).code).toBe(0)
  })

  it('with --any-certificate is uploaded anyway, and verify, even given that file, checks against Exchange’s own', async () => {
    const dir = tempDir()
    const { state, other, thumbprint } = await organisation(dir)
    const common = [...fake, '--domain', 'contoso.com', '--state', state]
    const run = await runCli([
      'apply',
      ...common,
      '--certificate',
      other,
      '--any-certificate',
      '--journal',
      join(dir, 'j.json'),
      '--yes',
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('uploaded anyway (--any-certificate)')
    expect((await runCli(['verify', ...common])).code).toBe(3)
    for (const given of [
      ['--certificate', other],
      ['--certificate', other, '--any-certificate'],
    ]) {
      const run = await runCli(['verify', ...common, ...given, '--json'])
      expect(run.code, given.join(' ')).toBe(3)
      const steps = JSON.parse(run.stdout).steps
      const drift = steps.filter((s: { status: string }) => s.status === 'drift')
      expect(drift.length).toBeGreaterThan(0)
      for (const step of drift) expect(step.desired).toContain(thumbprint)
    }
  })
})
