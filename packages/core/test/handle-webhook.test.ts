import { describe, expect, it } from 'vitest'
import { fixedClock, handleWebhook, type RawWebhookRequest } from '../src/index.js'
import { createSignedEchoProcessor, SECRET, sign, VERIFY_TOKEN } from './fixtures/signed-echo.js'

const body = JSON.stringify({ messages: [{ id: 'm1', from: 'u1', text: 'hi' }] })

function request(overrides: Partial<RawWebhookRequest> = {}): RawWebhookRequest {
  const bytes = new TextEncoder().encode(body)
  return {
    method: 'POST',
    path: '/webhooks/echo',
    headers: { 'content-type': 'application/json', 'x-echo-signature': sign(bytes) },
    query: {},
    body: bytes,
    receivedAt: Date.UTC(2026, 11, 4),
    ...overrides,
  }
}

const processor = createSignedEchoProcessor()

describe('handleWebhook', () => {
  it('should acknowledge a signed request with its events', async () => {
    const result = await handleWebhook(processor, request())

    expect(result.stage).toBe('acknowledge')
    expect(result.response.status).toBe(200)
    expect(result.events).toHaveLength(1)
    expect(result.events[0]).toMatchObject({
      kind: 'message.received',
      userId: 'u1',
      message: { type: 'text', text: 'hi' },
    })
  })

  it('should respond to a GET handshake with the challenge', async () => {
    const result = await handleWebhook(
      processor,
      request({
        method: 'GET',
        body: new Uint8Array(),
        query: { mode: 'subscribe', token: VERIFY_TOKEN, challenge: '1158201444' },
      }),
    )
    expect(result.stage).toBe('handshake')
    expect(result.response).toMatchObject({ status: 200, body: '1158201444' })
  })

  it('should reject a GET that is not a handshake with 405', async () => {
    const noHandshake = { ...processor, handshake: () => undefined }
    const result = await handleWebhook(noHandshake, request({ method: 'GET', body: new Uint8Array() }))
    expect(result.response.status).toBe(405)
    expect(result.error?.code).toBe('CHATWIRE_ERR_METHOD_NOT_ALLOWED')
    expect(result.response.headers.allow).toBe('POST')
  })

  it.each([
    ['a missing signature', { 'content-type': 'application/json' }, 401, 'CHATWIRE_ERR_SIGNATURE_MISSING'],
    [
      'a wrong signature',
      { 'content-type': 'application/json', 'x-echo-signature': sign(body, 'other') },
      401,
      'CHATWIRE_ERR_SIGNATURE_INVALID',
    ],
    [
      'a wrong content type',
      { 'content-type': 'text/plain', 'x-echo-signature': sign(body) },
      415,
      'CHATWIRE_ERR_UNSUPPORTED_MEDIA_TYPE',
    ],
    ['no content type', { 'x-echo-signature': sign(body) }, 415, 'CHATWIRE_ERR_UNSUPPORTED_MEDIA_TYPE'],
  ])('should reject %s', async (_case, headers, status, code) => {
    const result = await handleWebhook(processor, request({ headers }))
    expect(result.response.status).toBe(status)
    expect(result.error?.code).toBe(code)
    expect(JSON.parse(result.response.body)).toEqual({ error: { code, message: expect.any(String) } })
    expect(result.events).toEqual([])
  })

  it('should reject malformed JSON after a valid signature with 400', async () => {
    const bytes = new TextEncoder().encode('{"messages": [')
    const result = await handleWebhook(
      processor,
      request({
        body: bytes,
        headers: { 'content-type': 'application/json', 'x-echo-signature': sign(bytes) },
      }),
    )
    expect(result.response.status).toBe(400)
    expect(result.error?.code).toBe('CHATWIRE_ERR_MALFORMED_BODY')
  })

  it('should reject a body over the limit before verifying', async () => {
    const result = await handleWebhook(processor, request(), { maxBodyBytes: 10 })
    expect(result.response.status).toBe(413)
    expect(result.stage).toBe('limits')
  })

  it('should verify with secrets the host supplies', async () => {
    const bytes = new TextEncoder().encode(body)
    const signed = request({
      headers: { 'content-type': 'application/json', 'x-echo-signature': sign(bytes, 'rotated') },
    })

    const withConfigSecret = await handleWebhook(processor, signed)
    const withHostSecrets = await handleWebhook(processor, signed, {
      verifyOptions: () => ({ secrets: ['rotated', SECRET] }),
    })

    expect(withConfigSecret.response.status).toBe(401)
    expect(withHostSecrets.response.status).toBe(200)
  })

  it('should store events before acknowledging', async () => {
    const order: string[] = []
    const result = await handleWebhook(processor, request(), {
      onEvents: async (events) => {
        await new Promise((resolve) => setTimeout(resolve, 5))
        order.push(`stored ${events.length}`)
      },
    })
    order.push(`answered ${result.response.status}`)
    expect(order).toEqual(['stored 1', 'answered 200'])
  })

  it('should respond 500 and keep the events when storing fails', async () => {
    const result = await handleWebhook(processor, request(), {
      onEvents: () => {
        throw new Error('disk full')
      },
    })
    expect(result.response.status).toBe(500)
    expect(result.stage).toBe('store')
    expect(result.error?.code).toBe('CHATWIRE_ERR_INTERNAL')
  })

  it('should turn an uncoded plugin throw into a 500 plugin error', async () => {
    const broken = {
      ...processor,
      parse: () => {
        throw new TypeError('undefined is not a function')
      },
    }
    const result = await handleWebhook(broken, request())
    expect(result.response.status).toBe(500)
    expect(result.error?.code).toBe('CHATWIRE_ERR_PLUGIN_FAILED')
    expect(result.error?.cause).toBeInstanceOf(TypeError)
  })

  it('should offer a POST handshake only after verification', async () => {
    const calls: string[] = []
    const tracing = {
      ...processor,
      verify: (...args: Parameters<typeof processor.verify>) => {
        calls.push('verify')
        return processor.verify(...args)
      },
      handshake: () => {
        calls.push('handshake')
        return { status: 200, headers: {}, body: 'challenge' }
      },
    }
    const unsigned = await handleWebhook(
      tracing,
      request({ headers: { 'content-type': 'application/json' } }),
    )
    expect(unsigned.response.status).toBe(401)
    expect(calls).toEqual(['verify'])
  })

  it('should pass the clock to verify', async () => {
    let seen: number | undefined
    const clocked = {
      ...processor,
      verify: (_request: RawWebhookRequest, options?: { clock?: { now(): number } }) => {
        seen = options?.clock?.now()
      },
    }
    await handleWebhook(clocked, request(), { clock: fixedClock(42_000) })
    expect(seen).toBe(42_000)
  })
})
