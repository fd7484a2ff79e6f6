import { createNodeWebhookHandler, type NormalizedEvent, type WebhookProcessor } from '@chatwire/core'
import express, { type Express } from 'express'

/**
 * Mounts one plugin's webhook in an Express app. The webhook route comes before any body
 * parser, because the signature is checked over the raw bytes, which a parser would consume.
 */
export function createExpressApp(
  processor: WebhookProcessor,
  onEvents: (events: readonly NormalizedEvent[]) => Promise<void>,
): Express {
  const app = express()
  const handleTelegram = createNodeWebhookHandler(processor, { maxBodyBytes: 1024 * 1024, onEvents })

  app.post('/webhooks/telegram', (request, response) => {
    void handleTelegram(request, response)
  })

  // Routes after this line get parsed JSON bodies as usual.
  app.use(express.json())
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' })
  })
  return app
}
