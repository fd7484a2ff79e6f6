import type { IncomingMessage, ServerResponse } from 'node:http'
import { type Clock, systemClock } from '../clock.js'
import { createCoreError } from '../error-codes.js'
import { ChatwireError } from '../errors.js'
import {
  DEFAULT_MAX_BODY_BYTES,
  errorResponse,
  type HandleWebhookOptions,
  handleWebhook,
  type WebhookResult,
} from '../handle-webhook.js'
import { normalizeHeaders, parseQuery, type RawWebhookRequest } from '../raw-request.js'
import type { WebhookProcessor, WebhookResponse } from '../webhook-processor.js'

export interface ReadBodyOptions {
  maxBodyBytes?: number
  clock?: Clock
}

function tooLarge(received: number, limit: number): ChatwireError {
  return createCoreError(
    'CHATWIRE_ERR_BODY_TOO_LARGE',
    `request body of at least ${received} bytes is over the limit of ${limit} bytes`,
  )
}

/**
 * Reads a node:http request into a RawWebhookRequest, taking the body once as bytes. A body
 * over the limit is rejected from its Content-Length before any byte is read, or as soon as
 * the streamed bytes pass the limit. The rest of the body is never buffered.
 */
export function readNodeRequest(
  request: IncomingMessage,
  options: ReadBodyOptions = {},
): Promise<RawWebhookRequest> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const receivedAt = (options.clock ?? systemClock).now()
  const declared = Number(request.headers['content-length'])

  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(declared, limit))
  }

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let received = 0

    const cleanup = (): void => {
      request.off('data', onData)
      request.off('end', onEnd)
      request.off('error', onError)
    }
    const onData = (chunk: Buffer): void => {
      received += chunk.byteLength
      if (received > limit) {
        cleanup()
        request.pause()
        reject(tooLarge(received, limit))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => {
      cleanup()
      const url = new URL(request.url ?? '/', 'http://localhost')
      resolve({
        method: request.method ?? 'GET',
        path: url.pathname,
        headers: normalizeHeaders(Object.entries(request.headers)),
        query: parseQuery(url.search),
        body: new Uint8Array(Buffer.concat(chunks, received)),
        receivedAt,
        remoteAddress: request.socket.remoteAddress,
      })
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(
        createCoreError(
          'CHATWIRE_ERR_BODY_READ_FAILED',
          `reading the request body failed: ${error.message}`,
          { cause: error },
        ),
      )
    }

    request.on('data', onData)
    request.on('end', onEnd)
    request.on('error', onError)
  })
}

/** Writes a WebhookResponse to a node:http response. */
export function writeNodeResponse(
  response: ServerResponse,
  webhookResponse: WebhookResponse,
  close = false,
): void {
  const headers: Record<string, string> = { ...webhookResponse.headers }
  if (close) {
    // The unread rest of an oversized body would otherwise be parsed as the next request.
    headers.connection = 'close'
  }
  response.writeHead(webhookResponse.status, headers)
  response.end(webhookResponse.body)
}

export interface NodeWebhookHandlerOptions extends HandleWebhookOptions {
  /** Called with every result, accepted or not, for logging and metrics. */
  onResult?: (result: WebhookResult) => void
}

/**
 * Returns a node:http request listener that serves one plugin's webhook, so a plugin can run
 * in any Node.js host without the Chatwire server.
 */
export function createNodeWebhookHandler(
  processor: WebhookProcessor,
  options: NodeWebhookHandlerOptions = {},
) {
  return async function handleNodeWebhook(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let raw: RawWebhookRequest
    try {
      raw = await readNodeRequest(request, options)
    } catch (error) {
      const coded = ChatwireError.from(error, 'CHATWIRE_ERR_BODY_READ_FAILED', 400)
      options.onResult?.({ response: errorResponse(coded), events: [], stage: 'limits', error: coded })
      writeNodeResponse(response, errorResponse(coded), true)
      return
    }

    const result = await handleWebhook(processor, raw, options)
    options.onResult?.(result)
    writeNodeResponse(response, result.response)
  }
}
