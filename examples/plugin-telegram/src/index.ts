import { telegramPlugin } from './plugin.js'

// The plugin object a Chatwire host loads by package name.
export default telegramPlugin
export { telegramPlugin }

// Embedding the plugin in another host without Chatwire's server.
export { SECRET_TOKEN_HEADER, TelegramWebhookProcessor } from './processor.js'
export type { TelegramProcessorOptions } from './processor.js'
export { TelegramSender } from './sender.js'
export type { TelegramSenderOptions } from './sender.js'
export {
  botIdOf,
  DEFAULT_API_BASE_URL,
  DEFAULT_SEND_TIMEOUT_MS,
  resolveTelegramConfig,
  telegramConfigSchema,
} from './config.js'
export type { TelegramConfig } from './config.js'
export { PLUGIN_VERSION, telegramManifest } from './manifest.js'

// Building blocks, for hosts that compose their own pipeline and for tests.
export { telegramErrorCodes } from './error-codes.js'
export type { TelegramErrorCode } from './error-codes.js'
export { buildSendMessage } from './outbound.js'
export type { TelegramCall } from './outbound.js'
export { parseUpdate, readUpdate } from './parse-update.js'
export type { TelegramApiResponse, TelegramMessage, TelegramUpdate } from './telegram-types.js'
