import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createFetchWebhookHandler, createNodeWebhookHandler } from '@chatwire/core'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WhatsAppSender, WhatsAppWebhookProcessor } from '../src/index.js'
import {
  APP_SECRET,
  inboundMessage,
  PHONE_NUMBER_ID,
  signatureOf,
  USER_WA_ID,
  VERIFY_TOKEN,
} from './fixtures.js'
import { GraphServer } from './graph-server.js'

// These tests follow the two README examples step by step, with loopback ports instead of 3000.

const body = JSON.stringify(inboundMessage({ id: 'wamid.README1', type: 'text', text: { body: 'ping' } }))

describe('README node:http example', () => {
  const seen: string[] = []
  let server: Server
  let origin: string

  beforeAll(async () => {
    const processor = new WhatsAppWebhookProcessor({ appSecrets: [APP_SECRET], verifyToken: VERIFY_TOKEN })
    const handleWhatsApp = createNodeWebhookHandler(processor, {
      onEvents: async (events) => {
        for (const event of events) seen.push(`${event.kind} ${event.platformMessageId}`)
      },
    })
    server = createServer((req, res) => {
      if (req.url?.startsWith('/webhooks/whatsapp')) {
        void handleWhatsApp(req, res)
        return
      }
      res.writeHead(404).end()
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

  it('should respond to the handshake and store a signed message', async () => {
    const query = new URLSearchParams({
      'hub.mode': 'subscribe',
      'hub.verify_token': VERIFY_TOKEN,
      'hub.challenge': '77',
    })
    const handshake = await request(`${origin}/webhooks/whatsapp?${query}`)
    expect(await handshake.body.text()).toBe('77')

    const delivery = await request(`${origin}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureOf(body) },
      body,
    })
    expect(delivery.statusCode).toBe(200)
    expect(await delivery.body.text()).toBe('')
    expect(seen).toEqual(['message.received wamid.README1'])

    const other = await request(`${origin}/elsewhere`)
    await other.body.dump()
    expect(other.statusCode).toBe(404)
  })
})

describe('README Fetch example', () => {
  const graph = new GraphServer()

  beforeAll(async () => {
    await graph.start()
    graph.handler = (_request, response) =>
      GraphServer.json(response, 200, { messages: [{ id: 'wamid.ECHO1' }] })
  })

  afterAll(() => graph.stop())

  it('should reply through the sender from onEvents', async () => {
    const processor = new WhatsAppWebhookProcessor({ appSecrets: [APP_SECRET], verifyToken: VERIFY_TOKEN })
    const sender = new WhatsAppSender({ accessToken: 'readme-token', graphApiBaseUrl: graph.origin })
    const handleWhatsApp = createFetchWebhookHandler(processor, {
      onEvents: async (events) => {
        for (const event of events) {
          if (event.kind === 'message.received' && event.message.type === 'text') {
            await sender.send({
              platform: 'whatsapp',
              channelAccountId: event.channelAccountId,
              recipientId: event.userId,
              replyToMessageId: event.platformMessageId,
              content: { type: 'text', text: `You said: ${event.message.text}` },
            })
          }
        }
      },
    })

    const response = await handleWhatsApp(
      new Request('http://localhost/webhooks/whatsapp', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureOf(body) },
        body,
      }),
    )
    await sender.close()

    expect(response.status).toBe(200)
    expect(await response.text()).toBe('')
    expect(graph.requests).toHaveLength(1)
    expect(graph.requests[0]?.url).toBe(`/v23.0/${PHONE_NUMBER_ID}/messages`)
    expect(graph.requests[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: USER_WA_ID,
      context: { message_id: 'wamid.README1' },
      type: 'text',
      text: { preview_url: false, body: 'You said: ping' },
    })
  })

  it('should respond to the handshake through the Fetch handler', async () => {
    const processor = new WhatsAppWebhookProcessor({ appSecrets: [APP_SECRET], verifyToken: VERIFY_TOKEN })
    const handleWhatsApp = createFetchWebhookHandler(processor)
    const query = new URLSearchParams({
      'hub.mode': 'subscribe',
      'hub.verify_token': VERIFY_TOKEN,
      'hub.challenge': '88',
    })

    const response = await handleWhatsApp(new Request(`http://localhost/webhooks/whatsapp?${query}`))

    expect(response.status).toBe(200)
    expect(await response.text()).toBe('88')
  })
})
