import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConnectionManager, McpEngineClient, SecurityHubClient } from '@chatwire/grpc-clients'
import { afterEach, describe, expect, it } from 'vitest'
import type { ReferenceEngine } from '../src/index.js'
import {
  MCP_ENGINE_SERVICE_NAME,
  parseEngineData,
  SECURITY_HUB_SERVICE_NAME,
  startReferenceEngine,
} from '../src/index.js'

const engines: ReferenceEngine[] = []
const cleanups: (() => Promise<unknown>)[] = []

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
  await Promise.all(engines.splice(0).map((engine) => engine.close()))
})

const DATA = {
  tenants: [{ id: 'acme' }],
  channels: [
    {
      platform: 'slack',
      channelAccountId: 'T123',
      tenantId: 'acme',
      webhookSecrets: ['new-secret', 'old-secret'],
      sendToken: 'xoxb-test',
      sendTokenExpiresAt: '2030-01-01T00:00:00.000Z',
      settings: { botUserId: 'U1' },
    },
  ],
  tokens: [
    { token: 'expired', tenantId: 'acme', subject: 'bob', scopes: [], expiresAt: '2000-01-01T00:00:00Z' },
  ],
  permissions: [{ subject: 'ops', tenantId: 'acme', permissions: ['dlq:replay'], resources: ['queue-a'] }],
}

async function start(data: unknown = DATA): Promise<ReferenceEngine> {
  const engine = await startReferenceEngine({ port: 0, data })
  engines.push(engine)
  return engine
}

function hubFor(engine: ReferenceEngine): SecurityHubClient {
  const client = new SecurityHubClient({ target: engine.address, security: 'insecure' })
  cleanups.push(() => client.close())
  return client
}

describe('startReferenceEngine', () => {
  it('should return rotated secrets, expiry and settings of a channel', async () => {
    const hub = hubFor(await start())

    const channel = await hub.resolveChannel({ platform: 'slack', channelAccountId: 'T123' })

    expect(channel.webhookSecrets).toEqual(['new-secret', 'old-secret'])
    expect(channel.sendTokenExpiresAt?.toISOString()).toBe('2030-01-01T00:00:00.000Z')
    expect(channel.settings).toEqual({ botUserId: 'U1' })
  })

  it('should treat an expired token as invalid', async () => {
    const hub = hubFor(await start())

    await expect(hub.validateToken({ token: 'expired' })).resolves.toMatchObject({ valid: false })
  })

  it('should check permissions per resource', async () => {
    const hub = hubFor(await start())
    const check = (resource: string) =>
      hub.checkPermission({ subject: 'ops', tenantId: 'acme', permission: 'dlq:replay', resource })

    await expect(check('queue-a')).resolves.toMatchObject({ allowed: true })
    await expect(check('queue-b')).resolves.toMatchObject({ allowed: false })
  })

  it('should make health checks and readiness false on NOT_SERVING', async () => {
    const engine = await start()
    const mcp = new McpEngineClient({ target: engine.address, security: 'insecure' })
    const hub = new SecurityHubClient({ target: engine.address, security: 'insecure' })
    const manager = new ConnectionManager({ clients: [mcp, hub], healthIntervalMs: 60_000 })
    cleanups.push(() => manager.close())
    await manager.start()
    expect(manager.isReady()).toBe(true)

    engine.setServingStatus(MCP_ENGINE_SERVICE_NAME, 'NOT_SERVING')
    await manager.checkNow()

    await expect(mcp.healthCheck()).resolves.toEqual({ serving: false, status: 'NOT_SERVING' })
    await expect(hub.healthCheck()).resolves.toEqual({ serving: true, status: 'SERVING' })
    expect(manager.isReady()).toBe(false)
    expect(manager.status().clients.map((client) => client.health?.status)).toEqual([
      'NOT_SERVING',
      'SERVING',
    ])

    engine.setServingStatus(MCP_ENGINE_SERVICE_NAME, 'SERVING')
    await manager.checkNow()
    expect(manager.isReady()).toBe(true)
  })

  it('should reject an unknown health service name', async () => {
    const engine = await start()

    expect(() => engine.setServingStatus('chatwire.other.v1.Other', 'SERVING')).toThrow(RangeError)
    expect(() => engine.setServingStatus(SECURITY_HUB_SERVICE_NAME, 'NOT_SERVING')).not.toThrow()
  })

  it('should fail to bind a port in use', async () => {
    const engine = await start()

    await expect(startReferenceEngine({ port: engine.port })).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_REFERENCE_ENGINE_BIND_FAILED',
    })
  })

  it('should load a JSON data file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'chatwire-reference-'))
    cleanups.push(() => rm(directory, { recursive: true, force: true }))
    const file = join(directory, 'data.json')
    await writeFile(file, JSON.stringify(DATA))

    const engine = await startReferenceEngine({ port: 0, dataFile: file })
    engines.push(engine)
    const hub = hubFor(engine)

    await expect(hub.resolveChannel({ platform: 'slack', channelAccountId: 'T123' })).resolves.toMatchObject({
      tenantId: 'acme',
    })
  })

  it('should report a missing data file', async () => {
    await expect(
      startReferenceEngine({ port: 0, dataFile: '/nonexistent/chatwire.yaml' }),
    ).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_REFERENCE_ENGINE_DATA_INVALID',
      details: { path: '/nonexistent/chatwire.yaml' },
    })
  })
})

describe('parseEngineData', () => {
  it('should list every problem of invalid data', () => {
    const invalid = {
      tenants: [{ id: 'acme' }],
      channels: [
        {
          platform: 'whatsapp',
          channelAccountId: '1',
          tenantId: 'ghost',
          webhookSecrets: ['s'],
          sendToken: 't',
        },
        {
          platform: 'whatsapp',
          channelAccountId: '1',
          tenantId: 'acme',
          webhookSecrets: ['s'],
          sendToken: 't',
        },
      ],
      tokens: [{ token: 'x', tenantId: 'acme', subject: 's', scopes: [], expiresAt: 'tomorrow' }],
    }

    let error: unknown
    try {
      parseEngineData(invalid, 'test data')
    } catch (reason) {
      error = reason
    }

    expect(error).toMatchObject({ code: 'CHATWIRE_ERR_REFERENCE_ENGINE_DATA_INVALID' })
    expect((error as { details: { problems: string[] } }).details.problems).toEqual([
      '/channels/0/tenantId names unknown tenant "ghost"',
      '/channels/1 repeats channel whatsapp/1',
      '/tokens/0/expiresAt is not an ISO 8601 time: "tomorrow"',
    ])
  })

  it('should reject fields outside the schema', () => {
    expect(() => parseEngineData({ tenants: [{ id: 'a', colour: 'red' }] })).toThrow(
      expect.objectContaining({ code: 'CHATWIRE_ERR_REFERENCE_ENGINE_DATA_INVALID' }),
    )
  })
})
