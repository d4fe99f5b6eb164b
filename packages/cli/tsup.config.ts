import { defineConfig } from 'tsup'
import { packageBuild } from '../../tsup.base'

export default defineConfig({
  // version is its own entry so the bin can answer `--version` without loading commander or a command.
  // The ESM build splits code (tsup's default for esm): each command stays a chunk of its own, loaded by
  // the dynamic import in program.ts; test/startup.test.ts checks what `--version` and `--help` load.
  ...packageBuild('version'),
})
