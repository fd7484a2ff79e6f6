import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createFetchWebhookHandler,
  createNodeWebhookHandler,
  type NormalizedEvent,
  readFetchRequest,
  type WebhookResult,
} from '../src/index.js'
import { createSignedEchoProcessor, sign, VERIFY_TOKEN } from './fixtures/signed-echo.js'

const processor = createSignedEchoProcessor()
const body = JSON.stringify({ messages: [{ id: 'm1', from: 'u1', text: 'héllo \u2713' }] })

interface Exchange {
  status: number
  body: string
  events: NormalizedEvent[]
}

/** Strips the receive times, which differ between two deliveries of the same bytes. */
function comparable(events: NormalizedEvent[]) {
  return events.map(({ receivedAt: _r, occurredAt: _o, ...rest }) => rest)
}

describe('node:http and Fetch adapters', () => {
  let server: Server
  let baseUrl: string
  let results: WebhookResult[]

  beforeEach(async () => {
    results = []
    const handler = createNodeWebhookHandler(processor, {
      maxBodyBytes: 64 * 1024,
      onResult: (result) => results.push(result),
    })
    server = createServer((req, res) => void handler(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterEach(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  async function viaNode(init: RequestInit, path = '/webhooks/echo'): Promise<Exchange> {
    const response = await fetch(`${baseUrl}${path}`, init)
    return { status: response.status, body: await response.text(), events: results.at(-1)?.events ?? [] }
  }

  async function viaFetch(init: RequestInit, path = '/webhooks/echo'): Promise<Exchange> {
    let events: NormalizedEvent[] = []
    const handler = createFetchWebhookHandler(processor, {
      maxBodyBytes: 64 * 1024,
      onResult: (result) => {
        events = result.events
      },
    })
    const response = await handler(new Request(`http://chatwire.test${path}`, init))
    return { status: response.status, body: await response.text(), events }
  }

  const cases: [string, RequestInit, string?][] = [
    [
      'a signed event',
      {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-echo-signature': sign(body) },
      },
    ],
    [
      'a bad signature',
      {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-echo-signature': sign(body, 'x') },
      },
    ],
    ['a missing signature', { method: 'POST', body, headers: { 'content-type': 'application/json' } }],
    [
      'a wrong content type',
      { method: 'POST', body, headers: { 'content-type': 'text/plain', 'x-echo-signature': sign(body) } },
    ],
    ['a handshake', { method: 'GET' }, `/webhooks/echo?mode=subscribe&token=${VERIFY_TOKEN}&challenge=42`],
    ['a wrong handshake token', { method: 'GET' }, '/webhooks/echo?mode=subscribe&token=nope&challenge=42'],
    ['a PUT', { method: 'PUT', body }],
  ]

  it.each(cases)('should give the same result for %s', async (_name, init, path) => {
    const fromNode = await viaNode(init, path)
    const fromFetch = await viaFetch(init, path)

    expect(fromFetch.status).toBe(fromNode.status)
    expect(fromFetch.body).toBe(fromNode.body)
    expect(comparable(fromFetch.events)).toEqual(comparable(fromNode.events))
  })

  it('should carry the raw bytes of non-ASCII text through node:http', async () => {
    const exchange = await viaNode(cases[0]![1])
    expect(exchange.status).toBe(200)
    expect(exchange.events[0]).toMatchObject({ message: { type: 'text', text: 'héllo \u2713' } })
  })

  it('should reject a declared oversized body before reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = httpRequest(`${baseUrl}/webhooks/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) },
      })
      outgoing.on('response', (response) => {
        response.resume()
        resolve(response.statusCode ?? 0)
        outgoing.destroy()
      })
      outgoing.on('error', reject)
      // Send only a few bytes, so the server must respond from the Content-Length alone.
      outgoing.write('{"messages":[')
    })

    expect(status).toBe(413)
    expect(results.at(-1)?.error?.code).toBe('CHATWIRE_ERR_BODY_TOO_LARGE')
  })

  it('should stop a chunked oversized body once it passes the limit', async () => {
    const chunk = Buffer.alloc(16 * 1024, 0x20)
    const totalChunks = 64
    let written = 0

    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = httpRequest(`${baseUrl}/webhooks/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      })
      let answered = false
      outgoing.on('response', (response) => {
        answered = true
        response.resume()
        resolve(response.statusCode ?? 0)
        outgoing.destroy()
      })
      outgoing.on('error', (error) => (answered ? undefined : reject(error)))
      const writeNext = (): void => {
        if (answered || written >= totalChunks) {
          return
        }
        written += 1
        outgoing.write(chunk, () => setTimeout(writeNext, 2))
      }
      writeNext()
    })

    expect(status).toBe(413)
    // With a 64 KiB limit and 16 KiB chunks, the response arrives long before the 1 MiB body is sent.
    expect(written).toBeLessThan(totalChunks)
  })
})

describe('readFetchRequest', () => {
  it('should cancel a streamed body once it passes the limit', async () => {
    let pulled = 0
    let cancelled = false
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1
        controller.enqueue(new Uint8Array(1024))
      },
      cancel() {
        cancelled = true
      },
    })
    const request = new Request('http://chatwire.test/webhooks/echo', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit)

    await expect(readFetchRequest(request, { maxBodyBytes: 4096 })).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_BODY_TOO_LARGE',
    })
    expect(cancelled).toBe(true)
    expect(pulled).toBeLessThan(10)
  })

  it('should reject from Content-Length without reading', async () => {
    const request = new Request('http://chatwire.test/', {
      method: 'POST',
      body: 'x'.repeat(100),
      headers: { 'content-length': '100' },
    })
    await expect(readFetchRequest(request, { maxBodyBytes: 10 })).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_BODY_TOO_LARGE',
    })
    expect(request.bodyUsed).toBe(false)
  })

  it('should keep query, lower-cased headers and bytes', async () => {
    const raw = await readFetchRequest(
      new Request('http://chatwire.test/webhooks/echo?a=1&a=2&b=x', {
        method: 'POST',
        body: 'abc',
        headers: { 'X-Mixed-Case': 'v' },
      }),
    )
    expect(raw.path).toBe('/webhooks/echo')
    expect(raw.query).toEqual({ a: '1', b: 'x' })
    expect(raw.headers['x-mixed-case']).toBe('v')
    expect(Buffer.from(raw.body).toString()).toBe('abc')
  })
})
