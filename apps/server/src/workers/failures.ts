import { ChatwireError } from '@chatwire/core'

/**
 * gRPC client codes that mean the engine or the Security Hub is unreachable or overloaded,
 * not that the request is wrong. Jobs failing with these wait for the dependency without
 * using up their attempts, so an outage never fills the dead-letter table.
 */
const OUTAGE_CODES = new Set([
  'CHATWIRE_ERR_GRPC_UNAVAILABLE',
  'CHATWIRE_ERR_GRPC_DEADLINE_EXCEEDED',
  'CHATWIRE_ERR_GRPC_CIRCUIT_OPEN',
  'CHATWIRE_ERR_GRPC_CONNECT_FAILED',
  'CHATWIRE_ERR_GRPC_RESOURCE_EXHAUSTED',
  'CHATWIRE_ERR_GRPC_ABORTED',
  'CHATWIRE_ERR_GRPC_CLIENT_CLOSED',
  'CHATWIRE_ERR_GRPC_CANCELLED',
])

/** Codes that no retry can fix: the job goes to the dead-letter table at once. */
const PERMANENT_CODES = new Set([
  'CHATWIRE_ERR_SERVER_CHANNEL_UNKNOWN',
  'CHATWIRE_ERR_SERVER_PLUGIN_NOT_LOADED',
  'CHATWIRE_ERR_SERVER_NO_SENDER',
  'CHATWIRE_ERR_SERVER_INVALID_JOB',
  'CHATWIRE_ERR_SERVER_ENGINE_REJECTED',
  'CHATWIRE_ERR_GRPC_INVALID_ARGUMENT',
  'CHATWIRE_ERR_GRPC_INVALID_REQUEST',
  'CHATWIRE_ERR_GRPC_NOT_FOUND',
  'CHATWIRE_ERR_GRPC_PERMISSION_DENIED',
  'CHATWIRE_ERR_GRPC_UNAUTHENTICATED',
  'CHATWIRE_ERR_GRPC_UNIMPLEMENTED',
])

export type FailureKind = 'outage' | 'permanent' | 'transient'

/** Sorts a job failure into outage (wait, attempts kept), permanent (dead-letter) or transient (retry). */
export function classifyFailure(error: unknown): FailureKind {
  if (!(error instanceof ChatwireError)) {
    return 'transient'
  }
  if (OUTAGE_CODES.has(error.code)) {
    return 'outage'
  }
  return PERMANENT_CODES.has(error.code) ? 'permanent' : 'transient'
}

/** Returns `code: message` for the job's last error, never a stack trace. */
export function describeFailure(error: unknown): string {
  if (error instanceof ChatwireError) {
    return `${error.code}: ${error.message}`
  }
  return error instanceof Error ? error.message : String(error)
}
