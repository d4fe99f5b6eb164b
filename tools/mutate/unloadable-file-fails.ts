import type { RunnerTestCase } from 'vitest'
import type { Reporter, Vitest } from 'vitest/node'

/**
 * A test file that cannot even load is a failing test. Stryker's vitest runner builds a mutant's
 * result from the tests it collected, and a file whose import throws collects none: a mutant that
 * stops a module from loading (a schema built at load that now throws, say) would count as
 * survived. This reporter gives each such file one failed test carrying the file's load error.
 */
export class UnloadableFileFails implements Reporter {
  private vitest: Vitest | undefined

  onInit(vitest: Vitest) {
    this.vitest = vitest
  }

  onTestRunEnd() {
    for (const file of this.vitest?.state.getFiles() ?? []) {
      if (file.result?.state !== 'fail' || file.tasks.length > 0) continue
      // a finished test needs no context; vitest alone can build one, and no one reads it after the run
      const loads = {
        type: 'test',
        id: `${file.id}_loads`,
        name: 'the file loads',
        mode: 'run',
        meta: {},
        file,
        suite: file,
        timeout: 0,
        annotations: [],
        artifacts: [],
        result: { state: 'fail', errors: file.result.errors ?? [] },
      } as unknown as RunnerTestCase
      file.tasks.push(loads)
    }
  }
}
