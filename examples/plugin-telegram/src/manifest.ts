import type { PluginManifest } from '@chatwire/core'
import { telegramConfigSchema } from './config.js'

export const PLUGIN_VERSION = '0.1.0'

export const telegramManifest: PluginManifest = {
  name: '@chatwire-examples/plugin-telegram',
  version: PLUGIN_VERSION,
  coreRange: '^0.1.0',
  platform: 'telegram',
  configSchema: telegramConfigSchema,
  description:
    'Telegram Bot API webhooks: secret-token check, message, edit and callback updates, sendMessage.',
}
