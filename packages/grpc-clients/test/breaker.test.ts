import { status as Status } from '@grpc/grpc-js'
import { afterEach, describe, expect, it } from 'vitest'
import { McpEngineClient } from '../src/index.js'
import { ScriptedServer, validInput } from './helpers/scripted-server.js'

let server: ScriptedServer
let client: McpEngineClient

afterEach(async () => {
  await client?.close()
  server?.stop()
})

describe('McpEngineClient circuit breaker', () => {
  it('should open, fail fast, half-open and close', async () => {
    server = await new ScriptedServer().start()
    server.fallback = { code: Status.UNAVAILABLE }
    client = new McpEngineClient({
      target: server.target,
      security: 'insecure',
      retry: { maxAttempts: 1 },
      breaker: { consecutiveFailures: 3, halfOpenAfterMs: 300 },
    })

    for (let call = 0; call < 3; call++) {
      await expect(client.processMessage(validInput())).rejects.toMatchObject({
        code: 'CHATWIRE_ERR_GRPC_UNAVAILABLE',
      })
    }
    expect(client.breakerState()).toBe('open')
    expect(client.counters().breakerOpenings).toBe(1)

    const startedAt = Date.now()
    await expect(client.processMessage(validInput())).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_GRPC_CIRCUIT_OPEN',
    })
    expect(Date.now() - startedAt).toBeLessThan(50)
    expect(server.calls).toHaveLength(3)
    expect(client.counters().failuresByStatus).toEqual({ UNAVAILABLE: 3, CIRCUIT_OPEN: 1 })

    await new Promise((resolve) => setTimeout(resolve, 350))
    server.fallback = { delayMs: 100 }
    const trial = client.processMessage(validInput('req-trial'))
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(client.breakerState()).toBe('half-open')

    await expect(trial).resolves.toMatchObject({ replyContent: 'reply to req-trial' })
    expect(client.breakerState()).toBe('closed')
    expect(client.counters().breakerState).toBe('closed')
    expect(server.calls).toHaveLength(4)
  })

  it('should open again when the trial call fails', async () => {
    server = await new ScriptedServer().start()
    server.fallback = { code: Status.UNAVAILABLE }
    client = new McpEngineClient({
      target: server.target,
      security: 'insecure',
      retry: { maxAttempts: 1 },
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: 100 },
    })

    await client.processMessage(validInput()).catch(() => undefined)
    await client.processMessage(validInput()).catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 150))

    await expect(client.processMessage(validInput())).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_GRPC_UNAVAILABLE',
    })
    expect(client.breakerState()).toBe('open')
    expect(client.counters().breakerOpenings).toBe(2)
  })

  it('should not count request errors towards opening', async () => {
    server = await new ScriptedServer().start()
    server.fallback = { code: Status.INVALID_ARGUMENT }
    client = new McpEngineClient({
      target: server.target,
      security: 'insecure',
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: 10_000 },
    })

    for (let call = 0; call < 4; call++) {
      await expect(client.processMessage(validInput())).rejects.toMatchObject({
        code: 'CHATWIRE_ERR_GRPC_INVALID_ARGUMENT',
      })
    }
    expect(client.breakerState()).toBe('closed')
    expect(server.calls).toHaveLength(4)
  })
})
