import { join } from 'node:path'
import { scenarios } from '@teams-oauth/fakes'
import { describe, expect, it } from 'vitest'
import { stateFile } from './org-state'
import { runCli, tempDir } from './run-cli'
import { chromiumPath, inChromium, updateScreenshot } from './support/chromium'

describe.runIf(chromiumPath)('the delegates HTML report in headless Chromium', () => {
  it('shows one row per relationship, filters by verdict and text, sorts, and asks the network for nothing', async () => {
    const org = scenarios.largeOrganisation({ mailboxes: 300, delegatorsShare: 0.2, seed: 4 })
    const dir = tempDir()
    const file = join(dir, 'delegates.html')
    const run = await runCli([
      'delegates',
      '--exchange',
      'fake',
      '--state',
      stateFile(org, dir),
      '--all',
      '--html',
      file,
    ])
    expect(run.code).toBe(3)
    const { ok, warn, fail } = org.truth.all

    await inChromium(file, async (page, requests) => {
      const visible = () => page.locator('tbody tr:visible').count()
      expect(await page.locator('tbody tr').count()).toBe(ok + warn + fail)
      expect(await page.locator('tbody tr.fail').count()).toBe(fail)
      expect(await page.locator('#verdict-chart').getAttribute('aria-label')).toBe(
        `Relationships by verdict: ${fail} fail, ${warn} warning, ${ok} OK`,
      )
      expect(await page.locator('h1').textContent()).toContain(`${fail} failing, ${warn} warning, ${ok} OK`)

      await page.locator('input[value=ok]').uncheck()
      expect(await visible()).toBe(fail + warn)
      await page.locator('input[value=warn]').uncheck()
      expect(await visible()).toBe(fail)
      expect(await page.locator('tbody tr.ok:visible').count()).toBe(0)
      await page.locator('input[value=ok]').check()
      await page.locator('input[value=warn]').check()

      await page.locator('#search').fill('予定表')
      const japanese = await visible()
      expect(japanese).toBeGreaterThan(0)
      expect(japanese).toBeLessThan(ok + warn + fail)
      for (const row of await page.locator('tbody tr:visible').all())
        expect(await row.textContent()).toContain('予定表')
      await page.locator('#search').fill('')

      await page.locator('th[data-key=verdict]').click()
      expect(await page.locator('tbody tr').first().getAttribute('data-verdict')).toBe('fail')
      await page.locator('th[data-key=verdict]').click()
      expect(await page.locator('tbody tr').first().getAttribute('data-verdict')).toBe('ok')

      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([])
      await updateScreenshot(page, 'delegates-report.png', {
        arrange: async () => {
          await page.locator('input[value=ok]').uncheck()
          await page.locator('th[data-key=verdict]').click()
        },
      })
    })
  }, 120_000)
})
