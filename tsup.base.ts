import type { Options } from 'tsup'

/**
 * Every package builds alike, to ESM + CommonJS + type declarations, for Node 20: its main door
 * (`src/index.ts`) and each subpath door it names (`@teams-oauth/<package>/<name>` is `src/<name>.ts`,
 * listed in the package's `exports`).
 */
export function packageBuild(...subpaths: string[]): Options {
  return {
    entry: ['src/index.ts', ...subpaths.map((name) => `src/${name}.ts`)],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
  }
}
