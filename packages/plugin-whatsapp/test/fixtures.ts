import { hmacSha256, type RawWebhookRequest } from '@chatwire/core'

// Every id below is made up for the tests; none belongs to a real account.
export const APP_SECRET = 'test-app-secret-1'
export const VERIFY_TOKEN = 'test-verify-token'
export const WABA_ID = '900000000000001'
export const PHONE_NUMBER_ID = '100000000000001'
export const DISPLAY_PHONE_NUMBER = '15550000000'
export const USER_WA_ID = '15551230001'
export const RECEIVED_AT = Date.UTC(2026, 11, 4, 12, 0, 0)
export const TIMESTAMP = '1764849600'
export const TIMESTAMP_ISO = '2025-12-04T12:00:00.000Z'

export type Json = Record<string, unknown>

/** Builds a `changes[]` item of field `messages` for the test phone number. */
export function messagesChange(value: Json, phoneNumberId = PHONE_NUMBER_ID): Json {
  return {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: DISPLAY_PHONE_NUMBER, phone_number_id: phoneNumberId },
      ...value,
    },
  }
}

/** Builds a notification with one entry per element of `entries`, each a list of changes. */
export function notification(...entries: Json[][]): Json {
  return {
    object: 'whatsapp_business_account',
    entry: entries.map((changes, index) => ({ id: `${WABA_ID}${index}`, changes })),
  }
}

/** Builds a notification with one inbound message from the test user, who has a profile name. */
export function inboundMessage(message: Json): Json {
  return notification([
    messagesChange({
      contacts: [{ profile: { name: 'Test User' }, wa_id: USER_WA_ID }],
      messages: [{ from: USER_WA_ID, timestamp: TIMESTAMP, ...message }],
    }),
  ])
}

export function statusChange(status: Json): Json {
  return notification([
    messagesChange({
      statuses: [{ recipient_id: USER_WA_ID, timestamp: TIMESTAMP, ...status }],
    }),
  ])
}

export function signatureOf(body: string | Uint8Array, secret = APP_SECRET): string {
  return `sha256=${hmacSha256(secret, body, 'hex')}`
}

export interface RequestOptions {
  method?: string
  headers?: Record<string, string>
  query?: Record<string, string>
  /** Signs the body with this secret; `false` sends no signature. */
  secret?: string | false
}

/** Builds a signed POST request as core's adapters would read it from the wire. */
export function webhookRequest(body: string | Json, options: RequestOptions = {}): RawWebhookRequest {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  const bytes = new TextEncoder().encode(text)
  const secret = options.secret ?? APP_SECRET
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (secret !== false) {
    headers['x-hub-signature-256'] = signatureOf(bytes, secret)
  }
  return {
    method: options.method ?? 'POST',
    path: '/webhooks/whatsapp',
    headers: { ...headers, ...options.headers },
    query: options.query ?? {},
    body: bytes,
    receivedAt: RECEIVED_AT,
    remoteAddress: '127.0.0.1',
  }
}
