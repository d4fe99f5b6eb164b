// Runs every benchmark in this folder, one after the other (npm run bench), or only those named:
// npm run bench -- startup --runs 20 (other arguments go to each benchmark).
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const folder = fileURLToPath(new URL('.', import.meta.url))
const benchmarks = readdirSync(folder)
  .filter((name) => name.endsWith('.mjs') && name !== 'run.mjs')
  .sort()
const args = process.argv.slice(2)
const named = args.filter((arg) => benchmarks.includes(`${arg}.mjs`))
const rest = args.filter((arg) => !named.includes(arg))
let failed = false
for (const file of benchmarks.filter((name) => named.length === 0 || named.includes(name.slice(0, -4)))) {
  console.log(`# ${file}`)
  const { status } = spawnSync(process.execPath, [`${folder}${file}`, ...rest], {
    stdio: 'inherit',
  })
  if (status !== 0) failed = true
}
process.exit(failed ? 1 : 0)
