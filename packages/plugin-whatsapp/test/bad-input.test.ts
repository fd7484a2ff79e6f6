import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createNodeWebhookHandler, type NormalizedEvent, type WebhookResult } from '@chatwire/core'
import { request } from 'undici'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { inboundMessage, signatureOf, VERIFY_TOKEN } from './fixtures.js'
import { createProcessor } from './helpers.js'

const MAX_BODY_BYTES = 64 * 1024

describe('bad input over node:http', () => {
  let server: Server
  let origin: string
  const stored: NormalizedEvent[] = []
  const results: WebhookResult[] = []

  beforeAll(async () => {
    const handler = createNodeWebhookHandler(createProcessor(), {
      maxBodyBytes: MAX_BODY_BYTES,
      onEvents: (events) => {
        stored.push(...events)
      },
      onResult: (result) => {
        results.push(result)
      },
    })
    server = createServer((req, res) => {
      void handler(req, res)
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    server.closeAllConnections()
    server.close()
    await once(server, 'close')
  })

  beforeEach(() => {
    stored.length = 0
    results.length = 0
  })

  async function post(body: string, headers: Record<string, string> = {}) {
    const response = await request(`${origin}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureOf(body), ...headers },
      body,
    })
    const text = await response.body.text()
    return { status: response.statusCode, text, headers: response.headers }
  }

  function codeOf(text: string): unknown {
    return (JSON.parse(text) as { error?: { code?: unknown } }).error?.code
  }

  it('should acknowledge a valid notification with 200 and an empty body', async () => {
    const response = await post(
      JSON.stringify(inboundMessage({ id: 'wamid.OK1', type: 'text', text: { body: 'hi' } })),
    )

    expect(response.status).toBe(200)
    expect(response.text).toBe('')
    expect(stored.map((event) => event.platformMessageId)).toEqual(['wamid.OK1'])
  })

  it.each([
    [
      'truncated JSON',
      '{"object":"whatsapp_business_account","entry":[{"id":"1","chang',
      400,
      'CHATWIRE_ERR_WHATSAPP_BODY_NOT_JSON',
    ],
    ['an empty body', '', 400, 'CHATWIRE_ERR_WHATSAPP_BODY_NOT_JSON'],
    ['a wrong object', '{"object":"page","entry":[]}', 400, 'CHATWIRE_ERR_WHATSAPP_WRONG_OBJECT'],
    ['a JSON array', '[{"object":"whatsapp_business_account"}]', 400, 'CHATWIRE_ERR_WHATSAPP_WRONG_OBJECT'],
    ['a missing entry', '{"object":"whatsapp_business_account"}', 400, 'CHATWIRE_ERR_WHATSAPP_ENTRY_MISSING'],
    [
      'an entry object',
      '{"object":"whatsapp_business_account","entry":{}}',
      400,
      'CHATWIRE_ERR_WHATSAPP_ENTRY_MISSING',
    ],
  ])('should reject %s after a valid signature', async (_case, body, status, code) => {
    const response = await post(body)

    expect(response.status).toBe(status)
    expect(codeOf(response.text)).toBe(code)
    expect(results[0]?.stage).toBe('parse')
    expect(stored).toEqual([])
  })

  it('should reject invalid UTF-8 as not JSON', async () => {
    const bytes = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])
    const response = await request(`${origin}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureOf(bytes) },
      body: bytes,
    })
    const text = await response.body.text()

    expect(response.statusCode).toBe(400)
    expect(codeOf(text)).toBe('CHATWIRE_ERR_WHATSAPP_BODY_NOT_JSON')
    expect(stored).toEqual([])
  })

  it('should reject a body over the size limit with 413', async () => {
    const filler = 'x'.repeat(MAX_BODY_BYTES)
    const body = JSON.stringify(inboundMessage({ id: 'wamid.BIG1', type: 'text', text: { body: filler } }))

    const response = await post(body)

    expect(response.status).toBe(413)
    expect(codeOf(response.text)).toBe('CHATWIRE_ERR_BODY_TOO_LARGE')
    expect(stored).toEqual([])
  })

  it('should reject a wrong content type with 415', async () => {
    const body = JSON.stringify(inboundMessage({ id: 'wamid.CT1', type: 'text', text: { body: 'hi' } }))

    const response = await post(body, { 'content-type': 'text/plain' })

    expect(response.status).toBe(415)
    expect(codeOf(response.text)).toBe('CHATWIRE_ERR_UNSUPPORTED_MEDIA_TYPE')
    expect(stored).toEqual([])
  })

  it('should reject a missing signature with 401', async () => {
    const body = JSON.stringify(inboundMessage({ id: 'wamid.SIG0', type: 'text', text: { body: 'hi' } }))

    const response = await post(body, { 'x-hub-signature-256': '' })

    expect(response.status).toBe(401)
    expect(codeOf(response.text)).toBe('CHATWIRE_ERR_SIGNATURE_MISSING')
    expect(stored).toEqual([])
  })

  it('should check signatures before reading the body', async () => {
    const response = await post('{"object":', { 'x-hub-signature-256': signatureOf('something else') })

    expect(response.status).toBe(401)
    expect(codeOf(response.text)).toBe('CHATWIRE_ERR_SIGNATURE_INVALID')
  })

  it('should respond to the handshake over HTTP', async () => {
    const query = new URLSearchParams({
      'hub.mode': 'subscribe',
      'hub.verify_token': VERIFY_TOKEN,
      'hub.challenge': '424242',
    })
    const response = await request(`${origin}/webhooks/whatsapp?${query}`)

    expect(response.statusCode).toBe(200)
    expect(await response.body.text()).toBe('424242')
  })
})
