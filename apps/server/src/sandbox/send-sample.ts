import { request } from 'undici'
import { createServerError } from '../error-codes.js'
import { SANDBOX_APP_SECRET, signWhatsappBody, whatsappTextWebhook } from './whatsapp-sample.js'

/** The webhook URL of the shipped sandbox config, which `send-sample` posts to by default. */
export const DEFAULT_SAMPLE_URL = 'http://127.0.0.1:8080/webhooks/whatsapp'

export interface SendSampleOptions {
  platform: string
  /** Webhook URL; {@link DEFAULT_SAMPLE_URL} when unset. */
  url?: string
  secret?: string
  text?: string
  from?: string
}

/** A signed sample webhook, ready to post or to save for `chatwire inspect`. */
export interface SampleRequest {
  url: string
  body: string
  /** Lower-cased request headers, including the signature. */
  headers: Record<string, string>
  /** The wamid of the sample message. */
  messageId: string | undefined
}

export interface SendSampleResult {
  url: string
  status: number
  body: string
  messageId: string | undefined
}

/** Errno and undici codes that mean no server responded at the URL. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_SOCKET',
])

/** Signs a sample inbound text webhook the way the platform does. */
export function buildSampleRequest(options: SendSampleOptions): SampleRequest {
  if (options.platform !== 'whatsapp') {
    throw createServerError(
      'CHATWIRE_ERR_SERVER_CLI_USAGE',
      `no sample webhook exists for platform "${options.platform}"; use "whatsapp"`,
    )
  }
  const body = whatsappTextWebhook({ text: options.text ?? 'hello', from: options.from })
  const messageId = (
    JSON.parse(body) as { entry: { changes: { value: { messages: { id: string }[] } }[] }[] }
  ).entry[0]?.changes[0]?.value.messages[0]?.id
  return {
    url: options.url ?? DEFAULT_SAMPLE_URL,
    body,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWhatsappBody(body, options.secret ?? SANDBOX_APP_SECRET),
    },
    messageId,
  }
}

/**
 * Signs a sample inbound text webhook and posts it. Throws CHATWIRE_ERR_SERVER_WEBHOOK_UNREACHABLE
 * when no server responds at the URL.
 */
export async function sendSample(options: SendSampleOptions): Promise<SendSampleResult> {
  const sample = buildSampleRequest(options)
  try {
    const response = await request(sample.url, {
      method: 'POST',
      headers: sample.headers,
      body: sample.body,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    })
    return {
      url: sample.url,
      status: response.statusCode,
      body: await response.body.text(),
      messageId: sample.messageId,
    }
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) {
      throw createServerError(
        'CHATWIRE_ERR_SERVER_WEBHOOK_UNREACHABLE',
        `could not connect to ${sample.url}: start the sandbox (npx -y pnpm@10.34.9 start) or pass --url`,
        { cause: error, details: { url: sample.url, reason: code } },
      )
    }
    throw error
  }
}
