import type { EventBus, Logger, PluginRegistry } from '@chatwire/core'
import type { SqliteStore } from '@chatwire/store-sqlite'
import type { FastifyInstance } from 'fastify'
import type { Dispatcher } from 'undici'
import type { LoadedConfig } from './config/types.js'
import type { ReadinessCheck } from './http/routes/health.js'
import { loadPlugins } from './plugins.js'
import type { PollLoop } from './workers/poll-loop.js'

/**
 * Interval between deletions of expired de-duplication keys. Pruning only frees space, because
 * the store already treats an expired key as absent.
 */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000

/** Part of the gRPC connection manager that the server's lifecycle uses. */
export interface GrpcConnections {
  start(): Promise<unknown>
  isReady(): boolean
  status(): unknown
  close(): Promise<void>
}

export interface ChatwireServerParts {
  loaded: LoadedConfig
  logger: Logger
  app: FastifyInstance
  store: SqliteStore
  plugins: PluginRegistry
  connections: GrpcConnections
  inboundLoop: PollLoop
  outboundLoop: PollLoop
  bus: EventBus
  dispatcher: Dispatcher
}

/**
 * Runs the server: loads plugins, connects the gRPC clients, starts the workers and listens.
 * `stop()` reverses it: stop accepting, drain in-flight requests and jobs, then close the gRPC
 * channels, plugins and store.
 */
export class ChatwireServer {
  readonly #parts: ChatwireServerParts
  #stopping: Promise<void> | undefined
  #url: string | undefined
  #pruneTimer: NodeJS.Timeout | undefined

  constructor(parts: ChatwireServerParts) {
    this.#parts = parts
  }

  /** The listening URL, such as `http://127.0.0.1:8080`, once started. */
  get url(): string {
    if (this.#url === undefined) {
      throw new Error('the server has not started; call start() first')
    }
    return this.#url
  }

  get app(): FastifyInstance {
    return this.#parts.app
  }

  get store(): SqliteStore {
    return this.#parts.store
  }

  get plugins(): PluginRegistry {
    return this.#parts.plugins
  }

  get bus(): EventBus {
    return this.#parts.bus
  }

  async start(): Promise<string> {
    const { loaded, logger, app, plugins, connections, inboundLoop, outboundLoop } = this.#parts
    const { host, port } = loaded.config.server

    const list = await loadPlugins(plugins, loaded)
    logger.info(
      { plugins: list.map((plugin) => `${plugin.manifest.name}@${plugin.manifest.version}`) },
      'plugins loaded',
    )

    await connections.start()
    if (loaded.config.workers.enabled) {
      inboundLoop.start()
      outboundLoop.start()
    }
    this.#pruneTimer = setInterval(() => void this.#prune(), PRUNE_INTERVAL_MS).unref()

    await app.listen({ host, port })
    const address = app.server.address()
    const boundPort = typeof address === 'object' && address !== null ? address.port : port
    this.#url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`
    logger.info(
      { url: this.#url, store: this.#parts.store.path, ready: connections.isReady() },
      'chatwire server listening',
    )
    return this.#url
  }

  /** Returns every readiness check: store writable, gRPC clients healthy, not shutting down. */
  async readiness(): Promise<ReadinessCheck[]> {
    const { store, connections } = this.#parts
    let writable = false
    try {
      writable = await store.isWritable()
    } catch {
      writable = false
    }
    return [
      { name: 'server', ready: this.#stopping === undefined },
      { name: 'store', ready: writable },
      { name: 'grpc', ready: connections.isReady(), detail: connections.status() },
    ]
  }

  async #prune(): Promise<void> {
    try {
      const removed = await this.#parts.store.pruneExpired()
      this.#parts.logger.debug({ removed }, 'expired de-duplication keys removed')
    } catch (error) {
      this.#parts.logger.warn({ err: error }, 'removing expired de-duplication keys failed')
    }
  }

  /** Stops gracefully; safe to call more than once. */
  stop(reason = 'stop requested'): Promise<void> {
    this.#stopping ??= this.#stop(reason)
    return this.#stopping
  }

  async #stop(reason: string): Promise<void> {
    const { loaded, logger, app, store, plugins, connections, inboundLoop, outboundLoop, bus, dispatcher } =
      this.#parts
    const timeoutMs = loaded.config.server.shutdownTimeoutMs
    logger.info({ reason, timeoutMs }, 'chatwire server stopping')
    clearInterval(this.#pruneTimer)

    const steps: [string, () => Promise<unknown>][] = [
      ['http', () => app.close()],
      ['workers', () => Promise.all([inboundLoop.stop(timeoutMs), outboundLoop.stop(timeoutMs)])],
      ['grpc', () => connections.close()],
      ['plugins', () => plugins.close()],
      ['bus', () => bus.close()],
      ['dispatcher', () => dispatcher.close()],
      ['store', () => store.close()],
    ]
    for (const [name, step] of steps) {
      try {
        await step()
      } catch (error) {
        logger.error({ err: error, step: name }, 'shutdown step failed')
      }
    }
    logger.info({}, 'chatwire server stopped')
  }
}
