import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { createChannelOptions } from '../src/channel.js'
import { McpEngineClient, PACKAGE_VERSION } from '../src/index.js'
import { resolveClientOptions } from '../src/options.js'

describe('client options', () => {
  it.each([
    [{ target: 'localhost', security: 'insecure' }, 'target'],
    [{ target: '', security: 'insecure' }, 'target'],
    [{ target: 'localhost:1', security: 'plaintext' }, 'security'],
    [{ target: 'localhost:1', security: 'mtls', tls: { ca: 'x' } }, 'tls'],
    [{ target: 'localhost:1', security: 'insecure', tls: { cert: 'x', key: 'y' } }, 'security'],
    [{ target: 'localhost:1', security: 'insecure', defaultTimeoutMs: 0 }, 'defaultTimeoutMs'],
    [{ target: 'localhost:1', security: 'insecure', retry: { maxAttempts: 0 } }, 'retry.maxAttempts'],
    [{ target: 'localhost:1', security: 'insecure', keepalive: { timeMs: 1_000 } }, 'keepalive.timeMs'],
    [
      { target: 'localhost:1', security: 'insecure', breaker: { halfOpenAfterMs: -1 } },
      'breaker.halfOpenAfterMs',
    ],
    [{ target: 'localhost:1', security: 'insecure', clientName: 'bad\nname' }, 'clientName'],
    [{ target: 'localhost:1', security: 'insecure', clientVersion: '1.0.0-é' }, 'clientName'],
  ])('should reject %j naming %s', (options, field) => {
    expect(() => new McpEngineClient(options as never)).toThrow(
      expect.objectContaining({ code: 'CHATWIRE_ERR_GRPC_INVALID_OPTIONS', details: { field } }),
    )
  })

  it('should not put key material in the error message', () => {
    const key = '-----BEGIN PRIVATE KEY-----secret'

    expect(() => resolveClientOptions({ target: 'h:1', security: 'mtls', tls: { key } })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret') }),
    )
  })

  it('should keep keepalive pings within what default servers accept', () => {
    const channelOptions = createChannelOptions(resolveClientOptions({ target: 'h:1', security: 'insecure' }))

    expect(channelOptions['grpc.keepalive_time_ms']).toBeGreaterThanOrEqual(300_000)
    expect(channelOptions['grpc.keepalive_permit_without_calls']).toBe(0)
  })

  it('should set the TLS name override only with TLS', () => {
    const tls = createChannelOptions(
      resolveClientOptions({
        target: '127.0.0.1:1',
        security: 'tls',
        tls: { serverName: 'engine.internal' },
      }),
    )
    const insecure = createChannelOptions(
      resolveClientOptions({
        target: '127.0.0.1:1',
        security: 'insecure',
        tls: { serverName: 'engine.internal' },
      }),
    )

    expect(tls['grpc.ssl_target_name_override']).toBe('engine.internal')
    expect(insecure['grpc.ssl_target_name_override']).toBeUndefined()
  })

  it('should report the version of package.json', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string
    }

    expect(PACKAGE_VERSION).toBe(manifest.version)
  })
})

describe('client counters', () => {
  it('should return a frozen snapshot', async () => {
    const client = new McpEngineClient({ target: '127.0.0.1:9', security: 'insecure' })
    const counters = client.counters()

    expect(Object.isFrozen(counters)).toBe(true)
    expect(Object.isFrozen(counters.failuresByStatus)).toBe(true)
    expect(counters).toEqual({
      calls: 0,
      successes: 0,
      failuresByStatus: {},
      retries: 0,
      breakerState: 'closed',
      breakerOpenings: 0,
    })
    await client.close()
  })
})
