import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import type { FakeTenant } from '@teams-oauth/fakes'
import { startFakeGraphServer } from '@teams-oauth/fakes/graph'
import { startFakeExchangeServer } from '@teams-oauth/fakes/pwsh'
import { driver, graphStandIn } from './script-stand-ins'

const run = promisify(execFile)

export interface ScriptJob {
  id: string
  tenant: FakeTenant
  /** Renders the script, given the fake Graph server's base URL. */
  render(graphUrl: string): string
  /** PowerShell run just before the script, in the same scope (to make Graph misbehave, say). */
  prelude?: string
}

export interface ScriptResult {
  id: string
  outcome: 'done' | 'stopped'
  message: string
  output: string[]
  signIn: { environment: string; scopes: string[] } | null
  /** The bodies of the PATCH requests the script sent to Graph. */
  patches: string[]
}

/**
 * Runs each job's exported script in ONE pwsh process, each against its own organisation (behind
 * its own PowerShell door) and tenant (behind its own fake Graph server).
 */
export async function runScripts(executable: string, jobs: ScriptJob[]): Promise<ScriptResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'teams-oauth-script-'))
  // Import-Module MSOnline finds an empty module; the stand-in module has the MSOnline cmdlets
  mkdirSync(join(dir, 'modules', 'MSOnline'), { recursive: true })
  writeFileSync(join(dir, 'modules', 'MSOnline', 'MSOnline.psm1'), '# the stand-in module has the cmdlets\n')
  const doors = await Promise.all(
    jobs.map(async (job) => ({
      exchange: await startFakeExchangeServer(job.tenant),
      graph: await startFakeGraphServer(job.tenant),
    })),
  )
  try {
    const described = jobs.map((job, index) => {
      const door = doors[index]!
      const folder = join(dir, job.id.replace(/[^A-Za-z0-9_-]/g, '_'))
      mkdirSync(folder)
      const script = join(folder, 'enable.ps1')
      writeFileSync(script, `\uFEFF${job.render(door.graph.url)}`)
      return {
        id: job.id,
        // the stand-in declares New-MailUser -ApplicationAccount only where the build has it
        build: job.tenant.hasParameter('New-MailUser', 'ApplicationAccount') ? 'recent' : 'old',
        module: door.exchange.modulePath,
        exchangeUrl: door.exchange.url,
        graphUrl: door.graph.url,
        prelude: job.prelude ?? '',
        script,
      }
    })
    const jobsPath = join(dir, 'jobs.json')
    const resultsPath = join(dir, 'results.json')
    const driverPath = join(dir, 'driver.ps1')
    writeFileSync(jobsPath, JSON.stringify(described))
    writeFileSync(driverPath, driver)
    await run(
      executable,
      ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', driverPath, jobsPath, resultsPath],
      {
        env: {
          ...process.env,
          TEAMS_OAUTH_TEST_STAND_INS: graphStandIn,
          PSModulePath: [join(dir, 'modules'), process.env.PSModulePath ?? ''].join(delimiter),
        },
        maxBuffer: 64 * 1024 * 1024,
      },
    )
    const results = JSON.parse(readFileSync(resultsPath, 'utf8').replace(/^\uFEFF/, '')) as ScriptResult[]
    return results.map((r) => ({ ...r, output: r.output ?? [], patches: r.patches ?? [] }))
  } finally {
    for (const door of doors) {
      await door.exchange.close()
      await door.graph.close()
    }
  }
}
