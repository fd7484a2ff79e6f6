import { afterEach, describe, expect, it } from 'vitest'
import { McpEngineClient } from '../src/index.js'
import { ScriptedServer, validInput } from './helpers/scripted-server.js'

let server: ScriptedServer
let client: McpEngineClient

afterEach(async () => {
  await client?.close()
  server?.stop()
})

describe('McpEngineClient reconnection', () => {
  it('should recover after the server restarts on the same port', async () => {
    server = await new ScriptedServer().start()
    client = new McpEngineClient({
      target: server.target,
      security: 'insecure',
      retry: { maxAttempts: 1 },
      channelOptions: { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 200 },
    })
    const states: string[] = []
    client.onConnectionChange((info) => states.push(info.state))

    await client.connect()
    await expect(client.processMessage(validInput('before'))).resolves.toMatchObject({ success: true })

    const port = server.port
    server.stop()
    await expect(client.processMessage(validInput('down'))).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_GRPC_UNAVAILABLE',
    })

    await server.start(port)
    let reply: { replyContent: string } | undefined
    for (let attempt = 0; attempt < 50 && reply === undefined; attempt++) {
      reply = await client.processMessage(validInput('after')).catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 50))
        return undefined
      })
    }

    expect(reply?.replyContent).toBe('reply to after')
    expect(client.connectionInfo().state).toBe('READY')
    expect(states).toContain('READY')
    expect(
      states.some((state) => state === 'IDLE' || state === 'TRANSIENT_FAILURE' || state === 'CONNECTING'),
    ).toBe(true)
  })

  it('should recover within one call when retries are on', async () => {
    server = await new ScriptedServer().start()
    client = new McpEngineClient({
      target: server.target,
      security: 'insecure',
      retry: { maxAttempts: 20, initialDelayMs: 100, maxDelayMs: 200 },
      // Each failed attempt counts towards the breaker; keep it closed to test reconnection alone.
      breaker: { consecutiveFailures: 50 },
      channelOptions: { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 200 },
    })
    await client.processMessage(validInput('before'))

    const port = server.port
    server.stop()
    setTimeout(() => void server.start(port), 300)

    const reply = await client.processMessage(validInput('during'), { timeoutMs: 5_000 })

    expect(reply.replyContent).toBe('reply to during')
    expect(client.counters().retries).toBeGreaterThan(0)
  })
})
