import { describeConformance } from '@chatwire/plugin-testkit/vitest'
import plugin, { SECRET_TOKEN_HEADER } from '../src/index.js'
import { BOT_TOKEN, pollUpdate, SECRET_TOKEN, textUpdate } from './samples.js'

describeConformance({
  plugin,
  config: { botToken: BOT_TOKEN, secretToken: SECRET_TOKEN },
  secretPointer: '/secretToken',
  signing: {
    header: SECRET_TOKEN_HEADER,
    // Telegram sends the setWebhook secret_token itself, so "signing" is setting the header.
    sign: (_body, secret) => ({ [SECRET_TOKEN_HEADER]: secret }),
  },
  samples: {
    event: { body: JSON.stringify(textUpdate), expectedKinds: ['message.received'] },
    unknownKind: { body: JSON.stringify(pollUpdate) },
    malformed: { body: '{"update_id":900001,"message":' },
  },
  sender: {
    configFor: (baseUrl) => ({ apiBaseUrl: baseUrl }),
    message: {
      platform: 'telegram',
      channelAccountId: '123456',
      recipientId: '4242',
      content: { type: 'text', text: 'hi Ada' },
    },
    route: { method: 'POST', path: `/bot${BOT_TOKEN}/sendMessage` },
    success: {
      body: {
        ok: true,
        result: { message_id: 77, chat: { id: 4242, type: 'private' }, date: 1764849999, text: 'hi Ada' },
      },
      platformMessageId: '77',
    },
    clientError: {
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
    },
    rateLimited: {
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 3',
        parameters: { retry_after: 3 },
      },
      headers: {},
      retryAfterMs: 3000,
    },
    serverError: { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } },
  },
})
