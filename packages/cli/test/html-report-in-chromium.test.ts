import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { apply, buildRunbook, diagnose, plan } from '@teams-oauth/core'
import { createFakeTenant, scenarios } from '@teams-oauth/fakes'
import { chromium } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { renderHtmlReport } from '../src/html-report'
import { targetsUsed } from '../src/targets-used'
import { tempDir } from './run-cli'

const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path))
if (!executablePath && process.env.TEAMS_OAUTH_REQUIRE_CHROMIUM === '1')
  throw new Error(
    'Chromium is required (TEAMS_OAUTH_REQUIRE_CHROMIUM=1) but was not found: apt-get install chromium',
  )

describe.runIf(executablePath)('the doctor HTML report in headless Chromium', () => {
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

    const browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
      const requests: string[] = []
      page.on('request', (request) => requests.push(request.url()))
      await page.goto(pathToFileURL(file).href)
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
      if (process.env.UPDATE_SCREENSHOT === '1') {
        const docs = new URL('../../../docs/', import.meta.url).pathname
        mkdirSync(docs, { recursive: true })
        await page.screenshot({ path: join(docs, 'doctor-report.png'), fullPage: true })
      }
    } finally {
      await browser.close()
    }
  })
})
