import type { PluginManifest } from '@chatwire/core'
import { whatsappConfigSchema } from './config.js'

/** The package version; `test/plugin.test.ts` checks it against package.json. */
export const PLUGIN_VERSION = '0.1.0'

export const whatsappManifest: PluginManifest = {
  name: '@chatwire/plugin-whatsapp',
  version: PLUGIN_VERSION,
  coreRange: '^0.1.0',
  platform: 'whatsapp',
  configSchema: whatsappConfigSchema,
  description: 'WhatsApp Business Cloud API: webhooks from Meta and sending through the Graph API.',
}
