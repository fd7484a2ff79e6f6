import { setTimeout as sleep } from 'node:timers/promises'
import type {
  CallOptions,
  CircuitBreakerState,
  GrpcClient,
  GrpcClientCounters,
  GrpcConnectionInfo,
  GrpcConnectivityState,
  HealthCheckResult,
} from '@chatwire/core'
import { ChatwireError } from '@chatwire/core'
import type { Metadata, ServiceError } from '@grpc/grpc-js'
import { Client, connectivityState, status as Status } from '@grpc/grpc-js'
import type { CircuitBreakerPolicy } from 'cockatiel'
import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, isBrokenCircuitError } from 'cockatiel'
import { CallStats } from './call-stats.js'
import { createChannelCredentials, createChannelOptions } from './channel.js'
import { createGrpcError } from './error-codes.js'
import { HealthCheckResponse_ServingStatus, HealthService } from './gen/grpc/health/v1/health.js'
import type { ClientLogger } from './logger.js'
import { childLogger } from './logger.js'
import type { MetadataDefaults } from './metadata.js'
import { assertLegalClientHeader, createCallMetadata } from './metadata.js'
import type { GrpcClientOptions, ResolvedClientOptions } from './options.js'
import { resolveClientOptions } from './options.js'
import { fromServiceError, isRetryableStatus, isServerFailure, isServiceError, statusName } from './status.js'

/** The parts of a ts-proto method definition that a unary call needs. */
export interface UnaryMethodDefinition<Request, Response> {
  readonly path: string
  readonly requestSerialize: (value: Request) => Buffer
  readonly responseDeserialize: (value: Buffer) => Response
}

export interface UnaryCallSettings extends MetadataDefaults {
  /** The call may be sent again after DEADLINE_EXCEEDED because repeating it changes nothing. */
  safeToRepeat: boolean
}

const NO_METADATA_DEFAULTS: MetadataDefaults = {}

const STATE_NAMES: Record<connectivityState, GrpcConnectivityState> = {
  [connectivityState.IDLE]: 'IDLE',
  [connectivityState.CONNECTING]: 'CONNECTING',
  [connectivityState.READY]: 'READY',
  [connectivityState.TRANSIENT_FAILURE]: 'TRANSIENT_FAILURE',
  [connectivityState.SHUTDOWN]: 'SHUTDOWN',
}

const HEALTH_STATUS: Record<number, HealthCheckResult['status']> = {
  [HealthCheckResponse_ServingStatus.UNKNOWN]: 'UNKNOWN',
  [HealthCheckResponse_ServingStatus.SERVING]: 'SERVING',
  [HealthCheckResponse_ServingStatus.NOT_SERVING]: 'NOT_SERVING',
  [HealthCheckResponse_ServingStatus.SERVICE_UNKNOWN]: 'SERVICE_UNKNOWN',
}

export type ConnectionListener = (info: GrpcConnectionInfo) => void

/**
 * A gRPC client over one grpc-js channel, reused by every call. It adds deadlines, retries with
 * exponential backoff and full jitter, a circuit breaker, health checks, connectivity tracking,
 * call metadata and counters. Subclasses add the typed methods of one service.
 */
export abstract class BaseGrpcClient implements GrpcClient {
  readonly name: string
  /** Fully qualified proto name of the service, also the service name sent in health checks. */
  readonly serviceName: string
  protected readonly options: ResolvedClientOptions
  protected readonly logger: ClientLogger
  readonly #client: Client
  readonly #breaker: CircuitBreakerPolicy
  readonly #stats = new CallStats()
  readonly #listeners = new Set<ConnectionListener>()
  #state: GrpcConnectivityState = 'IDLE'
  #stateChangedAt = Date.now()
  #closed = false

  constructor(name: string, serviceName: string, options: GrpcClientOptions) {
    this.name = name
    this.serviceName = serviceName
    this.options = resolveClientOptions(options)
    this.logger = childLogger(this.options.logger, { grpcClient: name, target: this.options.target })
    assertClientHeader(`${this.options.clientName}/${this.options.clientVersion}`)
    this.#client = new Client(
      this.options.target,
      createChannelCredentials(this.options),
      createChannelOptions(this.options),
    )
    this.#breaker = this.#createBreaker()
    this.#watchConnectivity(connectivityState.IDLE)
  }

  /** Connects the channel and waits until it is READY or the deadline passes. */
  async connect(options: CallOptions = {}): Promise<void> {
    this.#assertOpen('connect')
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs

    await new Promise<void>((resolve, reject) => {
      const signal = options.signal
      const onAbort = (): void => reject(this.#cancelledError('connect'))
      if (signal?.aborted) {
        onAbort()
        return
      }
      signal?.addEventListener('abort', onAbort, { once: true })

      this.#client.waitForReady(Date.now() + timeoutMs, (error) => {
        signal?.removeEventListener('abort', onAbort)
        if (error === undefined || error === null) {
          resolve()
          return
        }
        reject(
          createGrpcError(
            'CHATWIRE_ERR_GRPC_CONNECT_FAILED',
            `${this.name} could not connect to ${this.options.target} within ${timeoutMs} ms` +
              ` (channel state ${this.#state}, security ${this.options.security}).` +
              ' Check that the server is running and uses the same security mode.',
            { cause: error, details: { client: this.name, target: this.options.target, state: this.#state } },
          ),
        )
      })
    })
  }

  /** Closes the channel. Calls in flight finish; later calls fail with CHATWIRE_ERR_GRPC_CLIENT_CLOSED. */
  async close(): Promise<void> {
    if (this.#closed) {
      return
    }
    this.#closed = true
    this.#client.close()
    this.logger.info({ client: this.name }, 'gRPC client closed')
  }

  /**
   * Calls `grpc.health.v1.Health/Check` for this client's service. A failed check resolves with
   * `serving: false` and the reason instead of rejecting.
   */
  async healthCheck(options: CallOptions = {}): Promise<HealthCheckResult> {
    if (this.#closed) {
      return { serving: false, status: 'UNREACHABLE', error: 'the client is closed' }
    }
    const deadline = Date.now() + (options.timeoutMs ?? this.options.defaultTimeoutMs)
    const metadata = createCallMetadata(options, NO_METADATA_DEFAULTS)

    try {
      const response = await this.#invoke(
        HealthService.check,
        { service: this.serviceName },
        metadata,
        deadline,
        options.signal,
      )
      const status = HEALTH_STATUS[response.status] ?? 'UNKNOWN'
      return { serving: status === 'SERVING', status }
    } catch (error) {
      if (isServiceError(error) && error.code === Status.NOT_FOUND) {
        return { serving: false, status: 'SERVICE_UNKNOWN' }
      }
      const reason = isServiceError(error) ? `${statusName(error.code)}: ${error.details}` : String(error)
      return { serving: false, status: 'UNREACHABLE', error: reason }
    }
  }

  connectionInfo(): GrpcConnectionInfo {
    return {
      name: this.name,
      target: this.options.target,
      security: this.options.security,
      state: this.#state,
      stateChangedAt: this.#stateChangedAt,
    }
  }

  counters(): GrpcClientCounters {
    return this.#stats.snapshot(this.breakerState())
  }

  breakerState(): CircuitBreakerState {
    switch (this.#breaker.state) {
      case CircuitState.Closed:
        return 'closed'
      case CircuitState.HalfOpen:
        return 'half-open'
      default:
        return 'open'
    }
  }

  /** Calls `listener` on each connectivity change. Returns a function that removes it. */
  onConnectionChange(listener: ConnectionListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /**
   * Sends a unary call through the circuit breaker, retrying retryable failures until the call
   * deadline. Throws a ChatwireError whose code follows the final gRPC status. The request id and
   * tenant id in `settings` are sent when `options` gives none.
   */
  protected async unary<Request, Response>(
    method: UnaryMethodDefinition<Request, Response>,
    request: Request,
    options: CallOptions,
    settings: UnaryCallSettings,
  ): Promise<Response> {
    const methodName = method.path.slice(method.path.lastIndexOf('/') + 1)
    this.#assertOpen(methodName)
    const signal = options.signal
    if (signal?.aborted) {
      throw this.#cancelledError(methodName)
    }

    const deadline = Date.now() + (options.timeoutMs ?? this.options.defaultTimeoutMs)
    const metadata = createCallMetadata(options, settings)
    this.#stats.callStarted()

    for (let attempt = 1; ; attempt++) {
      try {
        const attemptMetadata = attempt === 1 ? metadata : metadata.clone()
        const attemptDeadline = this.#attemptDeadline(deadline)
        const response = await this.#breaker.execute(() =>
          this.#invoke(method, request, attemptMetadata, attemptDeadline, signal),
        )
        this.#stats.callSucceeded()
        return response
      } catch (error) {
        const delayMs = this.#retryDelay(error, attempt, deadline, settings, signal)
        if (delayMs === undefined) {
          throw this.#finalError(error, methodName, attempt)
        }

        const status = statusName((error as ServiceError).code)
        this.#stats.retryScheduled()
        this.logger.debug({ method: methodName, attempt, status, delayMs }, 'retrying gRPC call')
        await this.#backoff(delayMs, methodName, signal)
      }
    }
  }

  #attemptDeadline(callDeadline: number): number {
    const perAttempt = this.options.retry.perAttemptTimeoutMs
    return perAttempt === undefined ? callDeadline : Math.min(callDeadline, Date.now() + perAttempt)
  }

  /** Returns the wait before the next attempt, or undefined when the failure is final. */
  #retryDelay(
    error: unknown,
    attempt: number,
    deadline: number,
    settings: UnaryCallSettings,
    signal: AbortSignal | undefined,
  ): number | undefined {
    const { maxAttempts, initialDelayMs, maxDelayMs, multiplier } = this.options.retry
    if (attempt >= maxAttempts || signal?.aborted === true || !isServiceError(error)) {
      return undefined
    }
    if (!isRetryableStatus(error.code, settings.safeToRepeat)) {
      return undefined
    }

    // Full jitter: a uniform draw below the exponential bound spreads retries from many clients.
    const bound = Math.min(maxDelayMs, initialDelayMs * multiplier ** (attempt - 1))
    const delayMs = Math.floor(Math.random() * bound)

    // A retry that cannot start before the deadline would only turn the real error into a timeout.
    return Date.now() + delayMs < deadline ? delayMs : undefined
  }

  async #backoff(delayMs: number, methodName: string, signal: AbortSignal | undefined): Promise<void> {
    try {
      await sleep(delayMs, undefined, signal === undefined ? undefined : { signal })
    } catch (error) {
      this.#stats.callFailed(statusName(Status.CANCELLED))
      throw this.#cancelledError(methodName, error)
    }
  }

  #finalError(error: unknown, methodName: string, attempts: number): ChatwireError {
    if (isBrokenCircuitError(error)) {
      this.#stats.callFailed('CIRCUIT_OPEN')
      return createGrpcError(
        'CHATWIRE_ERR_GRPC_CIRCUIT_OPEN',
        `${this.name} ${methodName} was not sent to ${this.options.target} because the circuit breaker` +
          ` is open after ${this.options.breaker.consecutiveFailures} consecutive failures.` +
          ` It lets a trial call through ${this.options.breaker.halfOpenAfterMs} ms after opening.`,
        { cause: error, details: { client: this.name, method: methodName, target: this.options.target } },
      )
    }
    if (!isServiceError(error)) {
      this.#stats.callFailed(statusName(Status.UNKNOWN))
      return ChatwireError.from(error, 'CHATWIRE_ERR_GRPC_FAILED')
    }

    this.#stats.callFailed(statusName(error.code))
    return fromServiceError(error, {
      client: this.name,
      method: methodName,
      target: this.options.target,
      attempts,
    })
  }

  /**
   * Sends one attempt. The grpc-js deadline bounds it, so it needs no timer of its own, and it
   * listens to `signal` only when the caller gave one.
   */
  #invoke<Request, Response>(
    method: UnaryMethodDefinition<Request, Response>,
    request: Request,
    metadata: Metadata,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    if (signal !== undefined) {
      return this.#invokeCancellable(method, request, metadata, deadline, signal)
    }

    return new Promise<Response>((resolve, reject) => {
      this.#client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        metadata,
        { deadline },
        (error, response) => {
          if (error !== null) {
            reject(error)
            return
          }
          resolve(response as Response)
        },
      )
    })
  }

  #invokeCancellable<Request, Response>(
    method: UnaryMethodDefinition<Request, Response>,
    request: Request,
    metadata: Metadata,
    deadline: number,
    signal: AbortSignal,
  ): Promise<Response> {
    return new Promise<Response>((resolve, reject) => {
      const call = this.#client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        metadata,
        { deadline },
        (error, response) => {
          signal.removeEventListener('abort', cancel)
          if (error !== null) {
            reject(error)
            return
          }
          resolve(response as Response)
        },
      )
      function cancel(): void {
        call.cancel()
      }
      signal.addEventListener('abort', cancel, { once: true })
    })
  }

  #createBreaker(): CircuitBreakerPolicy {
    const { consecutiveFailures, halfOpenAfterMs } = this.options.breaker
    const breaker = circuitBreaker(handleWhen(isServerFailure), {
      halfOpenAfter: halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(consecutiveFailures),
    })

    breaker.onBreak(() => {
      this.#stats.breakerOpened()
      this.logger.warn({ client: this.name, halfOpenAfterMs }, 'gRPC circuit breaker opened')
    })
    breaker.onHalfOpen(() => this.logger.info({ client: this.name }, 'gRPC circuit breaker half-open'))
    breaker.onReset(() => this.logger.info({ client: this.name }, 'gRPC circuit breaker closed'))

    return breaker
  }

  #watchConnectivity(current: connectivityState): void {
    const channel = this.#client.getChannel()
    channel.watchConnectivityState(current, Number.POSITIVE_INFINITY, () => {
      const next = channel.getConnectivityState(false)
      this.#state = STATE_NAMES[next]
      this.#stateChangedAt = Date.now()
      this.logger.info({ client: this.name, state: this.#state }, 'gRPC channel state changed')

      const info = this.connectionInfo()
      for (const listener of this.#listeners) {
        listener(info)
      }
      if (next !== connectivityState.SHUTDOWN) {
        this.#watchConnectivity(next)
      }
    })
  }

  #assertOpen(operation: string): void {
    if (this.#closed) {
      throw createGrpcError(
        'CHATWIRE_ERR_GRPC_CLIENT_CLOSED',
        `${this.name} ${operation} was called after close(). Create a new client to reconnect.`,
        { details: { client: this.name, target: this.options.target } },
      )
    }
  }

  #cancelledError(operation: string, cause?: unknown): ChatwireError {
    return createGrpcError(
      'CHATWIRE_ERR_GRPC_CANCELLED',
      `${this.name} ${operation} to ${this.options.target} was cancelled by its AbortSignal.`,
      {
        cause,
        details: {
          client: this.name,
          method: operation,
          grpcCode: Status.CANCELLED,
          grpcStatus: 'CANCELLED',
        },
      },
    )
  }
}

/** Checks the client's user agent, turning the grpc-js error for an illegal header into a coded one. */
function assertClientHeader(clientHeader: string): void {
  try {
    assertLegalClientHeader(clientHeader)
  } catch (error) {
    throw createGrpcError(
      'CHATWIRE_ERR_GRPC_INVALID_OPTIONS',
      `Invalid gRPC client option clientName or clientVersion: ${JSON.stringify(clientHeader)}.` +
        ' Expected printable ASCII characters only, because they are sent in the user-agent header.',
      { cause: error, details: { field: 'clientName' } },
    )
  }
}
