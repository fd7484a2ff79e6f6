import type { Clock } from './clock.js'
import { ChatwireError } from './errors.js'
import { createCoreError } from './error-codes.js'
import type { NormalizedEvent } from './events.js'
import type { Logger } from './logger.js'
import { mediaTypeOf, type RawWebhookRequest } from './raw-request.js'
import type { VerifyOptions, WebhookProcessor, WebhookResponse } from './webhook-processor.js'

/**
 * Default body limit: 4 MiB. Meta documents webhook payloads of up to 3 MB, the largest of the
 * platforms Chatwire ships plugins for, and the limit leaves room above that.
 */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024

export interface HandleWebhookOptions {
  maxBodyBytes?: number
  clock?: Clock
  logger?: Logger
  /** Supplies verification options per request, such as secrets the Security Hub resolved. */
  verifyOptions?: (request: RawWebhookRequest) => VerifyOptions | Promise<VerifyOptions>
  /**
   * Stores the events before the platform is acknowledged. When it rejects, the platform gets
   * a 5xx and will redeliver, so an acknowledged event is never only in memory.
   */
  onEvents?: (events: readonly NormalizedEvent[], request: RawWebhookRequest) => void | Promise<void>
}

export type WebhookStage = 'limits' | 'handshake' | 'verify' | 'parse' | 'store' | 'acknowledge'

export interface WebhookResult {
  response: WebhookResponse
  events: NormalizedEvent[]
  /** The stage that ended the request: `acknowledge` for an accepted POST, `handshake` for a handshake. */
  stage: WebhookStage
  error?: ChatwireError
}

/** Returns the JSON error response for a coded error; the status comes from the error. */
export function errorResponse(
  error: ChatwireError,
  extraHeaders: Record<string, string> = {},
): WebhookResponse {
  return {
    status: error.statusCode ?? 500,
    headers: { 'content-type': 'application/json; charset=utf-8', ...extraHeaders },
    body: JSON.stringify({ error: { code: error.code, message: error.message } }),
  }
}

function rejected(
  stage: WebhookStage,
  error: ChatwireError,
  headers?: Record<string, string>,
): WebhookResult {
  return { response: errorResponse(error, headers), events: [], stage, error }
}

/** Coerces what a plugin threw into a coded error; an uncoded throw is a plugin bug (500). */
function fromPlugin(reason: unknown): ChatwireError {
  return ChatwireError.from(reason, 'CHATWIRE_ERR_PLUGIN_FAILED', 500)
}

/**
 * Runs one webhook request through a plugin, independent of any HTTP framework:
 * limits → handshake (GET) → verify → handshake (POST) → parse → store → acknowledge.
 *
 * A POST handshake such as Slack's `url_verification` is signed like any event, so it is only
 * offered to the plugin after `verify` passed. Never throws for a bad request: every rejection
 * is a response with a coded JSON error.
 */
export async function handleWebhook(
  processor: WebhookProcessor,
  request: RawWebhookRequest,
  options: HandleWebhookOptions = {},
): Promise<WebhookResult> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES

  if (request.body.byteLength > maxBodyBytes) {
    return rejected(
      'limits',
      createCoreError(
        'CHATWIRE_ERR_BODY_TOO_LARGE',
        `request body of ${request.body.byteLength} bytes is over the limit of ${maxBodyBytes} bytes`,
      ),
    )
  }

  const method = request.method.toUpperCase()
  if (method === 'GET' || method === 'HEAD') {
    try {
      const response = await processor.handshake(request)
      if (response !== undefined) {
        return { response, events: [], stage: 'handshake' }
      }
    } catch (error) {
      return rejected('handshake', fromPlugin(error))
    }
  }
  if (method !== 'POST') {
    const error = createCoreError(
      'CHATWIRE_ERR_METHOD_NOT_ALLOWED',
      `${method} is not accepted here: send events with POST (GET is only for platform handshakes)`,
    )
    return rejected('limits', error, { allow: 'POST' })
  }

  const mediaType = mediaTypeOf(request)
  if (mediaType === undefined || !processor.contentTypes.includes(mediaType)) {
    const error = createCoreError(
      'CHATWIRE_ERR_UNSUPPORTED_MEDIA_TYPE',
      `content type ${JSON.stringify(mediaType ?? null)} is not accepted; send ${processor.contentTypes.join(' or ')}`,
    )
    return rejected('limits', error)
  }

  try {
    const verifyOptions = (await options.verifyOptions?.(request)) ?? {}
    await processor.verify(request, { clock: options.clock, ...verifyOptions })
  } catch (error) {
    return rejected('verify', fromPlugin(error))
  }

  try {
    const response = await processor.handshake(request)
    if (response !== undefined) {
      return { response, events: [], stage: 'handshake' }
    }
  } catch (error) {
    return rejected('handshake', fromPlugin(error))
  }

  let events: NormalizedEvent[]
  try {
    events = await processor.parse(request)
  } catch (error) {
    return rejected('parse', fromPlugin(error))
  }

  if (options.onEvents !== undefined && events.length > 0) {
    try {
      await options.onEvents(events, request)
    } catch (error) {
      const coded = ChatwireError.from(error, 'CHATWIRE_ERR_INTERNAL', 500)
      options.logger?.error({ err: coded, eventCount: events.length }, 'storing webhook events failed')
      return { ...rejected('store', coded), events }
    }
  }

  try {
    return { response: processor.acknowledge(request, events), events, stage: 'acknowledge' }
  } catch (error) {
    return rejected('acknowledge', fromPlugin(error))
  }
}
