import type { GrpcSecurity } from '@chatwire/core'
import type { ChannelOptions } from '@grpc/grpc-js'
import { createGrpcError } from './error-codes.js'
import type { ClientLogger } from './logger.js'
import { silentLogger } from './logger.js'
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js'

export interface TlsOptions {
  /** PEM of the certificate authority that signed the server certificate; the system roots when unset. */
  ca?: Buffer | string
  /** PEM client certificate, required for mTLS. */
  cert?: Buffer | string
  /** PEM private key of the client certificate, required for mTLS. */
  key?: Buffer | string
  /** Name expected in the server certificate when it differs from the target host. */
  serverName?: string
}

export interface RetryOptions {
  /** Attempts per call, the first one included. 1 turns retries off. */
  maxAttempts?: number
  /** Upper bound of the first backoff delay, in milliseconds. */
  initialDelayMs?: number
  /** Upper bound of any backoff delay, in milliseconds. */
  maxDelayMs?: number
  /** Growth of the backoff bound from one retry to the next. */
  multiplier?: number
  /**
   * Deadline of each attempt, in milliseconds. Unset, one attempt may use the whole call
   * deadline, so DEADLINE_EXCEEDED leaves no time for a retry.
   */
  perAttemptTimeoutMs?: number
}

export interface BreakerOptions {
  /** Consecutive server failures that open the circuit. */
  consecutiveFailures?: number
  /** Time the circuit stays open before one trial call is let through, in milliseconds. */
  halfOpenAfterMs?: number
}

export interface KeepaliveOptions {
  /** Interval between keepalive pings while calls are in flight, in milliseconds. */
  timeMs?: number
  /** Time to wait for a ping acknowledgement before the connection is dropped, in milliseconds. */
  timeoutMs?: number
}

export interface GrpcClientOptions {
  /** Server address as `host:port`. */
  target: string
  security: GrpcSecurity
  tls?: TlsOptions
  /** Deadline of a call when the caller gives none, in milliseconds. */
  defaultTimeoutMs?: number
  retry?: RetryOptions
  breaker?: BreakerOptions
  keepalive?: KeepaliveOptions
  clientName?: string
  clientVersion?: string
  logger?: ClientLogger
  /** Extra grpc-js channel options, applied last. */
  channelOptions?: ChannelOptions
}

export interface ResolvedClientOptions {
  target: string
  security: GrpcSecurity
  tls: TlsOptions
  defaultTimeoutMs: number
  retry: Required<Omit<RetryOptions, 'perAttemptTimeoutMs'>> & { perAttemptTimeoutMs: number | undefined }
  breaker: Required<BreakerOptions>
  keepalive: Required<KeepaliveOptions>
  clientName: string
  clientVersion: string
  logger: ClientLogger
  channelOptions: ChannelOptions
}

/**
 * grpc-go servers close a connection with a `too_many_pings` GOAWAY when its client pings more
 * often than `EnforcementPolicy.MinTime`, 5 minutes by default (package
 * google.golang.org/grpc/keepalive), so the default ping interval stays at that bound.
 */
export const DEFAULT_KEEPALIVE_TIME_MS = 300_000
export const DEFAULT_KEEPALIVE_TIMEOUT_MS = 20_000
export const DEFAULT_TIMEOUT_MS = 5_000

function invalid(field: string, value: unknown, expected: string): never {
  throw createGrpcError(
    'CHATWIRE_ERR_GRPC_INVALID_OPTIONS',
    `Invalid gRPC client option ${field}: ${JSON.stringify(value)}. Expected ${expected}.`,
    { details: { field } },
  )
}

function positive(field: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) {
    return fallback
  }
  if (!Number.isFinite(value) || value < min) {
    invalid(field, value, `a number of at least ${min}`)
  }
  return value
}

/** Checks client options and fills in defaults. Throws CHATWIRE_ERR_GRPC_INVALID_OPTIONS. */
export function resolveClientOptions(options: GrpcClientOptions): ResolvedClientOptions {
  if (typeof options.target !== 'string' || !/^.+:\d+$|^(unix|dns|ipv4|ipv6):/.test(options.target)) {
    invalid('target', options.target, "'host:port'")
  }
  if (!['insecure', 'tls', 'mtls'].includes(options.security)) {
    invalid('security', options.security, "'insecure', 'tls' or 'mtls'")
  }

  const tls = options.tls ?? {}
  if (options.security === 'mtls' && (tls.cert === undefined || tls.key === undefined)) {
    invalid('tls', '<redacted>', 'tls.cert and tls.key (PEM) when security is mtls')
  }
  if (options.security === 'insecure' && (tls.cert !== undefined || tls.key !== undefined)) {
    invalid('security', options.security, "'mtls' when tls.cert and tls.key are given")
  }

  const retry = options.retry ?? {}
  const breaker = options.breaker ?? {}
  const keepalive = options.keepalive ?? {}
  const initialDelayMs = positive('retry.initialDelayMs', retry.initialDelayMs, 100, 0)

  return {
    target: options.target,
    security: options.security,
    tls,
    defaultTimeoutMs: positive('defaultTimeoutMs', options.defaultTimeoutMs, DEFAULT_TIMEOUT_MS),
    retry: {
      maxAttempts: Math.floor(positive('retry.maxAttempts', retry.maxAttempts, 4)),
      initialDelayMs,
      maxDelayMs: positive(
        'retry.maxDelayMs',
        retry.maxDelayMs,
        Math.max(5_000, initialDelayMs),
        initialDelayMs,
      ),
      multiplier: positive('retry.multiplier', retry.multiplier, 2, 1),
      perAttemptTimeoutMs:
        retry.perAttemptTimeoutMs === undefined
          ? undefined
          : positive('retry.perAttemptTimeoutMs', retry.perAttemptTimeoutMs, 0),
    },
    breaker: {
      consecutiveFailures: Math.floor(
        positive('breaker.consecutiveFailures', breaker.consecutiveFailures, 5),
      ),
      halfOpenAfterMs: positive('breaker.halfOpenAfterMs', breaker.halfOpenAfterMs, 10_000),
    },
    keepalive: {
      timeMs: positive('keepalive.timeMs', keepalive.timeMs, DEFAULT_KEEPALIVE_TIME_MS, 10_000),
      timeoutMs: positive('keepalive.timeoutMs', keepalive.timeoutMs, DEFAULT_KEEPALIVE_TIMEOUT_MS),
    },
    clientName: options.clientName ?? PACKAGE_NAME,
    clientVersion: options.clientVersion ?? PACKAGE_VERSION,
    logger: options.logger ?? silentLogger,
    channelOptions: options.channelOptions ?? {},
  }
}
