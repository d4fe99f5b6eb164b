import { describe, expect, it } from 'vitest'
import { runReadmeExample } from '../../../tools/test-support/readme-example'

describe('the README examples', () => {
  it("core's example runs as written: verify passes, rollback undoes, the script is printed", async () => {
    const calls = await runReadmeExample('packages/core/README.md')
    expect(calls[0]).toEqual([true])
    expect(String(calls[1]?.[0])).toContain('# teams-oauth: profile teams, domain contoso.com')
  })

  it("fakes' example runs as written", async () => {
    const [[ok, linkedAccount, changes] = []] = await runReadmeExample('packages/fakes/README.md')
    expect(ok).toBe(true)
    expect(linkedAccount).toBe('contoso.com/Users/TeamsScheduler')
    expect(changes).toBeGreaterThan(0)
  })

  it("fakes' doors example serves the tenant's Graph over loopback HTTP", async () => {
    const [[status, sameTenant, requests] = []] = await runReadmeExample('packages/fakes/README.md', {
      after: '## Doors',
    })
    expect([status, sameTenant, requests]).toEqual([200, true, 1])
  })

  it("the main README's delegate audit example runs as written and finds the ground truth", async () => {
    const [[counts, truth] = []] = await runReadmeExample('README.md', {
      after: '## Every delegate in the organisation',
    })
    expect(counts).toEqual(truth)
    expect((counts as { fail: number }).fail).toBeGreaterThan(0)
  })

  it("the main README's testing example runs as written", async () => {
    await runReadmeExample('README.md', { after: '### Testing your code against the fakes' })
  })
})
