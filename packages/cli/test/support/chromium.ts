import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Page } from 'playwright-core'

/** The system's Chromium, if any; with TEAMS_OAUTH_REQUIRE_CHROMIUM=1 a missing one fails the run. */
export const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) =>
  existsSync(path),
)
if (!chromiumPath && process.env.TEAMS_OAUTH_REQUIRE_CHROMIUM === '1')
  throw new Error(
    'Chromium is required (TEAMS_OAUTH_REQUIRE_CHROMIUM=1) but was not found: apt-get install chromium',
  )

/**
 * Opens a report file in headless Chromium, offline, and hands its page to `check` with every URL
 * the page asked for; the browser is closed afterwards, whatever happens.
 */
export async function inChromium(
  file: string,
  check: (page: Page, requests: string[]) => Promise<void>,
): Promise<void> {
  if (!chromiumPath) throw new Error('no Chromium: run these tests with describe.runIf(chromiumPath)')
  const browser = await chromium.launch({
    executablePath: chromiumPath,
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
    await check(page, requests)
  } finally {
    await browser.close()
  }
}

/** With UPDATE_SCREENSHOT=1, saves the page (after `arrange`, if given) as docs/<name>, the picture the README shows. */
export async function updateScreenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean; arrange?: () => Promise<void> } = {},
) {
  if (process.env.UPDATE_SCREENSHOT !== '1') return
  await options.arrange?.()
  const docs = new URL('../../../../docs/', import.meta.url).pathname
  mkdirSync(docs, { recursive: true })
  await page.screenshot({ path: join(docs, name), fullPage: options.fullPage ?? false })
}
