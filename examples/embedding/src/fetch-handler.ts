import { createFetchWebhookHandler, type NormalizedEvent, type WebhookProcessor } from '@chatwire/core'

/**
 * Returns a `(Request) => Promise<Response>` handler serving one plugin's webhook, the shape that
 * Deno.serve, Bun.serve, Cloudflare Workers (`export default { fetch }`) and Next.js route
 * handlers take.
 */
export function createFetchHandler(
  processor: WebhookProcessor,
  onEvents: (events: readonly NormalizedEvent[]) => Promise<void>,
): (request: Request) => Promise<Response> {
  const handleTelegram = createFetchWebhookHandler(processor, { maxBodyBytes: 1024 * 1024, onEvents })

  return async (request) => {
    if (new URL(request.url).pathname === '/webhooks/telegram') {
      return handleTelegram(request)
    }
    return new Response('not found', { status: 404 })
  }
}
