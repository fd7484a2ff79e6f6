import type { FastifyInstance } from 'fastify'

/**
 * Replaces fastify's body parsers with one that keeps the raw bytes for every content type.
 * Webhook signatures are computed over the bytes as sent, so nothing may parse and
 * re-serialize the body before the plugin verifies it. Each route enforces its own
 * `bodyLimit` while the bytes are read.
 */
export function keepRawBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body)
  })
}

/** Returns the raw body of a request, or empty bytes when it had none. */
export function rawBodyOf(body: unknown): Uint8Array {
  return body instanceof Uint8Array ? body : new Uint8Array(0)
}
