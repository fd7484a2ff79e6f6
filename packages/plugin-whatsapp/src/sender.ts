import {
  type ChannelSender,
  type Clock,
  type Logger,
  type OutboundMessage,
  type SendOptions,
  type SendOutcome,
  silentLogger,
  systemClock,
} from '@chatwire/core'
import { Agent, type Dispatcher, request } from 'undici'
import { DEFAULT_GRAPH_API_BASE_URL, DEFAULT_GRAPH_API_VERSION, DEFAULT_SEND_TIMEOUT_MS } from './config.js'
import { createWhatsAppError } from './error-codes.js'
import { classifyGraphError, parseRetryAfter, readGraphError } from './graph-errors.js'
import { buildMessageBody } from './outbound.js'
import { asArray, asRecord, asString } from './parse/values.js'

export interface WhatsAppSenderOptions {
  /** Graph API token; `send(message, { credentials: { accessToken } })` overrides it per call. */
  accessToken?: string
  graphApiBaseUrl?: string
  graphApiVersion?: string
  /** Default time limit of one Graph API call, in milliseconds. */
  sendTimeoutMs?: number
  /**
   * The undici dispatcher to send through, owned by the caller. Without one the sender creates
   * a pooled `Agent` and closes it in `close()`.
   */
  dispatcher?: Dispatcher
  logger?: Logger
  clock?: Clock
}

/**
 * Sends normalized messages through the WhatsApp Cloud API (`POST /{version}/{phone-number-id}/messages`)
 * and classifies the response by Graph error code: throttling and server faults are retryable,
 * token and request errors permanent.
 */
export class WhatsAppSender implements ChannelSender {
  readonly #accessToken: string | undefined
  readonly #baseUrl: string
  readonly #version: string
  readonly #timeoutMs: number
  readonly #dispatcher: Dispatcher
  readonly #ownsDispatcher: boolean
  readonly #logger: Logger
  readonly #clock: Clock

  constructor(options: WhatsAppSenderOptions = {}) {
    this.#accessToken = options.accessToken
    this.#baseUrl = (options.graphApiBaseUrl ?? DEFAULT_GRAPH_API_BASE_URL).replace(/\/+$/, '')
    this.#version = options.graphApiVersion ?? DEFAULT_GRAPH_API_VERSION
    this.#timeoutMs = options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS
    this.#ownsDispatcher = options.dispatcher === undefined
    this.#dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000 })
    this.#logger = options.logger ?? silentLogger
    this.#clock = options.clock ?? systemClock
  }

  /** Returns the messages endpoint of a business phone number. */
  messagesUrl(phoneNumberId: string): string {
    return `${this.#baseUrl}/${this.#version}/${encodeURIComponent(phoneNumberId)}/messages`
  }

  async send(message: OutboundMessage, options: SendOptions = {}): Promise<SendOutcome> {
    if (message.platform !== 'whatsapp') {
      throw createWhatsAppError(
        'CHATWIRE_ERR_WHATSAPP_MESSAGE_INVALID',
        `message for platform ${JSON.stringify(message.platform)} was given to the WhatsApp sender`,
      )
    }
    if (
      message.channelAccountId === '' ||
      (message.recipientId === '' && message.content.type !== 'mark_read')
    ) {
      throw createWhatsAppError(
        'CHATWIRE_ERR_WHATSAPP_MESSAGE_INVALID',
        'the message needs a channelAccountId (the business phone number id) and a recipientId',
      )
    }
    const body = JSON.stringify(buildMessageBody(message))

    const accessToken = options.credentials?.accessToken ?? this.#accessToken
    if (accessToken === undefined || accessToken === '') {
      return {
        status: 'permanent',
        code: 'CHATWIRE_ERR_WHATSAPP_ACCESS_TOKEN_MISSING',
        message: `missing Graph API access token for phone number ${message.channelAccountId}. Set accessToken in the WhatsApp plugin config or pass credentials.accessToken`,
      }
    }

    const outcome = await this.#post(message, body, accessToken, options)
    // Debug only: the caller handles the outcome and logs it once, with its own ids.
    if (outcome.status !== 'sent') {
      this.#logger.debug(
        {
          phoneNumberId: message.channelAccountId,
          outcome: outcome.status,
          code: outcome.code,
          httpStatus: outcome.httpStatus,
        },
        'WhatsApp send did not succeed',
      )
    }
    return outcome
  }

  async #post(
    message: OutboundMessage,
    body: string,
    accessToken: string,
    options: SendOptions,
  ): Promise<SendOutcome> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.#timeoutMs)
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout])

    let httpStatus: number
    let text: string
    let retryAfterHeader: string | undefined
    try {
      const response = await request(this.messagesUrl(message.channelAccountId), {
        method: 'POST',
        dispatcher: this.#dispatcher,
        signal,
        headers: {
          authorization: `Bearer ${accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body,
      })
      httpStatus = response.statusCode
      const retryAfter = response.headers['retry-after']
      retryAfterHeader = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter
      text = await response.body.text()
    } catch (error) {
      return failedCall(error, options.signal, timeout)
    }

    return this.#outcomeOf(message, httpStatus, text, retryAfterHeader)
  }

  #outcomeOf(
    message: OutboundMessage,
    httpStatus: number,
    text: string,
    retryAfter: string | undefined,
  ): SendOutcome {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }

    if (httpStatus >= 200 && httpStatus < 300) {
      return sentOutcome(message, parsed, httpStatus)
    }

    const retryAfterMs = parseRetryAfter(retryAfter, this.#clock.now())
    const graphError = readGraphError(parsed)
    if (graphError !== undefined) {
      return classifyGraphError(graphError, httpStatus, retryAfterMs)
    }

    const summary = `the Graph API returned HTTP ${httpStatus} without a Graph error body`
    if (httpStatus === 429 || httpStatus >= 500) {
      return retryAfterMs === undefined
        ? {
            status: 'retryable',
            code: 'CHATWIRE_ERR_WHATSAPP_UNEXPECTED_RESPONSE',
            message: summary,
            httpStatus,
          }
        : {
            status: 'retryable',
            retryAfterMs,
            code: 'CHATWIRE_ERR_WHATSAPP_UNEXPECTED_RESPONSE',
            message: summary,
            httpStatus,
          }
    }
    return {
      status: 'permanent',
      code: 'CHATWIRE_ERR_WHATSAPP_UNEXPECTED_RESPONSE',
      message: `${summary}; check graphApiBaseUrl and graphApiVersion`,
      httpStatus,
    }
  }

  /** Closes the dispatcher the sender created; a dispatcher passed in stays open. */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) {
      await this.#dispatcher.close()
    }
  }
}

/**
 * Reads a 2xx response. Sends return `messages[0].id`; marking as read returns `{ success: true }`
 * and no id, so its outcome carries the id of the message marked as read.
 */
function sentOutcome(message: OutboundMessage, parsed: unknown, httpStatus: number): SendOutcome {
  if (message.content.type === 'mark_read' && asRecord(parsed)?.success === true) {
    return { status: 'sent', platformMessageId: message.content.messageId }
  }
  const id = asString(asRecord(asArray(asRecord(parsed)?.messages)[0])?.id)
  if (id !== undefined) {
    return { status: 'sent', platformMessageId: id }
  }
  // The platform accepted the request, so sending it again could deliver it twice.
  return {
    status: 'permanent',
    code: 'CHATWIRE_ERR_WHATSAPP_UNEXPECTED_RESPONSE',
    message: `the Graph API returned HTTP ${httpStatus} without messages[0].id; the message may have been sent, so check before sending it again`,
    httpStatus,
  }
}

/** Classifies a call that ended without an HTTP response: aborted, timed out or a network error. */
function failedCall(
  error: unknown,
  callerSignal: AbortSignal | undefined,
  timeout: AbortSignal,
): SendOutcome {
  if (callerSignal?.aborted === true) {
    return {
      status: 'retryable',
      code: 'CHATWIRE_ERR_WHATSAPP_SEND_ABORTED',
      message: 'the WhatsApp send was aborted by the caller before the Graph API responded',
    }
  }
  if (timeout.aborted) {
    return {
      status: 'retryable',
      code: 'CHATWIRE_ERR_WHATSAPP_SEND_TIMEOUT',
      message: 'the Graph API call timed out before a response; raise sendTimeoutMs if this repeats',
    }
  }
  const cause = error as { code?: unknown; message?: unknown }
  const causeCode = typeof cause?.code === 'string' ? cause.code : 'unknown'
  return {
    status: 'retryable',
    code: 'CHATWIRE_ERR_WHATSAPP_SEND_NETWORK',
    message: `the Graph API call failed before a response (${causeCode}: ${String(cause?.message ?? error)}); check graphApiBaseUrl and the network`,
  }
}
