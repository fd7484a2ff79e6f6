import type {
  NormalizedEvent,
  RawWebhookRequest,
  VerifyOptions,
  WebhookProcessor,
  WebhookResponse,
} from '@chatwire/core'
import { answerHandshake } from './handshake.js'
import { peekPhoneNumberId } from './parse/envelope.js'
import { parseWebhook } from './parse/index.js'
import { verifySignature } from './verify.js'

export interface WhatsAppProcessorOptions {
  /** Meta app secrets, newest first; `verify(request, { secrets })` can supply them per request instead. */
  appSecrets?: readonly string[]
  /** The Verify Token from the App Dashboard, checked on the GET handshake. */
  verifyToken: string
}

/**
 * Receives WhatsApp Business Cloud API webhooks: the `hub.challenge` handshake, the
 * `X-Hub-Signature-256` check and the normalization of messages, statuses and errors.
 * Framework-independent: run it through core's `handleWebhook` or one of its adapters.
 */
export class WhatsAppWebhookProcessor implements WebhookProcessor {
  readonly contentTypes: readonly string[] = ['application/json']
  readonly #appSecrets: readonly string[]
  readonly #verifyToken: string

  constructor(options: WhatsAppProcessorOptions) {
    this.#appSecrets = [...(options.appSecrets ?? [])]
    this.#verifyToken = options.verifyToken
  }

  handshake(request: RawWebhookRequest): WebhookResponse | undefined {
    return answerHandshake(request, this.#verifyToken)
  }

  channelAccountIdOf(request: RawWebhookRequest): string | undefined {
    return peekPhoneNumberId(request)
  }

  /**
   * Checks the signature against `options.secrets` when the host passes any (for example from
   * the Security Hub), and otherwise against the configured `appSecrets`.
   */
  verify(request: RawWebhookRequest, options: VerifyOptions = {}): void {
    const secrets =
      options.secrets !== undefined && options.secrets.length > 0 ? options.secrets : this.#appSecrets
    verifySignature(request, secrets)
  }

  parse(request: RawWebhookRequest): NormalizedEvent[] {
    return parseWebhook(request)
  }

  /**
   * Returns 200 with an empty body for every verified notification, including those that only
   * produced `unsupported` events: Meta retries any other response for up to 7 days.
   */
  acknowledge(_request: RawWebhookRequest, _events: readonly NormalizedEvent[]): WebhookResponse {
    return { status: 200, headers: {}, body: '' }
  }
}
