import { status as Status } from '@grpc/grpc-js'
import { afterEach, describe, expect, it } from 'vitest'
import { mcp } from '../src/generated.js'
import type { GrpcClientOptions } from '../src/index.js'
import { BaseGrpcClient, McpEngineClient } from '../src/index.js'
import { recordingLogger, ScriptedServer, validInput } from './helpers/scripted-server.js'

let server: ScriptedServer
const clients: BaseGrpcClient[] = []

function engineClient(options: Partial<GrpcClientOptions> = {}): McpEngineClient {
  const client = new McpEngineClient({ target: server.target, security: 'insecure', ...options })
  clients.push(client)
  return client
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
  server?.stop()
})

describe('McpEngineClient retries', () => {
  it('should succeed after N UNAVAILABLE failures', async () => {
    server = await new ScriptedServer().start()
    server.script = [{ code: Status.UNAVAILABLE }, { code: Status.UNAVAILABLE }, { code: Status.UNAVAILABLE }]
    const { entries, logger } = recordingLogger()
    const client = engineClient({ logger, retry: { maxAttempts: 5, initialDelayMs: 50, maxDelayMs: 1000 } })

    const reply = await client.processMessage(validInput('req-retry'))

    expect(reply.replyContent).toBe('reply to req-retry')
    expect(server.calls).toHaveLength(4)
    expect(client.counters().retries).toBe(3)
    expect(client.counters().successes).toBe(1)

    const delays = entries
      .filter((entry) => entry.message === 'retrying gRPC call')
      .map((entry) => entry.object.delayMs)
    expect(delays).toHaveLength(3)
    const bounds = [50, 100, 200]
    delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThan(bounds[index] as number)
      const gap = (server.calls[index + 1]?.at ?? 0) - (server.calls[index]?.at ?? 0)
      expect(gap).toBeGreaterThanOrEqual((delay as number) - 2)
    })
  })

  it('should draw growing, jittered backoff delays', async () => {
    server = await new ScriptedServer().start()
    const { entries, logger } = recordingLogger()
    const client = engineClient({ logger, retry: { maxAttempts: 4, initialDelayMs: 10, maxDelayMs: 1000 } })

    const runs = 12
    for (let run = 0; run < runs; run++) {
      server.script = [
        { code: Status.UNAVAILABLE },
        { code: Status.UNAVAILABLE },
        { code: Status.UNAVAILABLE },
      ]
      await client.processMessage(validInput(`req-${run}`))
    }

    const byAttempt = new Map<number, number[]>()
    for (const entry of entries.filter((item) => item.message === 'retrying gRPC call')) {
      const list = byAttempt.get(entry.object.attempt as number) ?? []
      list.push(entry.object.delayMs as number)
      byAttempt.set(entry.object.attempt as number, list)
    }
    const first = byAttempt.get(1) ?? []
    const third = byAttempt.get(3) ?? []
    const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length

    expect(first).toHaveLength(runs)
    expect(third).toHaveLength(runs)
    expect(Math.max(...first)).toBeLessThan(10)
    expect(Math.max(...third)).toBeLessThan(40)
    expect(mean(third)).toBeGreaterThan(mean(first))
    expect(new Set(third).size).toBeGreaterThan(1)
  })

  it.each([
    ['RESOURCE_EXHAUSTED', Status.RESOURCE_EXHAUSTED],
    ['ABORTED', Status.ABORTED],
  ])('should retry %s', async (_name, code) => {
    server = await new ScriptedServer().start()
    server.script = [{ code }]
    const client = engineClient({ retry: { initialDelayMs: 5 } })

    await client.processMessage(validInput())

    expect(server.calls).toHaveLength(2)
    expect(client.counters().retries).toBe(1)
  })

  it.each([
    ['INVALID_ARGUMENT', Status.INVALID_ARGUMENT, 'CHATWIRE_ERR_GRPC_INVALID_ARGUMENT'],
    ['NOT_FOUND', Status.NOT_FOUND, 'CHATWIRE_ERR_GRPC_NOT_FOUND'],
    ['PERMISSION_DENIED', Status.PERMISSION_DENIED, 'CHATWIRE_ERR_GRPC_PERMISSION_DENIED'],
    ['UNAUTHENTICATED', Status.UNAUTHENTICATED, 'CHATWIRE_ERR_GRPC_UNAUTHENTICATED'],
  ])('should return %s at once without a retry', async (name, code, errorCode) => {
    server = await new ScriptedServer().start()
    server.script = [{ code }]
    const client = engineClient({ retry: { maxAttempts: 5, initialDelayMs: 5 } })

    const error = await client.processMessage(validInput()).catch((reason: unknown) => reason)

    expect(error).toMatchObject({
      code: errorCode,
      details: { grpcCode: code, grpcStatus: name, attempts: 1 },
    })
    expect((error as Error).cause).toMatchObject({ code })
    expect(server.calls).toHaveLength(1)
    expect(client.counters().retries).toBe(0)
    expect(client.counters().failuresByStatus[name]).toBe(1)
  })

  it('should give up after maxAttempts', async () => {
    server = await new ScriptedServer().start()
    server.fallback = { code: Status.UNAVAILABLE }
    const client = engineClient({ retry: { maxAttempts: 3, initialDelayMs: 5 } })

    const error = await client.processMessage(validInput()).catch((reason: unknown) => reason)

    expect(error).toMatchObject({ code: 'CHATWIRE_ERR_GRPC_UNAVAILABLE', details: { attempts: 3 } })
    expect(server.calls).toHaveLength(3)
  })
})

describe('McpEngineClient deadlines', () => {
  it('should end with DEADLINE_EXCEEDED on time', async () => {
    server = await new ScriptedServer().start()
    server.fallback = { delayMs: 1_000 }
    const client = engineClient()

    const startedAt = Date.now()
    const error = await client
      .processMessage(validInput(), { timeoutMs: 150 })
      .catch((reason: unknown) => reason)
    const elapsed = Date.now() - startedAt

    expect(error).toMatchObject({
      code: 'CHATWIRE_ERR_GRPC_DEADLINE_EXCEEDED',
      details: { grpcStatus: 'DEADLINE_EXCEEDED' },
    })
    expect(elapsed).toBeGreaterThanOrEqual(140)
    expect(elapsed).toBeLessThan(400)
    expect(server.calls).toHaveLength(1)
  })

  it('should use defaultTimeoutMs when the caller gives none', async () => {
    server = await new ScriptedServer().start()
    server.fallback = { delayMs: 1_000 }
    const client = engineClient({ defaultTimeoutMs: 100 })

    const startedAt = Date.now()
    const error = await client.processMessage(validInput()).catch((reason: unknown) => reason)

    expect(error).toMatchObject({ code: 'CHATWIRE_ERR_GRPC_DEADLINE_EXCEEDED' })
    expect(Date.now() - startedAt).toBeLessThan(400)
  })

  it('should retry DEADLINE_EXCEEDED of a call safe to repeat', async () => {
    server = await new ScriptedServer().start()
    server.script = [{ delayMs: 500 }]
    const client = engineClient({ retry: { perAttemptTimeoutMs: 100, initialDelayMs: 5 } })

    const reply = await client.processMessage(validInput('req-slow'), { timeoutMs: 2_000 })

    expect(reply.replyContent).toBe('reply to req-slow')
    expect(server.calls).toHaveLength(2)
    expect(client.counters().retries).toBe(1)
  })

  it('should not retry DEADLINE_EXCEEDED of a call not safe to repeat', async () => {
    server = await new ScriptedServer().start()
    server.script = [{ delayMs: 500 }]
    const client = new UnsafeEngineClient({
      target: server.target,
      security: 'insecure',
      retry: { perAttemptTimeoutMs: 100, initialDelayMs: 5 },
    })
    clients.push(client)

    const error = await client
      .send({ ...validInput(), processingHints: {} })
      .catch((reason: unknown) => reason)

    expect(error).toMatchObject({ code: 'CHATWIRE_ERR_GRPC_DEADLINE_EXCEEDED', details: { attempts: 1 } })
    expect(server.calls).toHaveLength(1)
  })
})

describe('McpEngineClient cancellation', () => {
  it('should cancel a call in flight when its signal aborts', async () => {
    server = await new ScriptedServer().start()
    server.fallback = { delayMs: 1_000 }
    const client = engineClient()
    const controller = new AbortController()

    const startedAt = Date.now()
    setTimeout(() => controller.abort(), 50)
    const error = await client
      .processMessage(validInput(), { signal: controller.signal, timeoutMs: 5_000 })
      .catch((reason: unknown) => reason)

    expect(error).toMatchObject({ code: 'CHATWIRE_ERR_GRPC_CANCELLED' })
    expect(Date.now() - startedAt).toBeLessThan(500)
  })

  it('should stop waiting for a retry when its signal aborts', async () => {
    server = await new ScriptedServer().start()
    server.fallback = { code: Status.UNAVAILABLE }
    const client = engineClient({ retry: { maxAttempts: 10, initialDelayMs: 2_000, maxDelayMs: 2_000 } })
    const controller = new AbortController()

    const startedAt = Date.now()
    // Math.random may draw a short first delay, so abort soon after the first failure.
    setTimeout(() => controller.abort(), 30)
    const error = await client
      .processMessage(validInput(), { signal: controller.signal, timeoutMs: 10_000 })
      .catch((reason: unknown) => reason)

    expect(error).toMatchObject({ code: 'CHATWIRE_ERR_GRPC_CANCELLED' })
    expect(Date.now() - startedAt).toBeLessThan(1_000)
  })

  it('should reject at once when the signal is already aborted', async () => {
    server = await new ScriptedServer().start()
    const client = engineClient()

    const error = await client
      .processMessage(validInput(), { signal: AbortSignal.abort() })
      .catch((reason: unknown) => reason)

    expect(error).toMatchObject({ code: 'CHATWIRE_ERR_GRPC_CANCELLED' })
    expect(server.calls).toHaveLength(0)
  })
})

describe('McpEngineClient metadata', () => {
  it('should send the user agent, request, tenant and trace metadata', async () => {
    server = await new ScriptedServer().start()
    const client = engineClient({ clientName: 'chatwire-server', clientVersion: '9.9.9' })
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

    await client.processMessage(validInput('req-meta'), { traceparent })

    const metadata = server.calls[0]?.metadata
    expect(metadata?.get('x-request-id')).toEqual(['req-meta'])
    expect(metadata?.get('x-tenant-id')).toEqual(['tenant-a'])
    expect(metadata?.get('traceparent')).toEqual([traceparent])
    expect(String(metadata?.get('user-agent')[0])).toMatch(/^chatwire-server\/9\.9\.9 /)
  })

  it('should let call options override the request ids', async () => {
    server = await new ScriptedServer().start()
    const client = engineClient()

    await client.processMessage(validInput('req-body'), {
      requestId: 'req-option',
      tenantId: 'tenant-option',
    })

    expect(server.calls[0]?.metadata.get('x-request-id')).toEqual(['req-option'])
    expect(server.calls[0]?.metadata.get('x-tenant-id')).toEqual(['tenant-option'])
    expect(server.calls[0]?.metadata.get('traceparent')).toEqual([])
  })
})

/** Sends ProcessMessage as a call that is not safe to repeat, to test that retry rule. */
class UnsafeEngineClient extends BaseGrpcClient {
  constructor(options: GrpcClientOptions) {
    super('unsafe-engine', 'chatwire.mcp.v1.McpEngineService', options)
  }

  send(
    request: Omit<
      mcp.ProcessMessageRequest,
      'conversationContext' | 'userProfile' | 'sessionContext' | 'timestamp'
    >,
  ) {
    return this.unary(
      mcp.McpEngineServiceService.processMessage,
      {
        ...request,
        conversationContext: undefined,
        userProfile: undefined,
        sessionContext: undefined,
        timestamp: undefined,
      },
      {},
      { safeToRepeat: false },
    )
  }
}
