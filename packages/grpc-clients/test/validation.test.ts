import { afterEach, describe, expect, it } from 'vitest'
import { McpEngineClient, SecurityHubClient } from '../src/index.js'
import { ScriptedServer, validInput } from './helpers/scripted-server.js'

let server: ScriptedServer
const closers: (() => Promise<void>)[] = []

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
  server?.stop()
})

async function engineClient(): Promise<McpEngineClient> {
  server = await new ScriptedServer().start()
  const client = new McpEngineClient({ target: server.target, security: 'insecure' })
  closers.push(() => client.close())
  return client
}

describe('request validation', () => {
  it.each([
    'tenantId',
    'conversationId',
    'messageId',
    'userId',
    'channel',
    'contentType',
    'requestId',
  ] as const)('should reject ProcessMessage without %s before any call', async (field) => {
    const client = await engineClient()
    const input: Record<string, unknown> = { ...validInput() }
    delete input[field]

    const error = await client
      .processMessage(input as unknown as ReturnType<typeof validInput>)
      .catch((reason: unknown) => reason)

    expect(error).toMatchObject({ code: 'CHATWIRE_ERR_GRPC_INVALID_REQUEST', details: { field } })
    expect((error as Error).message).toContain(field)
    expect(server.calls).toHaveLength(0)
    expect(client.counters().calls).toBe(0)
  })

  it('should reject an empty string as a missing field', async () => {
    const client = await engineClient()

    const error = await client
      .processMessage({ ...validInput(), tenantId: '' })
      .catch((reason: unknown) => reason)

    expect(error).toMatchObject({ code: 'CHATWIRE_ERR_GRPC_INVALID_REQUEST', details: { field: 'tenantId' } })
    expect(server.calls).toHaveLength(0)
  })

  it('should accept empty content, as media messages have', async () => {
    const client = await engineClient()

    await expect(
      client.processMessage({ ...validInput(), content: '', contentType: 'image' }),
    ).resolves.toMatchObject({
      success: true,
    })
  })

  it('should reject content that is not a string', async () => {
    const client = await engineClient()

    const error = await client
      .processMessage({ ...validInput(), content: 42 as unknown as string })
      .catch((reason: unknown) => reason)

    expect(error).toMatchObject({ code: 'CHATWIRE_ERR_GRPC_INVALID_REQUEST', details: { field: 'content' } })
  })

  it('should reject a context that is not a plain object', async () => {
    const client = await engineClient()

    const error = await client
      .processMessage({ ...validInput(), conversationContext: [] as unknown as Record<string, unknown> })
      .catch((reason: unknown) => reason)

    expect(error).toMatchObject({
      code: 'CHATWIRE_ERR_GRPC_INVALID_REQUEST',
      details: { field: 'conversationContext' },
    })
    expect(server.calls).toHaveLength(0)
  })

  it.each([
    ['resolveChannel', { platform: 'whatsapp' }, 'channelAccountId'],
    ['validateApiKey', {}, 'apiKey'],
    ['validateToken', { token: '' }, 'token'],
    ['checkPermission', { subject: 's', tenantId: 't' }, 'permission'],
  ] as const)('should reject SecurityHub %s without %s', async (method, input, field) => {
    const client = new SecurityHubClient({ target: '127.0.0.1:9', security: 'insecure' })
    closers.push(() => client.close())

    const call = (client[method] as (value: unknown) => Promise<unknown>).bind(client)
    const error = await call(input).catch((reason: unknown) => reason)

    expect(error).toMatchObject({ code: 'CHATWIRE_ERR_GRPC_INVALID_REQUEST', details: { field } })
    expect(client.counters().calls).toBe(0)
  })
})
