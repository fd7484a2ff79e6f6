import { createErrorFactory } from '@chatwire/core'

/**
 * Every error code that @chatwire/server raises, with the HTTP status used when the error ends
 * a request. docs/errors.md documents each one, and a test fails when they drift.
 */
export const serverErrorCodes = {
  CHATWIRE_ERR_CONFIG_NOT_FOUND: {},
  CHATWIRE_ERR_CONFIG_UNREADABLE: {},
  CHATWIRE_ERR_CONFIG_INVALID: {},
  CHATWIRE_ERR_CONFIG_ENV_MISSING: {},
  CHATWIRE_ERR_SERVER_ROUTE_NOT_FOUND: { statusCode: 404 },
  CHATWIRE_ERR_SERVER_RATE_LIMITED: { statusCode: 429 },
  CHATWIRE_ERR_SERVER_BAD_REQUEST: { statusCode: 400 },
  CHATWIRE_ERR_SERVER_UNAUTHORIZED: { statusCode: 401 },
  CHATWIRE_ERR_SERVER_FORBIDDEN: { statusCode: 403 },
  CHATWIRE_ERR_SERVER_ADMIN_DISABLED: { statusCode: 404 },
  CHATWIRE_ERR_SERVER_NOT_READY: { statusCode: 503 },
  CHATWIRE_ERR_SERVER_CREDENTIALS_UNAVAILABLE: { statusCode: 503 },
  CHATWIRE_ERR_SERVER_CHANNEL_UNKNOWN: {},
  CHATWIRE_ERR_SERVER_PLUGIN_NOT_LOADED: {},
  CHATWIRE_ERR_SERVER_NO_SENDER: {},
  CHATWIRE_ERR_SERVER_ENGINE_REJECTED: {},
  CHATWIRE_ERR_SERVER_INVALID_JOB: {},
  CHATWIRE_ERR_SERVER_INTERNAL: { statusCode: 500 },
  CHATWIRE_ERR_SERVER_CLI_USAGE: {},
  CHATWIRE_ERR_SERVER_LISTEN_FAILED: {},
  CHATWIRE_ERR_SERVER_DEAD_LETTER_NOT_FOUND: {},
  CHATWIRE_ERR_SERVER_WEBHOOK_UNREACHABLE: {},
} as const

export type ServerErrorCode = keyof typeof serverErrorCodes

export const createServerError = createErrorFactory(serverErrorCodes)
