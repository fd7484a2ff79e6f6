import { type Clock, systemClock } from '../clock.js'
import { ChatwireError } from '../errors.js'
import { createCoreError } from '../error-codes.js'
import {
  DEFAULT_MAX_BODY_BYTES,
  errorResponse,
  type HandleWebhookOptions,
  handleWebhook,
  type WebhookResult,
} from '../handle-webhook.js'
import { normalizeHeaders, parseQuery, type RawWebhookRequest } from '../raw-request.js'
import type { WebhookProcessor, WebhookResponse } from '../webhook-processor.js'

export interface ReadFetchRequestOptions {
  maxBodyBytes?: number
  clock?: Clock
  remoteAddress?: string
}

/**
 * Reads a Fetch API `Request` into a RawWebhookRequest, taking the body once as bytes. A body
 * over the limit is rejected from its Content-Length before reading, or as soon as the stream
 * passes the limit, and the stream is then cancelled.
 */
export async function readFetchRequest(
  request: Request,
  options: ReadFetchRequestOptions = {},
): Promise<RawWebhookRequest> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const receivedAt = (options.clock ?? systemClock).now()
  const declared = Number(request.headers.get('content-length') ?? Number.NaN)

  if (Number.isFinite(declared) && declared > limit) {
    throw createCoreError(
      'CHATWIRE_ERR_BODY_TOO_LARGE',
      `request body of ${declared} bytes is over the limit of ${limit} bytes`,
    )
  }

  const chunks: Uint8Array[] = []
  let received = 0
  if (request.body !== null) {
    const reader = request.body.getReader()
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>
      try {
        step = await reader.read()
      } catch (error) {
        throw createCoreError(
          'CHATWIRE_ERR_BODY_READ_FAILED',
          `reading the request body failed: ${String(error)}`,
          { cause: error },
        )
      }
      if (step.done) {
        break
      }
      received += step.value.byteLength
      if (received > limit) {
        await reader.cancel().catch(() => undefined)
        throw createCoreError(
          'CHATWIRE_ERR_BODY_TOO_LARGE',
          `request body of at least ${received} bytes is over the limit of ${limit} bytes`,
        )
      }
      chunks.push(step.value)
    }
  }

  const body = new Uint8Array(received)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }

  const url = new URL(request.url)
  return {
    method: request.method,
    path: url.pathname,
    headers: normalizeHeaders(request.headers.entries()),
    query: parseQuery(url.search),
    body,
    receivedAt,
    remoteAddress: options.remoteAddress,
  }
}

/** Converts a WebhookResponse to a Fetch API `Response`. */
export function toFetchResponse(webhookResponse: WebhookResponse): Response {
  const nullBody = webhookResponse.status === 204 || webhookResponse.status === 304
  return new Response(nullBody ? null : webhookResponse.body, {
    status: webhookResponse.status,
    headers: webhookResponse.headers,
  })
}

export interface FetchWebhookHandlerOptions extends HandleWebhookOptions {
  onResult?: (result: WebhookResult) => void
}

/**
 * Returns a `(Request) => Promise<Response>` handler serving one plugin's webhook, for Fetch
 * API runtimes (Deno, Bun, Cloudflare Workers, Next.js route handlers) and `node:http` hosts
 * that already speak Fetch.
 */
export function createFetchWebhookHandler(
  processor: WebhookProcessor,
  options: FetchWebhookHandlerOptions = {},
) {
  return async function handleFetchWebhook(request: Request): Promise<Response> {
    let raw: RawWebhookRequest
    try {
      raw = await readFetchRequest(request, options)
    } catch (error) {
      const coded = ChatwireError.from(error, 'CHATWIRE_ERR_BODY_READ_FAILED', 400)
      options.onResult?.({ response: errorResponse(coded), events: [], stage: 'limits', error: coded })
      return toFetchResponse(errorResponse(coded))
    }

    const result = await handleWebhook(processor, raw, options)
    options.onResult?.(result)
    return toFetchResponse(result.response)
  }
}
