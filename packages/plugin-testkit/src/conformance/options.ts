import type { ChatwirePlugin, EventKind, OutboundMessage } from '@chatwire/core'

/** A webhook request to send through the plugin, before signing. */
export interface RequestSample {
  body: string | Uint8Array
  /** Defaults to POST. */
  method?: string
  /** Defaults to the first of the processor's `contentTypes`; set to `null` to send no Content-Type. */
  contentType?: string | null
  /** Extra headers, sent as given after lower-casing the names. */
  headers?: Record<string, string>
  query?: Record<string, string>
}

export interface EventSample extends RequestSample {
  /** Event kinds the plugin must emit for this body, in order. */
  expectedKinds?: readonly EventKind[]
}

/** The platform's signing scheme, from which the suite makes valid and broken signatures. */
export interface SigningScheme {
  /** Returns the headers that sign `body` with `secret` (and `timestamp`, in Unix seconds, where the scheme has one). */
  sign(body: Uint8Array, secret: string, context: { timestamp: number }): Record<string, string>
  /** The header that carries the signature or token. */
  header: string
  /** Text in that header before the digest, such as `sha256=` or `v0=`; empty for a bare token. */
  prefix?: string
  /** A prefix that must be rejected; defaults to `prefix` with its first character changed. */
  wrongPrefix?: string
  /**
   * Derives another secret that fits the config schema, for the wrong-secret and rotation rules.
   * `seed` is 1, 2, ... per secret needed. Defaults to changing the last letter or digit.
   */
  otherSecret?: (secret: string, seed: number) => string
}

export interface HandshakeSample {
  /** The platform's endpoint verification request with the right token. */
  request: RequestSample
  /** The same request with a wrong token; needed for GET handshakes that check a token. */
  wrongToken?: RequestSample
  /** The same request with no token at all; used for handshakes that are not signed. */
  missingToken?: RequestSample
  /** True when the platform signs the handshake like an event, as Slack's `url_verification` is. */
  signed?: boolean
  /** The body the plugin must respond with, such as the echoed challenge. */
  expectedBody?: string
}

export interface SenderSample<Config> {
  /** Returns the config changes that point the sender at the fake platform API's base URL. */
  configFor(baseUrl: string): Partial<Config>
  message: OutboundMessage
  /** The platform call the sender must make for `message`. */
  route: { method: string; path: string | RegExp }
  /** The platform's success response and the message id the sender must report for it. */
  success: { status?: number; body: unknown; platformMessageId: string }
  /** The platform's response to a bad request; defaults to a 400 with a generic JSON error. */
  clientError?: { status?: number; body: unknown }
  /**
   * The platform's rate-limit response and the delay the sender must report. Defaults to a 429
   * with `Retry-After: 7` and an expected `retryAfterMs` of 7000.
   */
  rateLimited?: { body?: unknown; headers?: Record<string, string>; retryAfterMs?: number }
  serverError?: { status?: number; body?: unknown }
}

/** Describes a plugin to the conformance suite. */
export interface ConformanceOptions<Config = unknown> {
  plugin: ChatwirePlugin<Config>
  /**
   * A valid config as a host passes it, before the schema fills in defaults. Its secret (at
   * `secretPointer`) is the one `signing.sign` is called with.
   */
  config: Partial<Config>
  /** JSON pointer of the signing secret (or token) inside the config, for example `/appSecret`. */
  secretPointer: string
  signing: SigningScheme
  samples: {
    /** A delivery of a kind the plugin models. */
    event: EventSample
    /** A well-formed delivery of a kind the plugin does not model. */
    unknownKind: EventSample
    /** A body that cannot be read, such as truncated JSON. */
    malformed: RequestSample
  }
  /** The platform's endpoint verification, when it has one. */
  handshake?: HandshakeSample
  /** The accepted clock skew of signed timestamps, when the scheme signs one. */
  replayWindow?: { toleranceSeconds: number }
  sender?: SenderSample<Config>
  /** Unix milliseconds the suite's clock is fixed at; defaults to the time the run starts. */
  now?: number
  /** Body limit used by the oversized-body rule, in bytes; defaults to 4096. */
  maxBodyBytes?: number
  /** Time limit of each rule, in milliseconds; defaults to 10000. */
  ruleTimeoutMs?: number
}
