import { describe, expect, it } from 'vitest'
import { pluginNames } from '../src/index.js'

describe('pluginNames', () => {
  it('prefixes a bare platform id', () => {
    expect(pluginNames('acme')).toEqual({
      packageName: 'chatwire-plugin-acme',
      platform: 'acme',
      typeName: 'Acme',
      folderName: 'chatwire-plugin-acme',
    })
  })

  it('keeps a scoped package name', () => {
    expect(pluginNames('@acme/chatwire-plugin-live-chat')).toMatchObject({
      packageName: '@acme/chatwire-plugin-live-chat',
      platform: 'live-chat',
      typeName: 'LiveChat',
      folderName: 'chatwire-plugin-live-chat',
    })
  })

  it('takes an explicit platform id', () => {
    expect(pluginNames('@acme/chatwire-plugin', 'acme').platform).toBe('acme')
  })

  it.each([['Acme Chat'], ['../escape'], ['@acme/']])('rejects the name %j', (name) => {
    expect(() => pluginNames(name)).toThrow(TypeError)
  })

  it('rejects a name with no platform in it', () => {
    expect(() => pluginNames('@acme/chatwire-plugin')).toThrow(/--platform/)
  })
})
