import { request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { INBOUND_QUEUE } from '../src/intake.js'
import { whatsappTextWebhook } from '../src/sandbox/whatsapp-sample.js'
import { ADMIN_KEY, postWebhook, type Stack, sandboxData, startStack, waitFor } from './helpers.js'

let stack: Stack | undefined

afterEach(async () => {
  await stack?.close()
  stack = undefined
})

function errorCode(body: string): string | undefined {
  return (JSON.parse(body) as { error?: { code?: string } }).error?.code
}

describe('HTTP intake', () => {
  it('should reject bad input with a coded 4xx and enqueue nothing', async () => {
    stack = await startStack({ overrides: { server: { host: '127.0.0.1', port: 0, bodyLimitBytes: 2048 } } })
    const url = `${stack.url}/webhooks/whatsapp`
    const body = whatsappTextWebhook({ text: 'hello' })
    const malformed = '{"object":"whatsapp_business_account","entry":['

    const cases: {
      name: string
      send: () => Promise<{ status: number; body: string }>
      status: number
      code: string
    }[] = [
      {
        name: 'bad signature',
        send: () => postWebhook(url, body, { secret: 'wrong-secret' }),
        status: 401,
        code: 'CHATWIRE_ERR_SIGNATURE_INVALID',
      },
      {
        name: 'missing signature',
        send: () => postWebhook(url, body, { secret: null }),
        status: 401,
        code: 'CHATWIRE_ERR_SIGNATURE_MISSING',
      },
      {
        name: 'oversized body',
        send: () => postWebhook(url, `${body}${' '.repeat(4096)}`),
        status: 413,
        code: 'CHATWIRE_ERR_BODY_TOO_LARGE',
      },
      {
        name: 'malformed JSON',
        send: () => postWebhook(url, malformed),
        status: 400,
        code: 'CHATWIRE_ERR_WHATSAPP_BODY_NOT_JSON',
      },
      {
        name: 'wrong content type',
        send: () => postWebhook(url, body, { headers: { 'content-type': 'text/plain' } }),
        status: 415,
        code: 'CHATWIRE_ERR_UNSUPPORTED_MEDIA_TYPE',
      },
      {
        name: 'unknown plugin route',
        send: () => postWebhook(`${stack!.url}/webhooks/telegram`, body),
        status: 404,
        code: 'CHATWIRE_ERR_SERVER_ROUTE_NOT_FOUND',
      },
      {
        name: 'wrong method',
        send: () => postWebhook(url, body, { method: 'PUT' }),
        status: 405,
        code: 'CHATWIRE_ERR_METHOD_NOT_ALLOWED',
      },
      {
        name: 'unknown path',
        send: () => postWebhook(`${stack!.url}/hooks`, body),
        status: 404,
        code: 'CHATWIRE_ERR_SERVER_ROUTE_NOT_FOUND',
      },
    ]

    for (const testCase of cases) {
      const response = await testCase.send()
      expect(response.status, testCase.name).toBe(testCase.status)
      expect(errorCode(response.body), testCase.name).toBe(testCase.code)
    }
    expect(await stack.server.store.queue.depth(INBOUND_QUEUE)).toBe(0)
    expect(stack.engine.receivedMessages).toHaveLength(0)

    const metrics = await (await fetch(`${stack.url}/metrics`)).text()
    expect(metrics).toContain(
      'chatwire_webhooks_rejected_total{plugin="whatsapp",reason="CHATWIRE_ERR_SIGNATURE_INVALID"} 1',
    )
    expect(metrics).toContain(
      'chatwire_webhooks_rejected_total{plugin="whatsapp",reason="CHATWIRE_ERR_BODY_TOO_LARGE"} 1',
    )
  })

  it('should apply a plugin route body limit', async () => {
    stack = await startStack({ pluginEntry: { bodyLimitBytes: 1500 } })

    const small = await stack.post(whatsappTextWebhook({ text: 'hello' }))
    expect(small.status).toBe(200)
    const large = await stack.post(whatsappTextWebhook({ text: 'x'.repeat(2000) }))
    expect(large.status).toBe(413)
    expect(errorCode(large.body)).toBe('CHATWIRE_ERR_BODY_TOO_LARGE')
  })

  it('should verify the signature over the raw bytes', async () => {
    stack = await startStack()
    // Meta escapes non-ASCII characters and slashes, so re-serialized JSON would not match the signature.
    const escaped = whatsappTextWebhook({ text: 'PLACEHOLDER' }).replace(
      'PLACEHOLDER',
      'h\\u00e4llo \\/ \\u00f6',
    )
    expect(escaped).toContain('h\\u00e4llo \\/ \\u00f6')
    expect((await stack.post(escaped)).status).toBe(200)

    const literal = whatsappTextWebhook({ text: 'grüße 👋' })
    expect((await stack.post(literal)).status).toBe(200)

    await waitFor(() => stack!.engine.receivedMessages.length === 2, 10_000, 'both messages at the engine')
    const contents = stack.engine.receivedMessages.map((message) => message.request.content).sort()
    expect(contents).toEqual(['grüße 👋', 'hällo / ö'].sort())
  })

  it('should respond 429 with Retry-After past the rate limit', async () => {
    stack = await startStack({
      overrides: { server: { host: '127.0.0.1', port: 0, rateLimit: { points: 3, durationSeconds: 60 } } },
    })
    const statuses: number[] = []
    let retryAfter: unknown
    let code: string | undefined
    for (let index = 0; index < 5; index += 1) {
      const response = await stack.post(whatsappTextWebhook({ text: 'hello' }))
      statuses.push(response.status)
      if (response.status === 429) {
        retryAfter = (await postWebhook(`${stack.url}/webhooks/whatsapp`, '{}')).headers['retry-after']
        code = errorCode(response.body)
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    expect(code).toBe('CHATWIRE_ERR_SERVER_RATE_LIMITED')
    expect(Number(retryAfter)).toBeGreaterThan(0)
    expect(Number(retryAfter)).toBeLessThanOrEqual(60)
  })

  it('should respond 503 and store nothing while secrets cannot be resolved', async () => {
    stack = await startStack()
    await stack.stopEngine()
    const response = await stack.post(whatsappTextWebhook({ text: 'hello' }))
    expect(response.status).toBe(503)
    expect(errorCode(response.body)).toBe('CHATWIRE_ERR_SERVER_CREDENTIALS_UNAVAILABLE')
    expect(await stack.server.store.queue.depth(INBOUND_QUEUE)).toBe(0)
  })

  it('should report health, readiness and metrics', async () => {
    stack = await startStack()
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200)
    await waitFor(async () => (await fetch(`${stack!.url}/readyz`)).status === 200, 10_000, 'readiness')
    const ready = (await (await fetch(`${stack.url}/readyz`)).json()) as {
      checks: { name: string; ready: boolean }[]
    }
    expect(ready.checks.map((check) => check.name)).toEqual(['server', 'store', 'grpc'])

    expect((await stack.post(whatsappTextWebhook({ text: 'hello' }))).status).toBe(200)
    await waitFor(() => stack!.capture.messages.length === 1, 10_000, 'the reply')
    const metrics = await (await fetch(`${stack.url}/metrics`)).text()
    expect(metrics).toContain('chatwire_webhooks_received_total{plugin="whatsapp"} 1')
    expect(metrics).toContain('chatwire_events_enqueued_total{plugin="whatsapp"} 1')
    expect(metrics).toContain('chatwire_sends_total{platform="whatsapp",outcome="sent"} 1')
    expect(metrics).toContain('chatwire_queue_depth{queue="inbound"}')
    expect(metrics).toMatch(/chatwire_grpc_calls\{client="mcp-engine",status="OK"\} [1-9]/)
    expect(metrics).toContain('chatwire_grpc_breaker_state{client="mcp-engine",state="closed"} 1')
    expect(metrics).toContain('chatwire_job_duration_seconds_count{queue="inbound",outcome="done"} 1')
  })
})

describe('admin API', () => {
  it('should require a valid API key with the right permission', async () => {
    stack = await startStack({
      respond: () => ({
        status: 400,
        body: { error: { message: 'Bad parameter', type: 'OAuthException', code: 100 } },
      }),
    })
    expect((await stack.post(whatsappTextWebhook({ text: 'hello' }))).status).toBe(200)
    await waitFor(
      async () => (await stack!.server.store.queue.listDeadLetters()).length === 1,
      10_000,
      'a dead letter',
    )

    const missing = await fetch(`${stack.url}/admin/dead-letters`)
    expect(missing.status).toBe(401)
    expect(errorCode(await missing.text())).toBe('CHATWIRE_ERR_SERVER_UNAUTHORIZED')

    const wrongKey = await fetch(`${stack.url}/admin/dead-letters`, {
      headers: { authorization: 'Bearer nope' },
    })
    expect(wrongKey.status).toBe(401)

    const listed = await fetch(`${stack.url}/admin/dead-letters`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    })
    expect(listed.status).toBe(200)
    const { deadLetters } = (await listed.json()) as { deadLetters: { id: string; lastError: string }[] }
    expect(deadLetters).toHaveLength(1)
    expect(deadLetters[0]?.lastError).toContain('100')

    const plugins = await fetch(`${stack.url}/admin/plugins`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    })
    const listing = (await plugins.json()) as {
      plugins: { name: string; route: string; config: { verifyToken: string } }[]
    }
    expect(listing.plugins[0]?.name).toBe('@chatwire/plugin-whatsapp')
    expect(listing.plugins[0]?.config.verifyToken).toBe('[redacted]')

    const badReplay = await request(`${stack.url}/admin/dead-letters/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: '{"ids": 3}',
    })
    expect(badReplay.statusCode).toBe(400)
    await badReplay.body.dump()

    const replay = await request(`${stack.url}/admin/dead-letters/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [deadLetters[0]!.id] }),
    })
    expect(replay.statusCode).toBe(200)
    expect(await replay.body.json()).toEqual({ replayed: 1 })
  })

  it('should respond 403 to a key without the permission', async () => {
    const data = sandboxData()
    data.apiKeys!.push({ key: 'reader-key', tenantId: 'demo', subject: 'reader', scopes: ['dlq:read'] })
    data.permissions!.push({ subject: 'reader', tenantId: 'demo', permissions: ['dlq:read'] })
    stack = await startStack({ engineData: data })
    const headers = { authorization: 'Bearer reader-key' }

    const allowed = await fetch(`${stack.url}/admin/dead-letters`, { headers })
    expect(allowed.status).toBe(200)
    const forbidden = await fetch(`${stack.url}/admin/plugins`, { headers })
    expect(forbidden.status).toBe(403)
    expect(errorCode(await forbidden.text())).toBe('CHATWIRE_ERR_SERVER_FORBIDDEN')
  })
})
