import type { Clock } from './clock.js'
import type { NormalizedEvent } from './events.js'
import type { RawWebhookRequest } from './raw-request.js'

/** The HTTP response a platform expects. */
export interface WebhookResponse {
  status: number
  headers: Readonly<Record<string, string>>
  body: string
}

export interface VerifyOptions {
  /**
   * Secrets to check the signature against, newest first, overriding the plugin's own config.
   * Hosts pass the secrets the Security Hub resolved for the request's channel account.
   */
  secrets?: readonly string[]
  clock?: Clock
}

/** The inbound side of a platform plugin: the steps run on each webhook request. */
export interface WebhookProcessor {
  /** Media types the plugin accepts on POST; any other gets 415 before verification. */
  readonly contentTypes: readonly string[]

  /**
   * Builds the response to a platform's endpoint verification request (Meta's `hub.challenge` GET, Slack's
   * `url_verification`), or returns undefined when the request is not one. A POST handshake is
   * only offered after `verify` passed; a GET handshake must check its own token.
   */
  handshake(request: RawWebhookRequest): WebhookResponse | undefined | Promise<WebhookResponse | undefined>

  /**
   * Returns the channel account the request claims to be for, read without trusting the body,
   * so the host can look up that channel's secrets before `verify`. Optional.
   */
  channelAccountIdOf?(request: RawWebhookRequest): string | undefined

  /** Throws a `ChatwireError` (401 family) unless the request is genuine; a missing signature is a rejection. */
  verify(request: RawWebhookRequest, options?: VerifyOptions): void | Promise<void>

  /**
   * Turns a verified body into zero or more events. Unknown kinds become `unsupported` events;
   * only a body that cannot be read at all throws (`CHATWIRE_ERR_MALFORMED_BODY`).
   */
  parse(request: RawWebhookRequest): NormalizedEvent[] | Promise<NormalizedEvent[]>

  /** Builds the response the platform expects once the events are safely stored. */
  acknowledge(request: RawWebhookRequest, events: readonly NormalizedEvent[]): WebhookResponse
}
