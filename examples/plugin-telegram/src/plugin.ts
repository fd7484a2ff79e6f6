import { definePlugin } from '@chatwire/core'
import type { Dispatcher } from 'undici'
import { botIdOf, type TelegramConfig } from './config.js'
import { telegramManifest } from './manifest.js'
import { TelegramWebhookProcessor } from './processor.js'
import { TelegramSender } from './sender.js'

/**
 * The plugin a Chatwire host loads by package name. The host validates the config against
 * `telegramConfigSchema` (filling in defaults) before `create` runs.
 */
export const telegramPlugin = definePlugin<TelegramConfig>({
  manifest: telegramManifest,
  create(config, context) {
    const processor = new TelegramWebhookProcessor({
      botId: botIdOf(config.botToken),
      secretTokens: [config.secretToken],
    })
    const sender = new TelegramSender({
      botToken: config.botToken,
      apiBaseUrl: config.apiBaseUrl,
      sendTimeoutMs: config.sendTimeoutMs,
      // Core declares the dispatcher with a loose type, so that core does not depend on undici.
      dispatcher: context.dispatcher as Dispatcher | undefined,
      logger: context.logger,
    })
    return { processor, sender, close: () => sender.close() }
  },
})
