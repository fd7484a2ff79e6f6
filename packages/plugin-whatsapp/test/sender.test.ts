import { ChatwireError, fixedClock, type OutboundMessage } from '@chatwire/core'
import { Agent } from 'undici'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { WhatsAppSender } from '../src/index.js'
import { PHONE_NUMBER_ID, USER_WA_ID } from './fixtures.js'
import { GraphServer } from './graph-server.js'

const TOKEN = 'test-access-token'

function outbound(
  content: OutboundMessage['content'],
  extra: Partial<OutboundMessage> = {},
): OutboundMessage {
  return {
    platform: 'whatsapp',
    channelAccountId: PHONE_NUMBER_ID,
    recipientId: USER_WA_ID,
    content,
    ...extra,
  }
}

const sentBody = {
  messaging_product: 'whatsapp',
  contacts: [{ input: USER_WA_ID, wa_id: USER_WA_ID }],
  messages: [{ id: 'wamid.SENT1' }],
}

describe('WhatsAppSender', () => {
  const graph = new GraphServer()
  let sender: WhatsAppSender

  beforeAll(() => graph.start())
  afterAll(() => graph.stop())

  beforeEach(() => {
    graph.reset()
    graph.handler = (_request, response) => GraphServer.json(response, 200, sentBody)
    sender = new WhatsAppSender({
      accessToken: TOKEN,
      graphApiBaseUrl: graph.origin,
      graphApiVersion: 'v23.0',
      sendTimeoutMs: 2000,
    })
  })

  afterEach(() => sender.close())

  it('should send text and return the message id', async () => {
    const outcome = await sender.send(
      outbound({ type: 'text', text: 'Hello' }, { replyToMessageId: 'wamid.IN1' }),
    )

    expect(outcome).toEqual({ status: 'sent', platformMessageId: 'wamid.SENT1' })
    expect(graph.requests).toHaveLength(1)
    const [captured] = graph.requests
    expect(captured?.method).toBe('POST')
    expect(captured?.url).toBe(`/v23.0/${PHONE_NUMBER_ID}/messages`)
    expect(captured?.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(captured?.headers['content-type']).toBe('application/json')
    expect(captured?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: USER_WA_ID,
      context: { message_id: 'wamid.IN1' },
      type: 'text',
      text: { preview_url: false, body: 'Hello' },
    })
  })

  it('should use the access token passed per send', async () => {
    await sender.send(outbound({ type: 'text', text: 'Hi' }), {
      credentials: { accessToken: 'per-send-token' },
    })

    expect(graph.requests[0]?.headers.authorization).toBe('Bearer per-send-token')
  })

  it.each<[string, OutboundMessage['content'], Record<string, unknown>]>([
    [
      'media by id',
      { type: 'media', mediaType: 'image', mediaId: 'media-1', caption: 'Look' },
      { type: 'image', image: { id: 'media-1', caption: 'Look' } },
    ],
    [
      'media by link',
      { type: 'media', mediaType: 'document', link: 'https://files.example.test/a.pdf', filename: 'a.pdf' },
      { type: 'document', document: { link: 'https://files.example.test/a.pdf', filename: 'a.pdf' } },
    ],
    [
      'buttons',
      { type: 'buttons', body: 'Pick one', header: 'Choice', buttons: [{ id: 'yes', title: 'Yes' }] },
      {
        type: 'interactive',
        interactive: {
          type: 'button',
          header: { type: 'text', text: 'Choice' },
          body: { text: 'Pick one' },
          action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }] },
        },
      },
    ],
    [
      'a list',
      {
        type: 'list',
        body: 'Sizes',
        buttonText: 'Choose',
        footer: 'Prices include tax',
        sections: [{ title: 'All', rows: [{ id: 's', title: 'Small', description: 'The small one' }] }],
      },
      {
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Sizes' },
          footer: { text: 'Prices include tax' },
          action: {
            button: 'Choose',
            sections: [{ title: 'All', rows: [{ id: 's', title: 'Small', description: 'The small one' }] }],
          },
        },
      },
    ],
    [
      'a template',
      {
        type: 'template',
        name: 'order_update',
        languageCode: 'en_US',
        components: [{ type: 'body', parameters: [{ type: 'text', text: '42' }] }],
      },
      {
        type: 'template',
        template: {
          name: 'order_update',
          language: { code: 'en_US' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: '42' }] }],
        },
      },
    ],
    [
      'a reaction',
      { type: 'reaction', messageId: 'wamid.IN2', emoji: '\u{1F44D}' },
      { type: 'reaction', reaction: { message_id: 'wamid.IN2', emoji: '\u{1F44D}' } },
    ],
  ])('should send %s', async (_case, content, expected) => {
    const outcome = await sender.send(outbound(content))

    expect(outcome).toEqual({ status: 'sent', platformMessageId: 'wamid.SENT1' })
    expect(graph.requests[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: USER_WA_ID,
      ...expected,
    })
  })

  it('should mark a message as read', async () => {
    graph.handler = (_request, response) => GraphServer.json(response, 200, { success: true })

    const outcome = await sender.send(outbound({ type: 'mark_read', messageId: 'wamid.IN3' }))

    expect(outcome).toEqual({ status: 'sent', platformMessageId: 'wamid.IN3' })
    expect(graph.requests[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.IN3',
    })
  })

  it('should return retryable with Retry-After for 130429', async () => {
    graph.handler = (_request, response) =>
      GraphServer.json(
        response,
        429,
        GraphServer.graphError(130429, 'Rate limit hit', 'Cloud API throughput reached'),
        {
          'retry-after': '7',
        },
      )

    const outcome = await sender.send(outbound({ type: 'text', text: 'Hi' }))

    expect(outcome).toEqual({
      status: 'retryable',
      retryAfterMs: 7000,
      code: '130429',
      message: 'Graph API error 130429: Rate limit hit (Cloud API throughput reached)',
      httpStatus: 429,
    })
  })

  it('should read Retry-After as an HTTP date', async () => {
    const now = Date.UTC(2026, 11, 4, 12, 0, 0)
    const clocked = new WhatsAppSender({
      accessToken: TOKEN,
      graphApiBaseUrl: graph.origin,
      clock: fixedClock(now),
    })
    graph.handler = (_request, response) =>
      GraphServer.json(response, 400, GraphServer.graphError(80007, 'Rate limit issues'), {
        'retry-after': new Date(now + 30_000).toUTCString(),
      })

    const outcome = await clocked.send(outbound({ type: 'text', text: 'Hi' }))
    await clocked.close()

    expect(outcome).toMatchObject({
      status: 'retryable',
      code: '80007',
      retryAfterMs: 30_000,
      httpStatus: 400,
    })
    expect(graph.requests[0]?.url).toBe(`/v23.0/${PHONE_NUMBER_ID}/messages`)
  })

  it.each([
    [4, 400],
    [131056, 400],
  ])('should return retryable for throttling code %i whatever the status', async (code, status) => {
    graph.handler = (_request, response) =>
      GraphServer.json(response, status, GraphServer.graphError(code, 'Throttled'))

    const outcome = await sender.send(outbound({ type: 'text', text: 'Hi' }))

    expect(outcome).toEqual({
      status: 'retryable',
      code: String(code),
      message: `Graph API error ${code}: Throttled`,
      httpStatus: status,
    })
  })

  it('should return permanent for 131026', async () => {
    graph.handler = (_request, response) =>
      GraphServer.json(
        response,
        400,
        GraphServer.graphError(131026, 'Message Undeliverable', 'Recipient cannot receive'),
      )

    const outcome = await sender.send(outbound({ type: 'text', text: 'Hi' }))

    expect(outcome).toEqual({
      status: 'permanent',
      code: '131026',
      message: 'Graph API error 131026: Message Undeliverable (Recipient cannot receive)',
      httpStatus: 400,
    })
  })

  it('should return permanent for an expired token', async () => {
    graph.handler = (_request, response) =>
      GraphServer.json(
        response,
        401,
        GraphServer.graphError(190, 'Error validating access token: Session has expired'),
      )

    const outcome = await sender.send(outbound({ type: 'text', text: 'Hi' }))

    expect(outcome).toEqual({
      status: 'permanent',
      code: '190',
      message: 'Graph API error 190: Error validating access token: Session has expired',
      httpStatus: 401,
    })
  })

  it.each([131047, 131051, 100])('should return permanent for code %i', async (code) => {
    graph.handler = (_request, response) =>
      GraphServer.json(response, 400, GraphServer.graphError(code, 'Rejected'))

    const outcome = await sender.send(outbound({ type: 'text', text: 'Hi' }))

    expect(outcome).toMatchObject({ status: 'permanent', code: String(code), httpStatus: 400 })
  })

  it('should return retryable for a server error code', async () => {
    graph.handler = (_request, response) =>
      GraphServer.json(response, 500, GraphServer.graphError(131000, 'Something went wrong'))

    const outcome = await sender.send(outbound({ type: 'text', text: 'Hi' }))

    expect(outcome).toMatchObject({ status: 'retryable', code: '131000', httpStatus: 500 })
  })

  it('should return retryable for a 502 without a Graph body', async () => {
    graph.handler = (_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' })
      response.end('<html>Bad gateway</html>')
    }

    const outcome = await sender.send(outbound({ type: 'text', text: 'Hi' }))

    expect(outcome).toMatchObject({
      status: 'retryable',
      code: 'CHATWIRE_ERR_WHATSAPP_UNEXPECTED_RESPONSE',
      httpStatus: 502,
    })
  })

  it('should return permanent for a 404 without a Graph body', async () => {
    graph.handler = (_request, response) => {
      response.writeHead(404, { 'content-type': 'text/plain' })
      response.end('not found')
    }

    const outcome = await sender.send(outbound({ type: 'text', text: 'Hi' }))

    expect(outcome).toMatchObject({
      status: 'permanent',
      code: 'CHATWIRE_ERR_WHATSAPP_UNEXPECTED_RESPONSE',
      httpStatus: 404,
    })
  })

  it('should return permanent for a 200 without a message id', async () => {
    graph.handler = (_request, response) => GraphServer.json(response, 200, { messaging_product: 'whatsapp' })

    const outcome = await sender.send(outbound({ type: 'text', text: 'Hi' }))

    expect(outcome).toMatchObject({ status: 'permanent', code: 'CHATWIRE_ERR_WHATSAPP_UNEXPECTED_RESPONSE' })
  })

  it('should return retryable when the connection drops', async () => {
    graph.handler = (request, response) => {
      expect(request.method).toBe('POST')
      response.socket?.destroy()
    }

    const outcome = await sender.send(outbound({ type: 'text', text: 'Hi' }))

    expect(outcome).toMatchObject({ status: 'retryable', code: 'CHATWIRE_ERR_WHATSAPP_SEND_NETWORK' })
    expect(graph.requests).toHaveLength(1)
  })

  it('should return retryable when the call times out', async () => {
    graph.handler = () => {
      // Never responds, and the server closes the socket in afterAll.
    }

    const started = Date.now()
    const outcome = await sender.send(outbound({ type: 'text', text: 'Hi' }), { timeoutMs: 150 })

    expect(outcome).toMatchObject({ status: 'retryable', code: 'CHATWIRE_ERR_WHATSAPP_SEND_TIMEOUT' })
    expect(Date.now() - started).toBeLessThan(1500)
  })

  it('should return retryable when the caller aborts', async () => {
    const controller = new AbortController()
    graph.handler = () => {
      controller.abort()
    }

    const outcome = await sender.send(outbound({ type: 'text', text: 'Hi' }), { signal: controller.signal })

    expect(outcome).toMatchObject({ status: 'retryable', code: 'CHATWIRE_ERR_WHATSAPP_SEND_ABORTED' })
  })

  it('should return permanent without an access token and send nothing', async () => {
    const tokenless = new WhatsAppSender({ graphApiBaseUrl: graph.origin })

    const outcome = await tokenless.send(outbound({ type: 'text', text: 'Hi' }))
    await tokenless.close()

    expect(outcome).toMatchObject({ status: 'permanent', code: 'CHATWIRE_ERR_WHATSAPP_ACCESS_TOKEN_MISSING' })
    expect(graph.requests).toEqual([])
  })

  it.each<[string, OutboundMessage]>([
    ['another platform', { ...outbound({ type: 'text', text: 'Hi' }), platform: 'slack' }],
    ['media without id or link', outbound({ type: 'media', mediaType: 'image' })],
    [
      'media with id and link',
      outbound({ type: 'media', mediaType: 'image', mediaId: 'm', link: 'https://x.test/a' }),
    ],
    ['a caption on audio', outbound({ type: 'media', mediaType: 'audio', mediaId: 'm', caption: 'no' })],
    ['no recipient', outbound({ type: 'text', text: 'Hi' }, { recipientId: '' })],
  ])('should reject %s as an invalid message', async (_case, message) => {
    const error = await sender.send(message).catch((reason: unknown) => reason)

    expect(error).toBeInstanceOf(ChatwireError)
    expect((error as ChatwireError).code).toBe('CHATWIRE_ERR_WHATSAPP_MESSAGE_INVALID')
    expect(graph.requests).toEqual([])
  })

  it('should leave a dispatcher it was given open', async () => {
    const agent = new Agent()
    const shared = new WhatsAppSender({
      accessToken: TOKEN,
      graphApiBaseUrl: graph.origin,
      dispatcher: agent,
    })

    await shared.close()
    const outcome = await shared.send(outbound({ type: 'text', text: 'Hi' }))
    await agent.close()

    expect(outcome).toEqual({ status: 'sent', platformMessageId: 'wamid.SENT1' })
  })
})
