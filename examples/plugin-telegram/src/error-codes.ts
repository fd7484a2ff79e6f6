import { createErrorFactory } from '@chatwire/core'

/**
 * Error codes this plugin raises or reports in send outcomes. The section
 * `## @chatwire-examples/plugin-telegram` of docs/errors.md documents each one, and
 * `test/error-docs.test.ts` fails when the two drift. Webhook rejections use core's codes.
 */
export const telegramErrorCodes = {
  CHATWIRE_ERR_TELEGRAM_CONFIG_INVALID: {},
  CHATWIRE_ERR_TELEGRAM_UNSUPPORTED_CONTENT: {},
  CHATWIRE_ERR_TELEGRAM_SEND_NETWORK: {},
  CHATWIRE_ERR_TELEGRAM_SEND_TIMEOUT: {},
  CHATWIRE_ERR_TELEGRAM_SEND_ABORTED: {},
  CHATWIRE_ERR_TELEGRAM_UNEXPECTED_RESPONSE: {},
} as const

export type TelegramErrorCode = keyof typeof telegramErrorCodes

export const createTelegramError = createErrorFactory(telegramErrorCodes)
