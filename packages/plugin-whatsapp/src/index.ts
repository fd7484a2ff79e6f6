import { whatsappPlugin } from './plugin.js'

// The plugin object a Chatwire host loads by package name.
export default whatsappPlugin
export { whatsappPlugin }

// Embedding the plugin in another host without Chatwire's server.
export { WhatsAppWebhookProcessor } from './processor.js'
export type { WhatsAppProcessorOptions } from './processor.js'
export { WhatsAppSender } from './sender.js'
export type { WhatsAppSenderOptions } from './sender.js'
export {
  DEFAULT_GRAPH_API_BASE_URL,
  DEFAULT_GRAPH_API_VERSION,
  DEFAULT_SEND_TIMEOUT_MS,
  resolveWhatsAppConfig,
  whatsappConfigSchema,
} from './config.js'
export type { WhatsAppConfig } from './config.js'
export { PLUGIN_VERSION, whatsappManifest } from './manifest.js'

// Building blocks, for hosts that compose their own pipeline and for tests.
export { whatsappErrorCodes } from './error-codes.js'
export type { WhatsAppErrorCode } from './error-codes.js'
export {
  classifyGraphError,
  parseRetryAfter,
  readGraphError,
  THROTTLING_CODES,
  TRANSIENT_CODES,
} from './graph-errors.js'
export type { GraphError } from './graph-errors.js'
export { buildMessageBody } from './outbound.js'
export { verifySignature } from './verify.js'
export { answerHandshake } from './handshake.js'
