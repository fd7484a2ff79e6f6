import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createNodeWebhookHandler, fixedClock, type WebhookProcessor } from '@chatwire/core'

/** Counts the processor calls that must not happen for a rejected body. */
export interface CountingProcessor extends WebhookProcessor {
  readonly calls: { verify: number; parse: number; handshake: number }
}

/** Wraps a processor (including class instances) and counts verify, parse and handshake calls. */
export function countingProcessor(processor: WebhookProcessor): CountingProcessor {
  const calls = { verify: 0, parse: 0, handshake: 0 }
  return {
    calls,
    contentTypes: processor.contentTypes,
    handshake(request) {
      calls.handshake += 1
      return processor.handshake(request)
    },
    verify(request, options) {
      calls.verify += 1
      return processor.verify(request, options)
    },
    parse(request) {
      calls.parse += 1
      return processor.parse(request)
    },
    acknowledge: (request, events) => processor.acknowledge(request, events),
  }
}

export interface WireResponse {
  status: number
  body: string
}

/**
 * Serves `processor` through core's node:http adapter on 127.0.0.1 and posts `body` once,
 * with or without a Content-Length, returning the response. The server is closed before returning.
 */
export async function postOverWire(
  processor: WebhookProcessor,
  options: { maxBodyBytes: number; now: number; path: string },
  body: Uint8Array,
  headers: Record<string, string>,
  chunked: boolean,
): Promise<WireResponse> {
  const handler = createNodeWebhookHandler(processor, {
    maxBodyBytes: options.maxBodyBytes,
    clock: fixedClock(options.now),
  })
  const server = createServer((request, response) => {
    void handler(request, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  try {
    return await new Promise<WireResponse>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: options.path,
          headers: chunked
            ? { ...headers, 'transfer-encoding': 'chunked' }
            : { ...headers, 'content-length': String(body.byteLength) },
          timeout: 5000,
        },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          )
          response.on('error', reject)
        },
      )
      // The server may respond 413 and close while the body is still being written. The
      // promise settles with the response first, so a later write error changes nothing.
      outgoing.on('error', reject)
      outgoing.on('timeout', () =>
        outgoing.destroy(new Error('the oversized request timed out after 5000 ms')),
      )
      outgoing.end(body)
    })
  } finally {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
