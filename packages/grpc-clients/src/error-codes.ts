import { createErrorFactory } from '@chatwire/core'

/**
 * Every error code that @chatwire/grpc-clients raises, with the HTTP status used when the
 * error ends a request. docs/errors.md documents each one, and a test fails when they drift.
 */
export const grpcErrorCodes = {
  CHATWIRE_ERR_GRPC_INVALID_OPTIONS: {},
  CHATWIRE_ERR_GRPC_INVALID_REQUEST: { statusCode: 400 },
  CHATWIRE_ERR_GRPC_CLIENT_CLOSED: { statusCode: 503 },
  CHATWIRE_ERR_GRPC_CONNECT_FAILED: { statusCode: 503 },
  CHATWIRE_ERR_GRPC_CIRCUIT_OPEN: { statusCode: 503 },
  CHATWIRE_ERR_GRPC_CANCELLED: { statusCode: 499 },
  CHATWIRE_ERR_GRPC_UNAVAILABLE: { statusCode: 503 },
  CHATWIRE_ERR_GRPC_DEADLINE_EXCEEDED: { statusCode: 504 },
  CHATWIRE_ERR_GRPC_RESOURCE_EXHAUSTED: { statusCode: 503 },
  CHATWIRE_ERR_GRPC_ABORTED: { statusCode: 503 },
  CHATWIRE_ERR_GRPC_INVALID_ARGUMENT: { statusCode: 400 },
  CHATWIRE_ERR_GRPC_NOT_FOUND: { statusCode: 404 },
  CHATWIRE_ERR_GRPC_PERMISSION_DENIED: { statusCode: 403 },
  CHATWIRE_ERR_GRPC_UNAUTHENTICATED: { statusCode: 401 },
  CHATWIRE_ERR_GRPC_UNIMPLEMENTED: { statusCode: 501 },
  CHATWIRE_ERR_GRPC_FAILED: { statusCode: 502 },
} as const

export type GrpcErrorCode = keyof typeof grpcErrorCodes

export const createGrpcError = createErrorFactory(grpcErrorCodes)
