import type { ChannelSender, Logger, OutboundMessage, SendOptions, SendOutcome } from '@chatwire/core'
import { Agent, type Dispatcher, request } from 'undici'
import { DEFAULT_SEND_TIMEOUT_MS } from './config.js'
import { buildSendMessage } from './outbound.js'
import type { TelegramApiResponse } from './telegram-types.js'

export interface TelegramSenderOptions {
  botToken: string
  apiBaseUrl: string
  /** Time limit of one Bot API call, in milliseconds, unless `SendOptions.timeoutMs` overrides it. */
  sendTimeoutMs?: number
  /** The host's pooled dispatcher; the sender creates and closes its own Agent without one. */
  dispatcher?: Dispatcher
  logger?: Logger
}

function retryAfterMsOf(
  body: TelegramApiResponse,
  header: string | string[] | undefined,
): number | undefined {
  const fromBody = body.parameters?.retry_after
  if (typeof fromBody === 'number' && Number.isFinite(fromBody) && fromBody >= 0) {
    return fromBody * 1000
  }
  const seconds = Number(Array.isArray(header) ? header[0] : header)
  return header !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined
}

async function readJson(body: Dispatcher.ResponseData['body']): Promise<TelegramApiResponse> {
  try {
    const parsed: unknown = await body.json()
    return typeof parsed === 'object' && parsed !== null ? (parsed as TelegramApiResponse) : {}
  } catch {
    return {}
  }
}

/**
 * Sends text and button messages through the Bot API's sendMessage and classifies the response:
 * `sent` with the message id, `retryable` for 429 (with Telegram's retry_after), 5xx, timeouts
 * and network failures, and `permanent` for every other error with Telegram's error_code.
 */
export class TelegramSender implements ChannelSender {
  readonly #options: TelegramSenderOptions
  readonly #dispatcher: Dispatcher
  readonly #ownsDispatcher: boolean

  constructor(options: TelegramSenderOptions) {
    this.#options = options
    this.#ownsDispatcher = options.dispatcher === undefined
    this.#dispatcher = options.dispatcher ?? new Agent({ connections: 16 })
  }

  async send(message: OutboundMessage, options: SendOptions = {}): Promise<SendOutcome> {
    const call = buildSendMessage(message)
    if (call === undefined) {
      return {
        status: 'permanent',
        code: 'CHATWIRE_ERR_TELEGRAM_UNSUPPORTED_CONTENT',
        message: `content type ${message.content.type} cannot be sent through this plugin; send text or buttons`,
      }
    }

    const token = options.credentials?.accessToken ?? this.#options.botToken
    const timeoutMs = options.timeoutMs ?? this.#options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout])
    // The token is part of the path, so the URL is never logged.
    const url = `${this.#options.apiBaseUrl.replace(/\/+$/, '')}/bot${token}/${call.method}`

    let response: Dispatcher.ResponseData
    try {
      response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(call.parameters),
        dispatcher: this.#dispatcher,
        signal,
      })
    } catch (error) {
      return this.#networkFailure(error, options.signal, timeout, timeoutMs)
    }

    const body = await readJson(response.body)
    const status = response.statusCode
    if (status >= 200 && status < 300 && body.ok === true && typeof body.result?.message_id === 'number') {
      return { status: 'sent', platformMessageId: String(body.result.message_id) }
    }
    if (status >= 200 && status < 300) {
      return {
        status: 'permanent',
        code: 'CHATWIRE_ERR_TELEGRAM_UNEXPECTED_RESPONSE',
        message: `sendMessage returned ${status} without ok: true and a message_id`,
        httpStatus: status,
      }
    }

    const code = String(body.error_code ?? status)
    const description = body.description ?? `sendMessage failed with HTTP ${status}`
    if (status === 429) {
      const retryAfterMs = retryAfterMsOf(body, response.headers['retry-after'])
      return { status: 'retryable', code, message: description, httpStatus: status, retryAfterMs }
    }
    if (status >= 500) {
      return { status: 'retryable', code, message: description, httpStatus: status }
    }
    return { status: 'permanent', code, message: description, httpStatus: status }
  }

  #networkFailure(
    error: unknown,
    callerSignal: AbortSignal | undefined,
    timeout: AbortSignal,
    timeoutMs: number,
  ): SendOutcome {
    const reason = error instanceof Error ? error.message : String(error)
    if (callerSignal?.aborted === true) {
      return {
        status: 'retryable',
        code: 'CHATWIRE_ERR_TELEGRAM_SEND_ABORTED',
        message: 'the send was cancelled by the caller',
      }
    }
    if (timeout.aborted) {
      return {
        status: 'retryable',
        code: 'CHATWIRE_ERR_TELEGRAM_SEND_TIMEOUT',
        message: `sendMessage did not respond within ${timeoutMs} ms`,
      }
    }
    this.#options.logger?.warn({ err: error }, 'sendMessage request failed before a response')
    return {
      status: 'retryable',
      code: 'CHATWIRE_ERR_TELEGRAM_SEND_NETWORK',
      message: `sendMessage request failed: ${reason}`,
    }
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) {
      await this.#dispatcher.close()
    }
  }
}
