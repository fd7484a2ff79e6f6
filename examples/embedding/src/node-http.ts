import { createServer, type Server } from 'node:http'
import { createNodeWebhookHandler, type NormalizedEvent, type WebhookProcessor } from '@chatwire/core'

/**
 * Serves one plugin's webhook from a plain node:http server. `onEvents` must store the events
 * before it resolves: the platform is acknowledged only afterwards, and gets a 5xx (and retries)
 * when it rejects.
 */
export function createNodeHttpServer(
  processor: WebhookProcessor,
  onEvents: (events: readonly NormalizedEvent[]) => Promise<void>,
): Server {
  const handleTelegram = createNodeWebhookHandler(processor, { maxBodyBytes: 1024 * 1024, onEvents })

  return createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (path === '/webhooks/telegram') {
      void handleTelegram(request, response)
      return
    }
    response.writeHead(404).end()
  })
}
