import { describe, expect, it } from 'vitest'
import { graphApiRoot, graphHosts } from './base-url'

describe('graphApiRoot', () => {
  it('defaults to the public cloud and appends /v1.0', () => {
    expect(graphApiRoot()).toBe('https://graph.microsoft.com/v1.0')
  })

  it.each([
    ['https://graph.microsoft.us', 'https://graph.microsoft.us/v1.0'],
    ['https://dod-graph.microsoft.us/', 'https://dod-graph.microsoft.us/v1.0'],
    ['https://microsoftgraph.chinacloudapi.cn/v1.0', 'https://microsoftgraph.chinacloudapi.cn/v1.0'],
    ['https://graph.microsoft.com/v1.0/', 'https://graph.microsoft.com/v1.0'],
    ['http://127.0.0.1:8123', 'http://127.0.0.1:8123/v1.0'],
    ['http://localhost:9000/graph/', 'http://localhost:9000/graph/v1.0'],
  ])('accepts %s as %s', (input, root) => {
    expect(graphApiRoot(input)).toBe(root)
  })

  it.each([
    'http://graph.microsoft.com',
    'https://graph.example.com',
    'https://graph.microsoft.com/beta',
    'https://user:pw@graph.microsoft.com',
    'not a url',
  ])('refuses %s so a token is never sent elsewhere', (input) => {
    expect(() => graphApiRoot(input)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }))
  })
})

describe('graphCloud', () => {
  it('asks tokens for the Graph origin alone and signs in at the cloud of the host', async () => {
    const { graphCloud } = await import('./base-url')
    expect(graphCloud()).toEqual({
      resource: 'https://graph.microsoft.com',
      authorityHost: 'https://login.microsoftonline.com',
    })
    expect(graphCloud('https://graph.microsoft.us/v1.0/')).toEqual({
      resource: 'https://graph.microsoft.us',
      authorityHost: 'https://login.microsoftonline.us',
    })
    expect(graphCloud('https://microsoftgraph.chinacloudapi.cn')).toEqual({
      resource: 'https://microsoftgraph.chinacloudapi.cn',
      authorityHost: 'https://login.chinacloudapi.cn',
    })
  })
})

describe('graphHosts', () => {
  it('are the Graph hosts of the public cloud and the national clouds', () => {
    expect(graphHosts).toEqual([
      'graph.microsoft.com',
      'graph.microsoft.us',
      'dod-graph.microsoft.us',
      'microsoftgraph.chinacloudapi.cn',
    ])
  })
})
