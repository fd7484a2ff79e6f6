import { randomBytes } from 'node:crypto'
import { hmacSha256 } from '@chatwire/core'

/** Phone number id of the sandbox's WhatsApp channel in the reference engine's sandbox data. */
export const SANDBOX_PHONE_NUMBER_ID = '100000000000001'
/** App secret of the sandbox channel: a public test value, never a real secret. */
export const SANDBOX_APP_SECRET = 'sandbox-app-secret'
export const SANDBOX_USER_PHONE = '15550001234'

export interface TextWebhookOptions {
  phoneNumberId?: string
  from?: string
  text?: string
  /** The message's wamid; a random one when unset. */
  messageId?: string
  /** Unix seconds; now when unset. */
  timestamp?: number
  userName?: string
}

/** Returns a fresh wamid-shaped id. */
export function sampleMessageId(): string {
  return `wamid.sample${randomBytes(12).toString('hex')}`
}

/** Builds the JSON body Meta posts for one inbound text message. */
export function whatsappTextWebhook(options: TextWebhookOptions = {}): string {
  const phoneNumberId = options.phoneNumberId ?? SANDBOX_PHONE_NUMBER_ID
  const from = options.from ?? SANDBOX_USER_PHONE
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '200000000000001',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: options.userName ?? 'Sandbox User' }, wa_id: from }],
              messages: [
                {
                  from,
                  id: options.messageId ?? sampleMessageId(),
                  timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: options.text ?? 'hello' },
                },
              ],
            },
          },
        ],
      },
    ],
  })
}

export interface StatusWebhookOptions {
  phoneNumberId?: string
  /** The wamid of the business's outbound message. */
  messageId: string
  recipientId: string
  status: 'sent' | 'delivered' | 'read' | 'failed'
  timestamp?: number
}

/** Builds the JSON body Meta posts when a sent message changes status. */
export function whatsappStatusWebhook(options: StatusWebhookOptions): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '200000000000001',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '15550000000',
                phone_number_id: options.phoneNumberId ?? SANDBOX_PHONE_NUMBER_ID,
              },
              statuses: [
                {
                  id: options.messageId,
                  status: options.status,
                  timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
                  recipient_id: options.recipientId,
                },
              ],
            },
          },
        ],
      },
    ],
  })
}

/** Returns the `X-Hub-Signature-256` value Meta sends for `body`. */
export function signWhatsappBody(body: string | Uint8Array, secret: string): string {
  return `sha256=${hmacSha256(secret, typeof body === 'string' ? Buffer.from(body) : body, 'hex')}`
}
