import type { OutboundMessage } from '@chatwire/core'
import { type FakePlatformApi, reply, startFakePlatformApi } from '@chatwire/plugin-testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TelegramSender } from '../src/index.js'
import { BOT_TOKEN } from './samples.js'

const SEND_PATH = `/bot${BOT_TOKEN}/sendMessage`

function message(content: OutboundMessage['content'], replyToMessageId?: string): OutboundMessage {
  return { platform: 'telegram', channelAccountId: '123456', recipientId: '4242', replyToMessageId, content }
}

describe('TelegramSender', () => {
  let api: FakePlatformApi
  let sender: TelegramSender

  beforeEach(async () => {
    api = await startFakePlatformApi()
    sender = new TelegramSender({ botToken: BOT_TOKEN, apiBaseUrl: `${api.url}/`, sendTimeoutMs: 2000 })
  })

  afterEach(async () => {
    await sender.close()
    await api.close()
  })

  it('sends text as a reply', async () => {
    api.on('POST', SEND_PATH).reply(reply.ok({ ok: true, result: { message_id: 99 } }))

    const outcome = await sender.send(message({ type: 'text', text: 'hi', previewUrl: false }, '17'))

    expect(outcome).toEqual({ status: 'sent', platformMessageId: '99' })
    expect(api.requests[0]?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(api.requests[0]?.text ?? '')).toEqual({
      chat_id: '4242',
      text: 'hi',
      link_preview_options: { is_disabled: true },
      reply_parameters: { message_id: 17, allow_sending_without_reply: true },
    })
  })

  it('sends buttons as an inline keyboard', async () => {
    api.on('POST', SEND_PATH).reply(reply.ok({ ok: true, result: { message_id: 100 } }))

    await sender.send(
      message({
        type: 'buttons',
        body: 'Pick a plan',
        buttons: [
          { id: 'plan:free', title: 'Free' },
          { id: 'plan:pro', title: 'Pro' },
        ],
      }),
    )

    expect(JSON.parse(api.requests[0]?.text ?? '')).toEqual({
      chat_id: '4242',
      text: 'Pick a plan',
      reply_markup: {
        inline_keyboard: [
          [{ text: 'Free', callback_data: 'plan:free' }],
          [{ text: 'Pro', callback_data: 'plan:pro' }],
        ],
      },
    })
  })

  it('sends to the conversation in groups', async () => {
    api.on('POST', SEND_PATH).reply(reply.ok({ ok: true, result: { message_id: 101 } }))

    await sender.send({ ...message({ type: 'text', text: 'hi all' }), conversationId: '-100777' })

    expect(JSON.parse(api.requests[0]?.text ?? '')).toMatchObject({ chat_id: '-100777', text: 'hi all' })
  })

  it('uses a per-send token from the credentials', async () => {
    api.on('POST', '/bot777:OTHER/sendMessage').reply(reply.ok({ ok: true, result: { message_id: 1 } }))

    const outcome = await sender.send(message({ type: 'text', text: 'hi' }), {
      credentials: { accessToken: '777:OTHER' },
    })

    expect(outcome.status).toBe('sent')
  })

  it('rejects content it cannot send without calling the API', async () => {
    const outcome = await sender.send(message({ type: 'mark_read', messageId: '17' }))

    expect(outcome).toMatchObject({ status: 'permanent', code: 'CHATWIRE_ERR_TELEGRAM_UNSUPPORTED_CONTENT' })
    expect(api.requests).toHaveLength(0)
  })

  it('reports a 2xx without ok as permanent', async () => {
    api.on('POST', SEND_PATH).reply(reply.ok({ ok: false }))

    const outcome = await sender.send(message({ type: 'text', text: 'hi' }))

    expect(outcome).toMatchObject({
      status: 'permanent',
      code: 'CHATWIRE_ERR_TELEGRAM_UNEXPECTED_RESPONSE',
      httpStatus: 200,
    })
  })

  it('falls back to Retry-After for a 429 without retry_after', async () => {
    api
      .on('POST', SEND_PATH)
      .reply(reply.rateLimited(5, { ok: false, error_code: 429, description: 'Too Many Requests' }))

    const outcome = await sender.send(message({ type: 'text', text: 'hi' }))

    expect(outcome).toMatchObject({ status: 'retryable', code: '429', retryAfterMs: 5000, httpStatus: 429 })
  })

  it('times out a slow response as retryable', async () => {
    api
      .on('POST', SEND_PATH)
      .reply({ kind: 'respond', status: 200, body: { ok: true, result: { message_id: 1 } }, delayMs: 500 })

    const outcome = await sender.send(message({ type: 'text', text: 'hi' }), { timeoutMs: 50 })

    expect(outcome).toMatchObject({ status: 'retryable', code: 'CHATWIRE_ERR_TELEGRAM_SEND_TIMEOUT' })
  })

  it('reports a caller abort as retryable', async () => {
    api.on('POST', SEND_PATH).reply({ kind: 'respond', status: 200, body: {}, delayMs: 500 })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 20)

    const outcome = await sender.send(message({ type: 'text', text: 'hi' }), { signal: controller.signal })

    expect(outcome).toMatchObject({ status: 'retryable', code: 'CHATWIRE_ERR_TELEGRAM_SEND_ABORTED' })
  })
})
