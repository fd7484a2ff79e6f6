import type { ChatwireError } from '@chatwire/core'
import type { ServiceError } from '@grpc/grpc-js'
import { status as Status } from '@grpc/grpc-js'
import { createGrpcError, type GrpcErrorCode } from './error-codes.js'

const statusNames = new Map<number, string>(
  Object.entries(Status)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, code]) => [code, name]),
)

/** Returns the spec name of a gRPC status code, for example `UNAVAILABLE` for 14. */
export function statusName(code: number): string {
  return statusNames.get(code) ?? `STATUS_${code}`
}

export function isServiceError(value: unknown): value is ServiceError {
  return value instanceof Error && typeof (value as Partial<ServiceError>).code === 'number'
}

/** Codes that mean the request may succeed if sent again, with no risk of doing its work twice. */
const RETRYABLE = new Set<number>([Status.UNAVAILABLE, Status.RESOURCE_EXHAUSTED, Status.ABORTED])

/**
 * Returns whether a failed attempt may be sent again. DEADLINE_EXCEEDED qualifies only for a call
 * that is safe to repeat, because the server may have done the work before the deadline passed.
 */
export function isRetryableStatus(code: number, safeToRepeat: boolean): boolean {
  return RETRYABLE.has(code) || (safeToRepeat && code === Status.DEADLINE_EXCEEDED)
}

/**
 * Codes that mean the server is unhealthy, as opposed to codes about the request itself
 * (INVALID_ARGUMENT, NOT_FOUND...) or its caller (CANCELLED). Only these count towards opening
 * the circuit breaker.
 */
const SERVER_FAILURES = new Set<number>([
  Status.UNAVAILABLE,
  Status.DEADLINE_EXCEEDED,
  Status.RESOURCE_EXHAUSTED,
  Status.INTERNAL,
  Status.UNKNOWN,
  Status.DATA_LOSS,
])

export function isServerFailure(error: unknown): boolean {
  return isServiceError(error) && SERVER_FAILURES.has(error.code)
}

const CODE_BY_STATUS = new Map<number, GrpcErrorCode>([
  [Status.CANCELLED, 'CHATWIRE_ERR_GRPC_CANCELLED'],
  [Status.UNAVAILABLE, 'CHATWIRE_ERR_GRPC_UNAVAILABLE'],
  [Status.DEADLINE_EXCEEDED, 'CHATWIRE_ERR_GRPC_DEADLINE_EXCEEDED'],
  [Status.RESOURCE_EXHAUSTED, 'CHATWIRE_ERR_GRPC_RESOURCE_EXHAUSTED'],
  [Status.ABORTED, 'CHATWIRE_ERR_GRPC_ABORTED'],
  [Status.INVALID_ARGUMENT, 'CHATWIRE_ERR_GRPC_INVALID_ARGUMENT'],
  [Status.NOT_FOUND, 'CHATWIRE_ERR_GRPC_NOT_FOUND'],
  [Status.PERMISSION_DENIED, 'CHATWIRE_ERR_GRPC_PERMISSION_DENIED'],
  [Status.UNAUTHENTICATED, 'CHATWIRE_ERR_GRPC_UNAUTHENTICATED'],
  [Status.UNIMPLEMENTED, 'CHATWIRE_ERR_GRPC_UNIMPLEMENTED'],
])

/** Facts about the call that failed, copied into the error's `details`. */
export interface FailedCall {
  client: string
  method: string
  target: string
  attempts: number
}

/**
 * Wraps a grpc-js error in a ChatwireError whose code follows the gRPC status, with the status
 * in `details` and the grpc-js error as `cause`.
 */
export function fromServiceError(error: ServiceError, call: FailedCall): ChatwireError {
  const code = CODE_BY_STATUS.get(error.code) ?? 'CHATWIRE_ERR_GRPC_FAILED'
  const name = statusName(error.code)
  const message =
    `${call.client} ${call.method} to ${call.target} failed with ${name}` +
    ` after ${call.attempts} attempt${call.attempts === 1 ? '' : 's'}: ${error.details}`

  return createGrpcError(code, message, {
    cause: error,
    details: { grpcCode: error.code, grpcStatus: name, ...call },
  })
}
