import {
  handleWebhook,
  type NormalizedEvent,
  normalizeHeaders,
  parseQuery,
  type WebhookProcessor,
} from '@chatwire/core'
import Fastify, { type FastifyInstance } from 'fastify'

const MAX_BODY_BYTES = 1024 * 1024

/**
 * Serves one plugin's webhook from Fastify. The route lives in its own encapsulated scope whose
 * only content-type parser keeps the body as raw bytes, so the signature is checked over exactly
 * what the platform sent. The rest of the app keeps Fastify's JSON parser.
 */
export async function createFastifyApp(
  processor: WebhookProcessor,
  onEvents: (events: readonly NormalizedEvent[]) => Promise<void>,
): Promise<FastifyInstance> {
  const app = Fastify()

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES },
      (_request, body, done) => {
        done(null, body)
      },
    )

    scope.post('/webhooks/telegram', async (request, reply) => {
      const [path = '/', search = ''] = request.url.split('?', 2)
      const result = await handleWebhook(
        processor,
        {
          method: request.method,
          path,
          headers: normalizeHeaders(Object.entries(request.headers)),
          query: parseQuery(search),
          body: Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : new Uint8Array(),
          receivedAt: Date.now(),
          remoteAddress: request.ip,
        },
        { maxBodyBytes: MAX_BODY_BYTES, onEvents },
      )
      return reply.code(result.response.status).headers(result.response.headers).send(result.response.body)
    })
  })

  app.get('/healthz', async () => ({ status: 'ok' }))
  return app
}
