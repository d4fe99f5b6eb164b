import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { apply, buildRunbook, diagnose, plan } from '@teams-oauth/core'
import { createFakeTenant, scenarios } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { renderHtmlReport } from '../src/html-report'
import { targetsUsed } from '../src/targets-used'
import { tempDir } from './run-cli'
import { chromiumPath, inChromium, updateScreenshot } from './support/chromium'

describe.runIf(chromiumPath)('the doctor HTML report in headless Chromium', () => {
  it('shows one row per check with its status in words, evidence and fix', async () => {
    const tenant = createFakeTenant(
      scenarios.combine(
        scenarios.germanCalendar(),
        scenarios.delegateOwnerOnly(),
        scenarios.authCertificateExpiringIn(30),
      ),
    )
    const runbook = buildRunbook({ profile: 'all', domain: 'contoso.com' })
    await apply(await plan(runbook, tenant), tenant)
    const report = await diagnose(tenant, {
      profile: 'all',
      domain: 'contoso.com',
      delegate: 'bob',
      delegator: 'alice',
    })
    const file = join(tempDir(), 'report.html')
    writeFileSync(
      file,
      renderHtmlReport(report, targetsUsed({ exchange: 'fake', entra: 'fake', state: undefined })),
    )

    await inChromium(file, async (page, requests) => {
      const rows = page.locator('tbody tr')
      expect(await rows.count()).toBe(report.checks.length)
      for (const check of report.checks) {
        const row = page.locator(`tr[data-check="${check.id}"]`)
        expect(await row.isVisible()).toBe(true)
        expect(await row.locator('.badge').textContent()).toContain(
          { pass: 'Pass', warn: 'Warning', fail: 'Fail' }[check.status],
        )
        if (check.fix) expect(await row.locator('code').textContent()).toBe(check.fix)
      }
      expect(await page.locator('tr.fail[data-check="delegate.rights"] code').textContent()).toContain(
        'alice:\\Kalender',
      )
      expect(await page.locator('h1').textContent()).toContain(report.organisation)
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([])
      await updateScreenshot(page, 'doctor-report.png', { fullPage: true })
    })
  })
})
