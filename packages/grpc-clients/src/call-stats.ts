import type { CircuitBreakerState, GrpcClientCounters } from '@chatwire/core'

/**
 * Tracks the outcome of a client's calls. Each method names the event it records, and
 * `snapshot()` returns a frozen copy, so readers never see counters change under them.
 */
export class CallStats {
  #calls = 0
  #successes = 0
  #retries = 0
  #breakerOpenings = 0
  readonly #failuresByStatus = new Map<string, number>()

  callStarted(): void {
    this.#calls++
  }

  callSucceeded(): void {
    this.#successes++
  }

  /** Records a call that failed for good, keyed by gRPC status name or `CIRCUIT_OPEN`. */
  callFailed(status: string): void {
    this.#failuresByStatus.set(status, (this.#failuresByStatus.get(status) ?? 0) + 1)
  }

  retryScheduled(): void {
    this.#retries++
  }

  breakerOpened(): void {
    this.#breakerOpenings++
  }

  snapshot(breakerState: CircuitBreakerState): GrpcClientCounters {
    return Object.freeze({
      calls: this.#calls,
      successes: this.#successes,
      failuresByStatus: Object.freeze(Object.fromEntries(this.#failuresByStatus)),
      retries: this.#retries,
      breakerState,
      breakerOpenings: this.#breakerOpenings,
    })
  }
}
