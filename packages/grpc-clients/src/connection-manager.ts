import type { GrpcClient, GrpcClientCounters, GrpcConnectionInfo, HealthCheckResult } from '@chatwire/core'
import type { ClientLogger } from './logger.js'
import { silentLogger } from './logger.js'

export interface ConnectionManagerOptions {
  clients: readonly GrpcClient[]
  /** Interval between health checks of every client, in milliseconds. */
  healthIntervalMs?: number
  /** Deadline of each connect and health check call, in milliseconds. */
  checkTimeoutMs?: number
  logger?: ClientLogger
}

export interface ClientStatus {
  name: string
  connection: GrpcConnectionInfo
  health: HealthCheckResult | undefined
  /** Unix milliseconds of the last completed health check. */
  checkedAt: number | undefined
  counters: GrpcClientCounters
}

export interface ConnectionStatus {
  ready: boolean
  clients: ClientStatus[]
}

/**
 * Connects a set of gRPC clients, checks their health on an interval and reports readiness.
 * An unreachable server does not make start() fail: the server starts, reports not ready, and
 * becomes ready once every client's health check returns SERVING.
 */
export class ConnectionManager {
  readonly #clients: readonly GrpcClient[]
  readonly #healthIntervalMs: number
  readonly #checkTimeoutMs: number
  readonly #logger: ClientLogger
  readonly #health = new Map<string, { result: HealthCheckResult; checkedAt: number }>()
  #timer: NodeJS.Timeout | undefined
  #checking: Promise<void> | undefined
  #started = false
  #closed = false

  constructor(options: ConnectionManagerOptions) {
    this.#clients = [...options.clients]
    this.#healthIntervalMs = options.healthIntervalMs ?? 5_000
    this.#checkTimeoutMs = options.checkTimeoutMs ?? 2_000
    this.#logger = options.logger ?? silentLogger

    const names = this.#clients.map((client) => client.name)
    const duplicate = names.find((name, index) => names.indexOf(name) !== index)
    if (duplicate !== undefined) {
      throw new TypeError(
        `ConnectionManager received two clients named ${duplicate}. Give each client its own name.`,
      )
    }
  }

  /** Connects every client, runs a first health check and starts the periodic checks. */
  async start(): Promise<ConnectionStatus> {
    if (this.#started) {
      return this.status()
    }
    this.#started = true

    await Promise.all(
      this.#clients.map(async (client) => {
        try {
          await client.connect({ timeoutMs: this.#checkTimeoutMs })
          this.#logger.info(
            { client: client.name, target: client.connectionInfo().target },
            'gRPC client connected',
          )
        } catch (error) {
          this.#logger.warn(
            { client: client.name, target: client.connectionInfo().target, err: error },
            'gRPC client not connected at start; readiness stays false until its health check passes',
          )
        }
      }),
    )
    await this.checkNow()

    this.#timer = setInterval(() => {
      void this.checkNow()
    }, this.#healthIntervalMs)
    this.#timer.unref()

    return this.status()
  }

  /** Runs one health check of every client now. Overlapping calls share one round. */
  checkNow(): Promise<void> {
    this.#checking ??= this.#checkAll().finally(() => {
      this.#checking = undefined
    })
    return this.#checking
  }

  /** Returns whether every client passed its last health check. */
  isReady(): boolean {
    if (!this.#started || this.#closed) {
      return false
    }
    return this.#clients.every((client) => this.#health.get(client.name)?.result.serving === true)
  }

  status(): ConnectionStatus {
    return {
      ready: this.isReady(),
      clients: this.#clients.map((client) => {
        const health = this.#health.get(client.name)
        return {
          name: client.name,
          connection: client.connectionInfo(),
          health: health?.result,
          checkedAt: health?.checkedAt,
          counters: client.counters(),
        }
      }),
    }
  }

  /** Stops the health checks and closes every client. */
  async close(): Promise<void> {
    if (this.#closed) {
      return
    }
    this.#closed = true
    clearInterval(this.#timer)
    await this.#checking
    await Promise.all(this.#clients.map((client) => client.close()))
    this.#logger.info({ clients: this.#clients.map((client) => client.name) }, 'gRPC clients closed')
  }

  async #checkAll(): Promise<void> {
    await Promise.all(
      this.#clients.map(async (client) => {
        if (this.#closed) {
          return
        }
        const result = await client.healthCheck({ timeoutMs: this.#checkTimeoutMs })
        const previous = this.#health.get(client.name)?.result
        this.#health.set(client.name, { result, checkedAt: Date.now() })

        if (previous?.status !== result.status) {
          const log = result.serving ? this.#logger.info : this.#logger.warn
          log.call(
            this.#logger,
            { client: client.name, status: result.status, error: result.error },
            'gRPC dependency health changed',
          )
        }
      }),
    )
  }
}
