import { createErrorFactory } from '@chatwire/core'

/** Every error code that @chatwire/reference-engine raises. docs/errors.md documents each one. */
export const referenceEngineErrorCodes = {
  CHATWIRE_ERR_REFERENCE_ENGINE_DATA_INVALID: {},
  CHATWIRE_ERR_REFERENCE_ENGINE_BIND_FAILED: {},
} as const

export const createReferenceEngineError = createErrorFactory(referenceEngineErrorCodes)
