import { afterEach, describe, expect, it } from 'vitest'
import { health } from '../src/generated.js'
import { ConnectionManager, McpEngineClient } from '../src/index.js'
import { ScriptedServer } from './helpers/scripted-server.js'

const { HealthCheckResponse_ServingStatus: ServingStatus } = health

let server: ScriptedServer | undefined
let manager: ConnectionManager | undefined
let client: McpEngineClient | undefined

afterEach(async () => {
  await manager?.close()
  await client?.close()
  server?.stop()
  manager = undefined
  client = undefined
  server = undefined
})

describe('McpEngineClient.healthCheck', () => {
  it('should report SERVING', async () => {
    server = await new ScriptedServer().start()
    client = new McpEngineClient({ target: server.target, security: 'insecure' })

    await expect(client.healthCheck()).resolves.toEqual({ serving: true, status: 'SERVING' })
  })

  it('should report NOT_SERVING as not serving', async () => {
    server = await new ScriptedServer().start()
    server.healthStatus = ServingStatus.NOT_SERVING
    client = new McpEngineClient({ target: server.target, security: 'insecure' })

    await expect(client.healthCheck()).resolves.toEqual({ serving: false, status: 'NOT_SERVING' })
  })

  it('should report SERVICE_UNKNOWN for an unregistered service', async () => {
    server = await new ScriptedServer().start()
    client = new McpEngineClient({ target: server.target, security: 'insecure', name: 'renamed' })
    Object.defineProperty(client, 'serviceName', { value: 'chatwire.other.v1.Other' })

    await expect(client.healthCheck()).resolves.toEqual({ serving: false, status: 'SERVICE_UNKNOWN' })
  })

  it('should report UNREACHABLE when no server listens', async () => {
    server = await new ScriptedServer().start()
    const target = server.target
    server.stop()
    client = new McpEngineClient({ target, security: 'insecure' })

    const result = await client.healthCheck({ timeoutMs: 500 })

    expect(result.serving).toBe(false)
    expect(result.status).toBe('UNREACHABLE')
    expect(result.error).toMatch(/UNAVAILABLE|DEADLINE_EXCEEDED/)
  })
})

describe('ConnectionManager', () => {
  it('should be ready only while every client is SERVING', async () => {
    server = await new ScriptedServer().start()
    server.healthStatus = ServingStatus.NOT_SERVING
    client = new McpEngineClient({ target: server.target, security: 'insecure' })
    manager = new ConnectionManager({ clients: [client], healthIntervalMs: 60_000 })

    const status = await manager.start()

    expect(status.ready).toBe(false)
    expect(manager.isReady()).toBe(false)
    expect(status.clients[0]?.health).toEqual({ serving: false, status: 'NOT_SERVING' })
    expect(status.clients[0]?.connection.state).toBe('READY')

    server.healthStatus = ServingStatus.SERVING
    await manager.checkNow()
    expect(manager.isReady()).toBe(true)

    server.healthStatus = ServingStatus.NOT_SERVING
    await manager.checkNow()
    expect(manager.isReady()).toBe(false)
  })

  it('should check health on its interval', async () => {
    server = await new ScriptedServer().start()
    client = new McpEngineClient({ target: server.target, security: 'insecure' })
    manager = new ConnectionManager({ clients: [client], healthIntervalMs: 50 })
    await manager.start()
    expect(manager.isReady()).toBe(true)

    server.healthStatus = ServingStatus.NOT_SERVING
    await new Promise((resolve) => setTimeout(resolve, 200))

    expect(manager.isReady()).toBe(false)
  })

  it('should start without a reachable server and report not ready', async () => {
    const probe = await new ScriptedServer().start()
    const target = probe.target
    probe.stop()
    client = new McpEngineClient({ target, security: 'insecure' })
    manager = new ConnectionManager({ clients: [client], healthIntervalMs: 60_000, checkTimeoutMs: 300 })

    const status = await manager.start()

    expect(status.ready).toBe(false)
    expect(status.clients[0]?.health?.status).toBe('UNREACHABLE')
  })

  it('should close its clients', async () => {
    server = await new ScriptedServer().start()
    client = new McpEngineClient({ target: server.target, security: 'insecure' })
    manager = new ConnectionManager({ clients: [client] })
    await manager.start()

    await manager.close()

    expect(manager.isReady()).toBe(false)
    await expect(client.getConversationFlows({ tenantId: 't' })).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_GRPC_CLIENT_CLOSED',
    })
    expect(client.connectionInfo().state).toBe('SHUTDOWN')
  })

  it('should reject two clients with one name', () => {
    const first = new McpEngineClient({ target: '127.0.0.1:1', security: 'insecure' })
    const second = new McpEngineClient({ target: '127.0.0.1:2', security: 'insecure' })

    expect(() => new ConnectionManager({ clients: [first, second] })).toThrow(/mcp-engine/)
    void first.close()
    void second.close()
  })
})
