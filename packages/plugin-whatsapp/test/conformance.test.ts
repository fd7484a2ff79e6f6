import { signMetaSha256 } from '@chatwire/plugin-testkit'
import { describeConformance } from '@chatwire/plugin-testkit/vitest'
import plugin from '../src/index.js'
import {
  APP_SECRET,
  inboundMessage,
  notification,
  PHONE_NUMBER_ID,
  USER_WA_ID,
  VERIFY_TOKEN,
} from './fixtures.js'

function handshakeQuery(verifyToken?: string): Record<string, string> {
  const query: Record<string, string> = { 'hub.mode': 'subscribe', 'hub.challenge': '1158201444' }
  if (verifyToken !== undefined) {
    query['hub.verify_token'] = verifyToken
  }
  return query
}

// The same rules every Chatwire plugin passes, from @chatwire/plugin-testkit.
describeConformance({
  plugin,
  config: { appSecrets: [APP_SECRET], verifyToken: VERIFY_TOKEN, accessToken: 'test-access-token' },
  secretPointer: '/appSecrets/0',
  signing: {
    header: 'x-hub-signature-256',
    prefix: 'sha256=',
    wrongPrefix: 'sha1=',
    sign: (body, secret) => signMetaSha256(body, secret),
  },
  handshake: {
    request: { method: 'GET', body: '', contentType: null, query: handshakeQuery(VERIFY_TOKEN) },
    wrongToken: { method: 'GET', body: '', contentType: null, query: handshakeQuery('not-the-token') },
    missingToken: { method: 'GET', body: '', contentType: null, query: handshakeQuery() },
    expectedBody: '1158201444',
  },
  samples: {
    event: {
      body: JSON.stringify(
        inboundMessage({ id: 'wamid.conformance-1', type: 'text', text: { body: 'hello' } }),
      ),
      expectedKinds: ['message.received'],
    },
    unknownKind: {
      body: JSON.stringify(
        notification([
          { field: 'account_alerts', value: { entity_type: 'WABA', entity_id: '900000000000001' } },
        ]),
      ),
    },
    malformed: { body: '{"object":"whatsapp_business_account","entry":' },
  },
  sender: {
    configFor: (baseUrl) => ({ graphApiBaseUrl: baseUrl }),
    message: {
      platform: 'whatsapp',
      channelAccountId: PHONE_NUMBER_ID,
      recipientId: USER_WA_ID,
      content: { type: 'text', text: 'hello from the conformance suite' },
    },
    route: { method: 'POST', path: `/v23.0/${PHONE_NUMBER_ID}/messages` },
    success: {
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: USER_WA_ID, wa_id: USER_WA_ID }],
        messages: [{ id: 'wamid.sent-1' }],
      },
      platformMessageId: 'wamid.sent-1',
    },
    clientError: {
      status: 400,
      body: {
        error: { message: 'Invalid parameter', type: 'OAuthException', code: 100, fbtrace_id: 'trace-1' },
      },
    },
    rateLimited: {
      body: {
        error: { message: 'Rate limit hit', type: 'OAuthException', code: 130429, fbtrace_id: 'trace-2' },
      },
      headers: { 'retry-after': '7' },
      retryAfterMs: 7000,
    },
    serverError: {
      status: 503,
      body: {
        error: { message: 'Service unavailable', type: 'OAuthException', code: 2, fbtrace_id: 'trace-3' },
      },
    },
  },
})
