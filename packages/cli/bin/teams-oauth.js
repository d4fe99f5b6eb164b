#!/usr/bin/env node
// `--version` alone is answered from a constant, before commander and the program load.
const args = process.argv.slice(2)
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { version } = await import('../dist/version.js')
  process.stdout.write(`${version}\n`)
} else {
  const { main } = await import('../dist/index.js')
  process.exitCode = await main(args)
}
