import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { createCoreError } from './error-codes.js'
import { normalizedEventSchema } from './event-schema.js'
import type { NormalizedEvent } from './events.js'

let compiled: ValidateFunction | undefined

// Compiled on first use, because most hosts never validate events at run time.
function validator(): ValidateFunction {
  if (compiled === undefined) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, discriminator: true })
    addFormats.default(ajv)
    compiled = ajv.compile(normalizedEventSchema)
  }
  return compiled
}

export interface EventValidationIssue {
  /** JSON pointer of the offending value inside the event. */
  pointer: string
  message: string
}

/** Checks a value against the normalized event schema and lists every problem found. */
export function checkEvent(value: unknown): EventValidationIssue[] {
  const validate = validator()
  if (validate(value)) {
    return []
  }
  return (validate.errors ?? []).map((error) => ({
    pointer: error.instancePath || '/',
    message: error.message ?? 'invalid',
  }))
}

/** Asserts that `value` is a valid normalized event, throwing `CHATWIRE_ERR_EVENT_INVALID` otherwise. */
export function assertValidEvent(value: unknown): asserts value is NormalizedEvent {
  const issues = checkEvent(value)
  if (issues.length > 0) {
    const listed = issues.map((issue) => `${issue.pointer} ${issue.message}`).join('; ')
    throw createCoreError(
      'CHATWIRE_ERR_EVENT_INVALID',
      `event does not match the normalized event schema: ${listed}`,
      {
        details: { issues },
      },
    )
  }
}
