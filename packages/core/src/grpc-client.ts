/** Transport security of a gRPC channel, always chosen explicitly in config. */
export type GrpcSecurity = 'insecure' | 'tls' | 'mtls'

/** Connectivity states of a grpc-js channel, by their gRPC spec names. */
export type GrpcConnectivityState = 'IDLE' | 'CONNECTING' | 'READY' | 'TRANSIENT_FAILURE' | 'SHUTDOWN'

export type CircuitBreakerState = 'closed' | 'open' | 'half-open'

/** Options accepted by every outbound call. */
export interface CallOptions {
  signal?: AbortSignal
  /** Deadline of the call, in milliseconds from now. */
  timeoutMs?: number
  requestId?: string
  tenantId?: string
  /** W3C trace context of the caller, sent as the `traceparent` metadata entry. */
  traceparent?: string
}

/** Result of a `grpc.health.v1.Health/Check` call. */
export interface HealthCheckResult {
  serving: boolean
  status: 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN' | 'UNREACHABLE'
  /** The reason when the check itself failed. */
  error?: string
}

export interface GrpcConnectionInfo {
  name: string
  target: string
  security: GrpcSecurity
  state: GrpcConnectivityState
  /** Unix milliseconds of the last connectivity change. */
  stateChangedAt: number
}

/** Read-only counters of one client, exported as metrics by the server. */
export interface GrpcClientCounters {
  readonly calls: number
  readonly successes: number
  /** Failed calls keyed by gRPC status name, for example `UNAVAILABLE`. */
  readonly failuresByStatus: Readonly<Record<string, number>>
  readonly retries: number
  readonly breakerState: CircuitBreakerState
  readonly breakerOpenings: number
}

/** The contract every Chatwire gRPC client implements. */
export interface GrpcClient {
  readonly name: string
  connect(options?: CallOptions): Promise<void>
  close(): Promise<void>
  healthCheck(options?: CallOptions): Promise<HealthCheckResult>
  connectionInfo(): GrpcConnectionInfo
  counters(): GrpcClientCounters
}
