import { defineConfig } from 'tsup'
import { packageBuild } from '../../tsup.base'

export default defineConfig({
  // version is its own entry so the bin can answer `--version` without loading commander or a command.
  // The ESM build splits code (tsup's default for esm): each command stays a chunk of its own, loaded by
  // the dynamic import in program.ts; test/startup.test.ts checks what `--version` and `--help` load.
  ...packageBuild('version'),
  // commander is bundled: loaded as one file with the program, `--help` starts faster than with commander's
  // own seven CommonJS files (tools/bench/startup.mjs holds it to 1.5x `node -e 0`).
  noExternal: ['commander'],
  // bundled CommonJS calls require() for node's modules, which an ES module lacks
  banner: ({ format }) =>
    format === 'esm'
      ? {
          js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
        }
      : undefined,
})
