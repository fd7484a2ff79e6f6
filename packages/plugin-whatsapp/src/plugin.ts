import { definePlugin } from '@chatwire/core'
import type { Dispatcher } from 'undici'
import type { WhatsAppConfig } from './config.js'
import { whatsappManifest } from './manifest.js'
import { WhatsAppWebhookProcessor } from './processor.js'
import { WhatsAppSender } from './sender.js'

/**
 * The plugin a Chatwire host loads by package name. The host validates the config against
 * `whatsappConfigSchema` (filling in defaults) before `create` runs.
 */
export const whatsappPlugin = definePlugin<WhatsAppConfig>({
  manifest: whatsappManifest,
  create(config, context) {
    const processor = new WhatsAppWebhookProcessor({
      appSecrets: config.appSecrets,
      verifyToken: config.verifyToken,
    })
    const sender = new WhatsAppSender({
      accessToken: config.accessToken,
      graphApiBaseUrl: config.graphApiBaseUrl,
      graphApiVersion: config.graphApiVersion,
      sendTimeoutMs: config.sendTimeoutMs,
      // Core declares the dispatcher with a loose type, so that core does not depend on undici.
      dispatcher: context.dispatcher as Dispatcher | undefined,
      logger: context.logger,
      clock: context.clock,
    })
    return { processor, sender, close: () => sender.close() }
  },
})
