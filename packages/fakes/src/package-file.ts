import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * A file the package ships beside its code (`pwsh/`, `cmdlet-parameters.json`), by its path from the
 * package's root: one folder up from the built files (`dist/`) and from the sources (`src/`) alike.
 */
export function packageFile(path: string): string {
  // import.meta.url in ES modules; the CommonJS build has no import.meta, but has __filename.
  const here = typeof import.meta.url === 'string' ? import.meta.url : pathToFileURL(__filename).href
  return fileURLToPath(new URL(`../${path}`, here))
}
