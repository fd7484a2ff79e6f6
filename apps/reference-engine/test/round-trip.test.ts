import { fileURLToPath } from 'node:url'
import { McpEngineClient, SecurityHubClient } from '@chatwire/grpc-clients'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReferenceEngine } from '../src/index.js'
import { startReferenceEngine } from '../src/index.js'

const sandboxFile = fileURLToPath(new URL('../sandbox.yaml', import.meta.url))

let engine: ReferenceEngine
let mcpClient: McpEngineClient
let hub: SecurityHubClient

beforeAll(async () => {
  engine = await startReferenceEngine({
    port: 0,
    dataFile: sandboxFile,
  })
  const options = { target: engine.address, security: 'insecure' as const }
  mcpClient = new McpEngineClient(options)
  hub = new SecurityHubClient({ ...options, resolveChannelCacheTtlMs: 200 })
})

afterAll(async () => {
  await mcpClient.close()
  await hub.close()
  await engine.close()
})

function message(content: string, requestId: string, conversationId = 'conversation-1') {
  return {
    tenantId: 'demo',
    conversationId,
    messageId: `message-${requestId}`,
    userId: 'user-1',
    channel: 'whatsapp',
    content,
    contentType: 'text',
    requestId,
  }
}

describe('McpEngineService through McpEngineClient', () => {
  it('should reply to a greeting', async () => {
    const reply = await mcpClient.processMessage({
      ...message('Hello there', 'req-greeting', 'conversation-greeting'),
      conversationContext: { locale: 'en' },
      userProfile: { name: 'Ada' },
      sessionContext: { sessionId: 's-1' },
      processingHints: { language: 'en' },
      flowId: 'support',
      timestamp: new Date('2026-01-02T03:04:05.678Z'),
    })

    expect(reply).toMatchObject({
      success: true,
      replyContent: 'Hello! How can I help you today?',
      replyType: 'text',
      confidence: 0.95,
      updatedContext: { locale: 'en', greeted: true, messageCount: 1 },
      changedKeys: ['greeted', 'locale', 'messageCount'],
      nextExpectedInputs: [],
      model: 'keyword-rules/greeting',
      provider: 'chatwire-reference-engine',
      cost: 0,
      errorCode: '',
    })
    expect(reply.suggestedActions.map((action) => action.payload)).toEqual(['order', 'help'])

    const received = engine.receivedMessages.find((entry) => entry.request.requestId === 'req-greeting')
    expect(received?.request.userProfile).toEqual({ name: 'Ada' })
    expect(received?.request.sessionContext).toEqual({ sessionId: 's-1' })
    expect(received?.request.processingHints).toEqual({ language: 'en' })
    expect(received?.request.flowId).toBe('support')
    expect(received?.request.timestamp?.toISOString()).toBe('2026-01-02T03:04:05.678Z')
    expect(received?.metadata['x-request-id']).toBe('req-greeting')
    expect(received?.metadata['x-tenant-id']).toBe('demo')
  })

  it('should ask for the order number, then report its status', async () => {
    const question = await mcpClient.processMessage(
      message('Where is my order?', 'req-order-1', 'conversation-order'),
    )
    expect(question.nextExpectedInputs).toEqual(['order_number'])
    expect(question.updatedContext).toMatchObject({ awaitingInput: 'order_number' })

    const answer = await mcpClient.processMessage(
      message('It is 123456', 'req-order-2', 'conversation-order'),
    )

    expect(answer.replyContent).toContain('123456')
    expect(answer.updatedContext).toEqual({ lastOrderNumber: '123456', messageCount: 2 })
    expect(answer.changedKeys).toEqual(['awaitingInput', 'lastOrderNumber', 'messageCount'])
  })

  it('should reply to help and fall back on anything else', async () => {
    const help = await mcpClient.processMessage(message('I need help', 'req-help', 'conversation-help'))
    const fallback = await mcpClient.processMessage(message('qwerty', 'req-fallback', 'conversation-help'))

    expect(help.model).toBe('keyword-rules/help')
    expect(fallback.model).toBe('keyword-rules/fallback')
    expect(fallback.confidence).toBeLessThan(help.confidence)
  })

  it('should process a repeated request id once', async () => {
    const first = await mcpClient.processMessage(message('hi', 'req-repeat', 'conversation-repeat'))
    const second = await mcpClient.processMessage(message('hi', 'req-repeat', 'conversation-repeat'))

    expect(second).toEqual(first)
    expect(engine.processedCount('req-repeat')).toBe(1)
    expect(engine.receivedMessages.filter((entry) => entry.request.requestId === 'req-repeat')).toHaveLength(
      2,
    )
    expect(second.updatedContext.messageCount).toBe(1)
  })

  it('should return NOT_FOUND for an unknown tenant', async () => {
    await expect(
      mcpClient.processMessage({ ...message('hi', 'req-unknown-tenant'), tenantId: 'nobody' }),
    ).rejects.toMatchObject({ code: 'CHATWIRE_ERR_GRPC_NOT_FOUND' })
  })

  it('should update the conversation context', async () => {
    await mcpClient.processMessage(message('hi', 'req-context', 'conversation-context'))

    const updated = await mcpClient.updateConversationContext({
      tenantId: 'demo',
      conversationId: 'conversation-context',
      context: { plan: 'gold', nested: { a: [1, 2] } },
      removeKeys: ['greeted'],
    })

    expect(updated.context).toEqual({ plan: 'gold', nested: { a: [1, 2] }, messageCount: 1 })
    expect(updated.changedKeys).toEqual(['greeted', 'nested', 'plan'])
  })

  it('should list the conversation flows of a tenant', async () => {
    const { flows } = await mcpClient.getConversationFlows({ tenantId: 'demo' })

    expect(flows).toEqual([
      {
        flowId: 'support',
        name: 'Customer support',
        description: 'Greets users, tracks orders and points to help.',
        version: '1',
        status: 'active',
      },
      {
        flowId: 'onboarding',
        name: 'Onboarding',
        description: 'Draft flow for new users.',
        version: '0.1',
        status: 'draft',
      },
    ])
  })
})

describe('SecurityHubService through SecurityHubClient', () => {
  it('should resolve the sandbox WhatsApp channel', async () => {
    const channel = await hub.resolveChannel({ platform: 'whatsapp', channelAccountId: '100000000000001' })

    expect(channel).toEqual({
      tenantId: 'demo',
      channelAccountId: '100000000000001',
      platform: 'whatsapp',
      webhookSecrets: ['sandbox-app-secret'],
      sendToken: 'sandbox-token',
    })
    expect(Object.isFrozen(channel)).toBe(true)
    expect(Object.isFrozen(channel.webhookSecrets)).toBe(true)
  })

  it('should return NOT_FOUND for an unknown channel', async () => {
    await expect(hub.resolveChannel({ platform: 'slack', channelAccountId: 'T000' })).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_GRPC_NOT_FOUND',
      details: { grpcStatus: 'NOT_FOUND', method: 'ResolveChannel' },
    })
  })

  it('should cache ResolveChannel for its TTL', async () => {
    const input = { platform: 'whatsapp', channelAccountId: '100000000000001' }
    hub.invalidateChannel(input)
    const before = hub.counters().calls

    await hub.resolveChannel(input)
    await hub.resolveChannel(input)
    await Promise.all([hub.resolveChannel(input), hub.resolveChannel(input)])
    expect(hub.counters().calls - before).toBe(1)

    await new Promise((resolve) => setTimeout(resolve, 250))
    await hub.resolveChannel(input)
    expect(hub.counters().calls - before).toBe(2)
  })

  it('should cancel one of two shared lookups', async () => {
    const input = { platform: 'whatsapp', channelAccountId: '100000000000001' }
    hub.invalidateChannel(input)
    const controller = new AbortController()

    const cancelled = hub.resolveChannel(input, { signal: controller.signal })
    const kept = hub.resolveChannel(input)
    controller.abort()

    await expect(cancelled).rejects.toMatchObject({ code: 'CHATWIRE_ERR_GRPC_CANCELLED' })
    await expect(kept).resolves.toMatchObject({ tenantId: 'demo' })
    await expect(hub.resolveChannel(input, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_GRPC_CANCELLED',
    })
  })

  it('should validate the sandbox admin API key', async () => {
    await expect(hub.validateApiKey({ apiKey: 'sandbox-admin-key' })).resolves.toEqual({
      valid: true,
      tenantId: 'demo',
      subject: 'sandbox-admin',
      scopes: ['dlq:read', 'dlq:replay', 'plugins:read'],
    })
    await expect(hub.validateApiKey({ apiKey: 'wrong-key' })).resolves.toMatchObject({ valid: false })
  })

  it('should validate tokens', async () => {
    await expect(hub.validateToken({ token: 'sandbox-user-token' })).resolves.toEqual({
      valid: true,
      tenantId: 'demo',
      subject: 'sandbox-user',
      scopes: ['conversations:read'],
    })
    await expect(hub.validateToken({ token: 'unknown' })).resolves.toMatchObject({ valid: false })
  })

  it.each([
    ['dlq:read', true],
    ['dlq:replay', true],
    ['plugins:read', true],
    ['plugins:write', false],
  ])('should check permission %s as %s', async (permission, allowed) => {
    const result = await hub.checkPermission({ subject: 'sandbox-admin', tenantId: 'demo', permission })

    expect(result.allowed).toBe(allowed)
    expect(result.reason === '').toBe(allowed)
  })
})

describe('grpc.health.v1 through the clients', () => {
  it('should report both services as SERVING', async () => {
    await expect(mcpClient.healthCheck()).resolves.toEqual({ serving: true, status: 'SERVING' })
    await expect(hub.healthCheck()).resolves.toEqual({ serving: true, status: 'SERVING' })
  })
})
