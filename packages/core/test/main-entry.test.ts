import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import * as adapter from '../src/adapter'
import * as main from '../src/index'

/** What an admin tool calls: growing this list is a decision, taken here (see the rule atop src/index.ts). */
const mainEntry = [
  'apply',
  'assertCertificateUsable',
  'assertNotBlocked',
  'auditConcurrency',
  'auditDelegates',
  'bindJournal',
  'buildRunbook',
  'checkJournal',
  'delegateFindingSchema',
  'diagnose',
  'emptyJournal',
  'entraPaths',
  'inputErrorCodes',
  'isTeamsOAuthError',
  'maxAuditConcurrency',
  'parseCertificate',
  'parseInput',
  'parseJournal',
  'plan',
  'profileNames',
  'profiles',
  'renderScript',
  'rollback',
  'TeamsOAuthError',
  'toTeamsOAuthError',
  'verdictCounts',
  'verify',
]

const sorted = (names: Iterable<string>) => [...names].sort((a, b) => a.localeCompare(b))

describe("core's doors", () => {
  it('the main entry exports exactly what an admin tool calls', () => {
    expect(sorted(Object.keys(main))).toEqual(sorted(mainEntry))
  })

  it('no runtime name is in both the main entry and @teams-oauth/core/adapter', () => {
    expect(Object.keys(adapter).filter((name) => name in main)).toEqual([])
  })

  it('the built package ships both doors as the sources declare them', () => {
    const require = createRequire(import.meta.url)
    expect(sorted(Object.keys(require('@teams-oauth/core')))).toEqual(sorted(Object.keys(main)))
    expect(sorted(Object.keys(require('@teams-oauth/core/adapter')))).toEqual(sorted(Object.keys(adapter)))
  })
})
