import { type ChannelSender, PluginRegistry, type WebhookProcessor } from '@chatwire/core'
import telegram from '@chatwire-examples/plugin-telegram'

export interface EmbeddedPlugin {
  processor: WebhookProcessor
  sender: ChannelSender | undefined
  close(): Promise<void>
}

/**
 * Loads one plugin without the Chatwire server. The registry validates the config against the
 * plugin's schema (filling in defaults), checks its core range and calls `create`.
 */
export async function loadTelegram(config: unknown): Promise<EmbeddedPlugin> {
  const registry = new PluginRegistry()
  const [loaded] = await registry.load([{ plugin: telegram, config }])
  if (loaded === undefined) {
    throw new Error('the registry returned no plugin')
  }
  return {
    processor: loaded.instance.processor,
    sender: loaded.instance.sender,
    close: () => registry.close(),
  }
}
