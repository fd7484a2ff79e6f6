import {
  bodyText,
  createCoreError,
  type NormalizedEvent,
  type RawWebhookRequest,
  stringsEqual,
  type VerifyOptions,
  type WebhookProcessor,
  type WebhookResponse,
} from '@chatwire/core'
import { parseUpdate, readUpdate } from './parse-update.js'

/** The header in which Telegram echoes the `secret_token` given to setWebhook. */
export const SECRET_TOKEN_HEADER = 'x-telegram-bot-api-secret-token'

export interface TelegramProcessorOptions {
  /** The bot id, used as the channel account id of every event. */
  botId: string
  /** Accepted secret tokens, newest first; `VerifyOptions.secrets` replaces them per request. */
  secretTokens: readonly string[]
}

/**
 * Receives Telegram Bot API webhooks. Telegram signs nothing: it sends the setWebhook
 * `secret_token` back verbatim, so verification is a constant-time comparison of that header.
 * There is no endpoint handshake and no timestamp, so no replay window applies.
 */
export class TelegramWebhookProcessor implements WebhookProcessor {
  readonly contentTypes = ['application/json'] as const
  readonly #botId: string
  readonly #secretTokens: readonly string[]

  constructor(options: TelegramProcessorOptions) {
    this.#botId = options.botId
    this.#secretTokens = options.secretTokens
  }

  handshake(): undefined {
    return undefined
  }

  channelAccountIdOf(): string {
    return this.#botId
  }

  verify(request: RawWebhookRequest, options: VerifyOptions = {}): void {
    const secrets = options.secrets ?? this.#secretTokens
    if (secrets.length === 0) {
      throw createCoreError(
        'CHATWIRE_ERR_SECRET_NOT_CONFIGURED',
        `no secret token is configured to check ${SECRET_TOKEN_HEADER}; set secretToken in the plugin config`,
      )
    }
    const received = request.headers[SECRET_TOKEN_HEADER]
    if (received === undefined || received === '') {
      throw createCoreError(
        'CHATWIRE_ERR_SIGNATURE_MISSING',
        `the ${SECRET_TOKEN_HEADER} header is missing or empty`,
        {
          details: { header: SECRET_TOKEN_HEADER },
        },
      )
    }
    // Every token is compared, even after a match, so the time taken does not reveal which matched.
    let matched = false
    for (const secret of secrets) {
      matched = stringsEqual(secret, received) || matched
    }
    if (!matched) {
      throw createCoreError(
        'CHATWIRE_ERR_SIGNATURE_INVALID',
        `the ${SECRET_TOKEN_HEADER} header does not match any configured secret token`,
        { details: { header: SECRET_TOKEN_HEADER } },
      )
    }
  }

  parse(request: RawWebhookRequest): NormalizedEvent[] {
    return parseUpdate(readUpdate(bodyText(request)), this.#botId, request.receivedAt)
  }

  acknowledge(): WebhookResponse {
    return { status: 200, headers: {}, body: '' }
  }
}
