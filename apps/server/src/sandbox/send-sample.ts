import { request } from 'undici'
import { createServerError } from '../error-codes.js'
import { SANDBOX_APP_SECRET, signWhatsappBody, whatsappTextWebhook } from './whatsapp-sample.js'

export interface SendSampleOptions {
  platform: string
  /** Webhook URL; the sandbox's `http://127.0.0.1:8080/webhooks/<platform>` when unset. */
  url?: string
  secret?: string
  text?: string
  from?: string
}

export interface SendSampleResult {
  url: string
  status: number
  body: string
  messageId: string | undefined
}

/** Signs a sample inbound text webhook like the platform would and posts it. */
export async function sendSample(options: SendSampleOptions): Promise<SendSampleResult> {
  if (options.platform !== 'whatsapp') {
    throw createServerError(
      'CHATWIRE_ERR_SERVER_CLI_USAGE',
      `no sample webhook exists for platform "${options.platform}"; use "whatsapp"`,
    )
  }
  const url = options.url ?? 'http://127.0.0.1:8080/webhooks/whatsapp'
  const body = whatsappTextWebhook({ text: options.text ?? 'hello', from: options.from })
  const messageId = (
    JSON.parse(body) as { entry: { changes: { value: { messages: { id: string }[] } }[] }[] }
  ).entry[0]?.changes[0]?.value.messages[0]?.id

  const response = await request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWhatsappBody(body, options.secret ?? SANDBOX_APP_SECRET),
    },
    body,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  })
  return { url, status: response.statusCode, body: await response.body.text(), messageId }
}
