import { createGrpcError } from './error-codes.js'

/**
 * Checks that each named field of `request` is a non-empty string, before any network call.
 * Throws CHATWIRE_ERR_GRPC_INVALID_REQUEST naming the first field that is not.
 */
export function requireStrings<T extends object>(
  method: string,
  request: T,
  fields: readonly (keyof T & string)[],
): void {
  if (typeof request !== 'object' || request === null) {
    throw createGrpcError(
      'CHATWIRE_ERR_GRPC_INVALID_REQUEST',
      `${method} request must be an object, got ${request === null ? 'null' : typeof request}.`,
      { details: { method } },
    )
  }
  for (const field of fields) {
    const value: unknown = request[field]
    if (typeof value !== 'string' || value === '') {
      throw createGrpcError(
        'CHATWIRE_ERR_GRPC_INVALID_REQUEST',
        `${method} request is missing the required field ${field}` +
          ` (got ${value === '' ? 'an empty string' : typeof value}). Set it to a non-empty string.`,
        { details: { method, field } },
      )
    }
  }
}

/** Checks that an optional field is a plain object when present. */
export function optionalObject(method: string, field: string, value: unknown): void {
  if (value === undefined) {
    return
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw createGrpcError(
      'CHATWIRE_ERR_GRPC_INVALID_REQUEST',
      `${method} request field ${field} must be a plain object, got ${Array.isArray(value) ? 'an array' : typeof value}.`,
      { details: { method, field } },
    )
  }
}
