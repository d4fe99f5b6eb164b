// Runs every benchmark in this folder, one after the other (npm run bench).
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const folder = fileURLToPath(new URL('.', import.meta.url))
let failed = false
for (const file of readdirSync(folder)
  .filter((name) => name.endsWith('.mjs') && name !== 'run.mjs')
  .sort()) {
  console.log(`# ${file}`)
  const { status } = spawnSync(process.execPath, [`${folder}${file}`, ...process.argv.slice(2)], {
    stdio: 'inherit',
  })
  if (status !== 0) failed = true
}
process.exit(failed ? 1 : 0)
