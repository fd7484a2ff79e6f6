import { createErrorFactory } from './errors.js'

/**
 * Every error code that @chatwire/core raises, with the HTTP status used when the error
 * ends a webhook request. docs/errors.md documents each one; a test fails when they drift.
 */
export const coreErrorCodes = {
  CHATWIRE_ERR_INTERNAL: { statusCode: 500 },
  CHATWIRE_ERR_INVALID_ARGUMENT: {},
  CHATWIRE_ERR_NOT_IMPLEMENTED: { statusCode: 501 },
  CHATWIRE_ERR_BODY_TOO_LARGE: { statusCode: 413 },
  CHATWIRE_ERR_BODY_READ_FAILED: { statusCode: 400 },
  CHATWIRE_ERR_UNSUPPORTED_MEDIA_TYPE: { statusCode: 415 },
  CHATWIRE_ERR_METHOD_NOT_ALLOWED: { statusCode: 405 },
  CHATWIRE_ERR_MALFORMED_BODY: { statusCode: 400 },
  CHATWIRE_ERR_SIGNATURE_MISSING: { statusCode: 401 },
  CHATWIRE_ERR_SIGNATURE_INVALID: { statusCode: 401 },
  CHATWIRE_ERR_SECRET_NOT_CONFIGURED: { statusCode: 401 },
  CHATWIRE_ERR_TIMESTAMP_INVALID: { statusCode: 401 },
  CHATWIRE_ERR_TIMESTAMP_STALE: { statusCode: 401 },
  CHATWIRE_ERR_HANDSHAKE_REJECTED: { statusCode: 403 },
  CHATWIRE_ERR_UNAUTHORIZED: { statusCode: 401 },
  CHATWIRE_ERR_PLUGIN_FAILED: { statusCode: 500 },
  CHATWIRE_ERR_PLUGIN_INVALID: {},
  CHATWIRE_ERR_PLUGIN_NOT_FOUND: {},
  CHATWIRE_ERR_PLUGIN_LOAD_FAILED: {},
  CHATWIRE_ERR_PLUGIN_CORE_VERSION_MISMATCH: {},
  CHATWIRE_ERR_PLUGIN_CONFIG_INVALID: {},
  CHATWIRE_ERR_PLUGIN_DUPLICATE_PLATFORM: {},
  CHATWIRE_ERR_PLUGIN_DUPLICATE_ROUTE: {},
  CHATWIRE_ERR_PLUGIN_REGISTRY: {},
  CHATWIRE_ERR_EVENT_INVALID: {},
} as const

export type CoreErrorCode = keyof typeof coreErrorCodes

export const createCoreError = createErrorFactory(coreErrorCodes)
