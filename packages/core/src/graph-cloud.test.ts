import { describe, expect, it } from 'vitest'
import { cloudSupportNote, defaultGraphUrl, graphClouds, graphTarget } from './graph-cloud'

const cloud = (host: string) => graphClouds.find((c) => c.host === host)!

const refusal = (value: string) => {
  try {
    graphTarget(value)
  } catch (error) {
    return error as {
      code: string
      message: string
      data: { field: string; value: string; issues: unknown[] }
    }
  }
  throw new Error(`${value} was accepted`)
}

describe('graphTarget', () => {
  it('reads the public cloud when given nothing', () => {
    expect(graphTarget()).toEqual({
      base: 'https://graph.microsoft.com',
      apiRoot: 'https://graph.microsoft.com/v1.0',
      cloud: cloud('graph.microsoft.com'),
      loopback: false,
    })
    expect(graphTarget(defaultGraphUrl)).toEqual(graphTarget())
  })

  it.each([
    ['https://graph.microsoft.us', 'https://graph.microsoft.us', 'USGov'],
    ['https://graph.microsoft.us/', 'https://graph.microsoft.us', 'USGov'],
    ['https://dod-graph.microsoft.us/v1.0', 'https://dod-graph.microsoft.us', 'USGovDoD'],
    ['https://GRAPH.Microsoft.com/V1.0//', 'https://graph.microsoft.com', 'Global'],
    ['https://microsoftgraph.chinacloudapi.cn:8443', 'https://microsoftgraph.chinacloudapi.cn:8443', 'China'],
  ])('reads %s as the base %s of the %s cloud, with /v1.0 added once', (value, base, environment) => {
    const target = graphTarget(value)
    expect(target.base).toBe(base)
    expect(target.apiRoot).toBe(`${base}/v1.0`)
    expect(target.cloud.environment).toBe(environment)
    expect(target.loopback).toBe(false)
  })

  it.each([
    ['http://127.0.0.1:8123', 'http://127.0.0.1:8123'],
    ['http://localhost:9000/graph/', 'http://localhost:9000/graph'],
    ['https://[::1]:4443/v1.0/', 'https://[::1]:4443'],
    ['http://LOCALHOST:1/a/b', 'http://localhost:1/a/b'],
    ['http://localhost:1/v1.0/graph', 'http://localhost:1/v1.0/graph'],
  ])('accepts the loopback address %s (tests) with its path, as the public cloud', (value, base) => {
    expect(graphTarget(value)).toEqual({
      base,
      apiRoot: `${base}/v1.0`,
      cloud: graphClouds[0],
      loopback: true,
    })
  })

  it.each([
    ['https://graph.microsoft.com/ x', /holds a space, a quote, a control or non-ASCII character/],
    ["https://graph.microsoft.com/'", /holds a space/],
    ['https://graph.microsoft.com/"', /holds a space/],
    ['https://graph.microsoft.com/`', /holds a space/],
    ['https://graph.microsoft.com/$x', /holds a space/],
    ['https://graph.microsoft.com/\n', /holds a space/],
    ['https://gräph.microsoft.com', /holds a space/],
    ['graph.microsoft.com', /is not a URL/],
    ['https://user:pw@graph.microsoft.com', /carries credentials, a query or a fragment/],
    ['https://user@graph.microsoft.com', /carries credentials/],
    ['https://:pw@graph.microsoft.com', /carries credentials/],
    ['https://graph.microsoft.com/?x=1', /carries credentials/],
    ['https://graph.microsoft.com/#x', /carries credentials/],
    ['ftp://127.0.0.1/', /is not http or https/],
    ['ws://localhost:1/', /is not http or https/],
    ['https://graph.example.com', /is not a Microsoft Graph host/],
    ['https://graph.microsoft.com.example.com', /is not a Microsoft Graph host/],
    ['http://graph.microsoft.com', /is not https; use https:\/\/graph\.microsoft\.com$/],
    [
      'https://graph.microsoft.com/beta',
      /has a path; give the host only \(https:\/\/graph\.microsoft\.com\); \/v1\.0 is added$/,
    ],
    ['https://graph.microsoft.us/v1.0/me', /has a path/],
  ])('refuses %s (%s), naming the field and what to give instead', (value, problem) => {
    const error = refusal(value)
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.message).toMatch(problem)
    expect(error.message.startsWith(`graphUrl: ${JSON.stringify(value)} `)).toBe(true)
    expect(error.data).toMatchObject({ field: 'graphUrl', value })
    expect(error.data.issues).toEqual([
      expect.objectContaining({ field: 'graphUrl', problem: expect.any(String), fix: expect.any(String) }),
    ])
  })

  it('names every Graph host it accepts when the host is not one of them', () => {
    expect(refusal('https://graph.example.com').message).toMatch(
      /; give one of https:\/\/graph\.microsoft\.com, https:\/\/graph\.microsoft\.us, https:\/\/dod-graph\.microsoft\.us, https:\/\/microsoftgraph\.chinacloudapi\.cn$/,
    )
  })

  it.each([
    ['https://graph.svc.sovcloud.fr', 'BleuCloud'],
    ['https://graph.svc.sovcloud.de', 'DelosCloud'],
    ['https://GRAPH.svc.sovcloud.sg/', 'GovSGCloud'],
  ])('refuses the sovereign cloud %s (%s), saying why', (value, name) => {
    const error = refusal(value)
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.message).toContain(
      `is ${name}: Microsoft supports Teams meetings for on-premises mailboxes only`,
    )
    expect(error.message).toMatch(/; configure it by hand with Microsoft, or use a supported cloud$/)
  })
})

describe('cloudSupportNote', () => {
  it('says nothing for the public cloud', () => {
    expect(cloudSupportNote(cloud('graph.microsoft.com'))).toBeNull()
  })

  it('warns that delegated scheduling fails in GCC High', () => {
    const note = cloudSupportNote(cloud('graph.microsoft.us'))
    expect(note).toMatch(
      /^GCC High \(US Government L4\): Microsoft does not support delegated Teams meeting scheduling/,
    )
    expect(note).toContain('delegates will still fail')
  })

  it.each(['dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'])(
    'warns that Teams will not use the configuration in %s',
    (host) => {
      const note = cloudSupportNote(cloud(host))
      expect(note).toBe(
        `${cloud(host).label}: Microsoft supports Teams meetings for on-premises mailboxes only in the commercial, GCC and GCC High clouds; the configuration is made, but Teams will not use it`,
      )
    },
  )
})
