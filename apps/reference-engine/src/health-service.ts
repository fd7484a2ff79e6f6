import { health } from '@chatwire/grpc-clients/generated'
import type { handleUnaryCall, ServerWritableStream } from '@grpc/grpc-js'
import { status as Status } from '@grpc/grpc-js'

export type ServingStatusName = 'SERVING' | 'NOT_SERVING'

const { HealthCheckResponse_ServingStatus: ServingStatus } = health

/**
 * Serving status per service name for `grpc.health.v1.Health`. The empty name refers to the
 * whole server. Watch streams receive every change.
 */
export class HealthStatusRegistry {
  readonly #statuses = new Map<string, health.HealthCheckResponse_ServingStatus>()
  readonly #watchers = new Map<
    string,
    Set<ServerWritableStream<health.HealthCheckRequest, health.HealthCheckResponse>>
  >()

  constructor(serviceNames: readonly string[]) {
    for (const name of ['', ...serviceNames]) {
      this.#statuses.set(name, ServingStatus.SERVING)
    }
  }

  set(serviceName: string, status: ServingStatusName): void {
    if (!this.#statuses.has(serviceName)) {
      throw new RangeError(
        `Unknown health service name ${JSON.stringify(serviceName)}. Use '' or one of: ${[...this.#statuses.keys()].filter(Boolean).join(', ')}.`,
      )
    }
    const value = ServingStatus[status]
    this.#statuses.set(serviceName, value)
    for (const call of this.#watchers.get(serviceName) ?? []) {
      call.write({ status: value })
    }
  }

  /** Sets every service, and the server as a whole, to one status. */
  setAll(status: ServingStatusName): void {
    for (const name of this.#statuses.keys()) {
      this.set(name, status)
    }
  }

  readonly check: handleUnaryCall<health.HealthCheckRequest, health.HealthCheckResponse> = (
    call,
    callback,
  ) => {
    const status = this.#statuses.get(call.request.service)
    if (status === undefined) {
      callback({ code: Status.NOT_FOUND, details: `unknown service ${call.request.service}` })
      return
    }
    callback(null, { status })
  }

  readonly watch = (
    call: ServerWritableStream<health.HealthCheckRequest, health.HealthCheckResponse>,
  ): void => {
    const name = call.request.service
    call.write({ status: this.#statuses.get(name) ?? ServingStatus.SERVICE_UNKNOWN })

    let watchers = this.#watchers.get(name)
    if (watchers === undefined) {
      watchers = new Set()
      this.#watchers.set(name, watchers)
    }
    watchers.add(call)
    call.on('cancelled', () => watchers.delete(call))
  }

  /** Ends every open Watch stream, so the server can shut down without waiting for them. */
  endWatches(): void {
    for (const watchers of this.#watchers.values()) {
      for (const call of watchers) {
        call.end()
      }
      watchers.clear()
    }
  }
}
