import { createErrorFactory } from '@chatwire/core'

/**
 * Every error code this plugin raises or reports in a send outcome, with the HTTP status used
 * when the error ends a webhook request. The section `## @chatwire/plugin-whatsapp` of
 * docs/errors.md lists each one, and `test/error-docs.test.ts` fails when the two drift.
 */
export const whatsappErrorCodes = {
  CHATWIRE_ERR_WHATSAPP_SIGNATURE_MALFORMED: { statusCode: 401 },
  CHATWIRE_ERR_WHATSAPP_BODY_NOT_JSON: { statusCode: 400 },
  CHATWIRE_ERR_WHATSAPP_WRONG_OBJECT: { statusCode: 400 },
  CHATWIRE_ERR_WHATSAPP_ENTRY_MISSING: { statusCode: 400 },
  CHATWIRE_ERR_WHATSAPP_CONFIG_INVALID: {},
  CHATWIRE_ERR_WHATSAPP_MESSAGE_INVALID: {},
  CHATWIRE_ERR_WHATSAPP_ACCESS_TOKEN_MISSING: {},
  CHATWIRE_ERR_WHATSAPP_SEND_NETWORK: {},
  CHATWIRE_ERR_WHATSAPP_SEND_TIMEOUT: {},
  CHATWIRE_ERR_WHATSAPP_SEND_ABORTED: {},
  CHATWIRE_ERR_WHATSAPP_UNEXPECTED_RESPONSE: {},
} as const

export type WhatsAppErrorCode = keyof typeof whatsappErrorCodes

export const createWhatsAppError = createErrorFactory(whatsappErrorCodes)
