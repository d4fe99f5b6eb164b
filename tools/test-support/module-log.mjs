// Preload for `node --import`: appends every module the process loads to the file named by
// TEAMS_OAUTH_MODULE_LOG, one resolved URL (ES modules) or path (CommonJS) a line.
import { appendFileSync } from 'node:fs'
import { createRequire, register } from 'node:module'

const log = process.env.TEAMS_OAUTH_MODULE_LOG
if (!log) throw new Error('module-log.mjs: set TEAMS_OAUTH_MODULE_LOG to the file to write')

// ES modules: the resolve hook runs on the loader thread and writes before it answers, so no line is
// lost when the process exits right after.
register('./module-log-hooks.mjs', import.meta.url, { data: { log } })

// CommonJS: require() inside a CommonJS module bypasses the resolve hook on Node 20, but every such
// module lands in the require cache; read it on the way out.
const cache = createRequire(import.meta.url).cache
process.on('exit', () => {
  const files = Object.keys(cache)
  if (files.length > 0) appendFileSync(log, `${files.join('\n')}\n`)
})
