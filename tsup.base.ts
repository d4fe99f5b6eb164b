import type { Options } from 'tsup'

/** Every package builds alike: its one public door, to ESM + CommonJS + type declarations, for Node 20. */
export const packageBuild: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
}
