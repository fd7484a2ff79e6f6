import 'reflect-metadata'
import { readFileSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import { type Clock, type EventBus, type Logger, type PluginRegistry, systemClock } from '@chatwire/core'
import { ConnectionManager, McpEngineClient, SecurityHubClient } from '@chatwire/grpc-clients'
import type { GrpcClientOptions } from '@chatwire/grpc-clients'
import { openSqliteStore, type SqliteStore } from '@chatwire/store-sqlite'
import type { FastifyInstance } from 'fastify'
import type { Logger as PinoLogger } from 'pino'
import {
  container as rootContainer,
  type DependencyContainer,
  type InjectionToken,
  instanceCachingFactory,
} from 'tsyringe'
import { Agent, type Dispatcher } from 'undici'
import { ChannelDirectory } from './channels.js'
import type { GrpcTargetConfig, LoadedConfig } from './config/types.js'
import { InProcessEventBus } from './event-bus.js'
import { createHttpApp } from './http/app.js'
import { RouteRateLimiter } from './http/rate-limit.js'
import { registerAdminRoutes } from './http/routes/admin.js'
import { registerHealthRoutes } from './http/routes/health.js'
import { registerWebhookRoutes } from './http/routes/webhooks.js'
import { INBOUND_QUEUE, Intake, OUTBOUND_QUEUE } from './intake.js'
import { createLogger } from './logger.js'
import { ServerMetrics } from './metrics.js'
import { bodyLimitOf, createPluginRegistry } from './plugins.js'
import { ChatwireServer } from './server.js'
import { InboundWorker } from './workers/inbound-worker.js'
import { JobOutcomes } from './workers/job-outcome.js'
import { OutboundWorker } from './workers/outbound-worker.js'
import { PollLoop } from './workers/poll-loop.js'

/**
 * Injection tokens of the composition root. Every provider is a factory or a value, so the
 * wiring never depends on decorator metadata (esbuild and vitest do not emit it).
 */
export const TOKENS = {
  config: Symbol('chatwire.config') as InjectionToken<LoadedConfig>,
  logger: Symbol('chatwire.logger') as InjectionToken<PinoLogger>,
  clock: Symbol('chatwire.clock') as InjectionToken<Clock>,
  metrics: Symbol('chatwire.metrics') as InjectionToken<ServerMetrics>,
  store: Symbol('chatwire.store') as InjectionToken<SqliteStore>,
  dispatcher: Symbol('chatwire.dispatcher') as InjectionToken<Dispatcher>,
  engine: Symbol('chatwire.engine') as InjectionToken<McpEngineClient>,
  securityHub: Symbol('chatwire.securityHub') as InjectionToken<SecurityHubClient | undefined>,
  connections: Symbol('chatwire.connections') as InjectionToken<ConnectionManager>,
  plugins: Symbol('chatwire.plugins') as InjectionToken<PluginRegistry>,
  directory: Symbol('chatwire.directory') as InjectionToken<ChannelDirectory>,
  bus: Symbol('chatwire.bus') as InjectionToken<EventBus>,
  intake: Symbol('chatwire.intake') as InjectionToken<Intake>,
  rateLimiter: Symbol('chatwire.rateLimiter') as InjectionToken<RouteRateLimiter>,
  inboundLoop: Symbol('chatwire.inboundLoop') as InjectionToken<PollLoop>,
  outboundLoop: Symbol('chatwire.outboundLoop') as InjectionToken<PollLoop>,
  app: Symbol('chatwire.app') as InjectionToken<FastifyInstance>,
  server: Symbol('chatwire.server') as InjectionToken<ChatwireServer>,
} as const

export interface ContainerOverrides {
  /** A logger to use instead of one built from `logging.level`. */
  logger?: PinoLogger
  clock?: Clock
}

function readPem(baseDir: string, file: string | undefined): Buffer | undefined {
  return file === undefined ? undefined : readFileSync(resolvePath(baseDir, file))
}

function grpcOptions(target: GrpcTargetConfig, baseDir: string, logger: Logger): GrpcClientOptions {
  return {
    target: target.target,
    security: target.security,
    tls:
      target.tls === undefined
        ? undefined
        : {
            ca: readPem(baseDir, target.tls.caFile),
            cert: readPem(baseDir, target.tls.certFile),
            key: readPem(baseDir, target.tls.keyFile),
            serverName: target.tls.serverName,
          },
    defaultTimeoutMs: target.timeoutMs,
    breaker: target.breaker,
    clientName: '@chatwire/server',
    logger,
  }
}

/**
 * Registers every component of the server in a child container of tsyringe's root container
 * and returns it; `container.resolve(TOKENS.server)` builds the whole graph.
 */
export function createServerContainer(
  loaded: LoadedConfig,
  overrides: ContainerOverrides = {},
): DependencyContainer {
  const c = rootContainer.createChildContainer()
  const { config } = loaded
  const single = <T>(token: InjectionToken<T>, build: (d: DependencyContainer) => T): void => {
    c.register(token, { useFactory: instanceCachingFactory(build) })
  }

  c.register(TOKENS.config, { useValue: loaded })
  c.register(TOKENS.clock, { useValue: overrides.clock ?? systemClock })
  single(TOKENS.logger, () => overrides.logger ?? createLogger({ level: config.logging.level }))
  single(TOKENS.metrics, () => new ServerMetrics())
  single(TOKENS.dispatcher, () => new Agent({ connections: 64, keepAliveTimeout: 10_000 }))

  single(TOKENS.store, (d) =>
    openSqliteStore({
      path: config.store.path,
      clock: d.resolve(TOKENS.clock),
      synchronous: config.store.synchronous,
      backgroundCheckpoints: config.store.backgroundCheckpoints,
      dedupTtlMs: config.store.dedupTtlHours * 3_600_000,
      defaultMaxAttempts: config.workers.maxAttempts,
      logger: d.resolve(TOKENS.logger).child({ component: 'store' }),
    }),
  )

  single(
    TOKENS.engine,
    (d) =>
      new McpEngineClient(
        grpcOptions(config.engine, loaded.baseDir, d.resolve(TOKENS.logger).child({ component: 'engine' })),
      ),
  )
  single(TOKENS.securityHub, (d) => {
    const hub = config.securityHub
    if (hub === undefined) {
      return undefined
    }
    return new SecurityHubClient({
      ...grpcOptions(hub, loaded.baseDir, d.resolve(TOKENS.logger).child({ component: 'security-hub' })),
      resolveChannelCacheTtlMs: hub.cacheTtlMs,
    })
  })
  single(TOKENS.connections, (d) => {
    const hub = d.resolve(TOKENS.securityHub)
    return new ConnectionManager({
      clients: hub === undefined ? [d.resolve(TOKENS.engine)] : [d.resolve(TOKENS.engine), hub],
      healthIntervalMs: 2_000,
      logger: d.resolve(TOKENS.logger).child({ component: 'grpc' }),
    })
  })

  single(TOKENS.plugins, (d) =>
    createPluginRegistry(loaded, {
      logger: d.resolve(TOKENS.logger),
      clock: d.resolve(TOKENS.clock),
      dispatcher: d.resolve(TOKENS.dispatcher),
    }),
  )
  single(TOKENS.directory, (d) => {
    const hub = d.resolve(TOKENS.securityHub)
    return new ChannelDirectory({
      channels: config.channels,
      resolver: hub !== undefined && config.securityHub?.resolveChannels === true ? hub : undefined,
    })
  })
  single(TOKENS.bus, (d) => new InProcessEventBus(d.resolve(TOKENS.logger).child({ component: 'bus' })))
  single(TOKENS.rateLimiter, () => new RouteRateLimiter(config.server.rateLimit))

  single(
    TOKENS.intake,
    (d) =>
      new Intake({
        directory: d.resolve(TOKENS.directory),
        clock: d.resolve(TOKENS.clock),
        logger: d.resolve(TOKENS.logger).child({ component: 'intake' }),
        queue: d.resolve(TOKENS.store).queue,
        metrics: d.resolve(TOKENS.metrics),
        bus: d.resolve(TOKENS.bus),
        maxAttempts: config.workers.maxAttempts,
        onStored: () => d.resolve(TOKENS.inboundLoop).wake(),
      }),
  )

  const outcomes = (d: DependencyContainer, queueName: string) =>
    new JobOutcomes({
      queue: d.resolve(TOKENS.store).queue,
      queueName,
      maxAttempts: config.workers.maxAttempts,
      backoff: config.workers.backoff,
      logger: d.resolve(TOKENS.logger).child({ component: `${queueName}-worker` }),
      metrics: d.resolve(TOKENS.metrics),
    })

  single(TOKENS.inboundLoop, (d) => {
    const worker = new InboundWorker({
      queue: d.resolve(TOKENS.store).queue,
      engine: d.resolve(TOKENS.engine),
      directory: d.resolve(TOKENS.directory),
      deliveries: d.resolve(TOKENS.store).deliveries,
      outcomes: outcomes(d, INBOUND_QUEUE),
      bus: d.resolve(TOKENS.bus),
      logger: d.resolve(TOKENS.logger).child({ component: 'inbound-worker' }),
      engineTimeoutMs: config.engine.timeoutMs,
      maxAttempts: config.workers.maxAttempts,
      onReplyQueued: () => d.resolve(TOKENS.outboundLoop).wake(),
    })
    return new PollLoop({
      queue: d.resolve(TOKENS.store).queue,
      queueName: INBOUND_QUEUE,
      concurrency: config.workers.concurrency,
      pollIntervalMs: config.workers.pollIntervalMs,
      leaseMs: config.workers.leaseMs,
      logger: d.resolve(TOKENS.logger).child({ component: 'inbound-worker' }),
      handle: (job) => worker.handle(job),
    })
  })
  single(TOKENS.outboundLoop, (d) => {
    const worker = new OutboundWorker({
      plugins: d.resolve(TOKENS.plugins),
      directory: d.resolve(TOKENS.directory),
      deliveries: d.resolve(TOKENS.store).deliveries,
      outcomes: outcomes(d, OUTBOUND_QUEUE),
      bus: d.resolve(TOKENS.bus),
      logger: d.resolve(TOKENS.logger).child({ component: 'outbound-worker' }),
      metrics: d.resolve(TOKENS.metrics),
      sendTimeoutMs: config.workers.sendTimeoutMs,
    })
    return new PollLoop({
      queue: d.resolve(TOKENS.store).queue,
      queueName: OUTBOUND_QUEUE,
      concurrency: config.workers.concurrency,
      pollIntervalMs: config.workers.pollIntervalMs,
      leaseMs: config.workers.leaseMs,
      logger: d.resolve(TOKENS.logger).child({ component: 'outbound-worker' }),
      handle: (job) => worker.handle(job),
    })
  })

  single(TOKENS.app, (d) => {
    const metrics = d.resolve(TOKENS.metrics)
    const store = d.resolve(TOKENS.store)
    const hub = d.resolve(TOKENS.securityHub)
    const app = createHttpApp({
      logger: d.resolve(TOKENS.logger),
      metrics,
      bodyLimitBytes: config.server.bodyLimitBytes,
      trustProxy: config.server.trustProxy,
    })
    metrics.attach({
      queueDepth: (queue) => store.queue.depth(queue),
      queues: [INBOUND_QUEUE, OUTBOUND_QUEUE],
      grpcClients: hub === undefined ? [d.resolve(TOKENS.engine)] : [d.resolve(TOKENS.engine), hub],
    })
    registerWebhookRoutes(app, {
      plugins: d.resolve(TOKENS.plugins),
      intake: d.resolve(TOKENS.intake),
      rateLimiter: d.resolve(TOKENS.rateLimiter),
      metrics,
      bodyLimitBytes: config.server.bodyLimitBytes,
      bodyLimitFor: (plugin) => bodyLimitOf(loaded, plugin),
    })
    registerHealthRoutes(app, { metrics, readiness: () => d.resolve(TOKENS.server).readiness() })
    if (config.admin.enabled) {
      registerAdminRoutes(app, {
        authority: hub,
        queue: store.queue,
        plugins: d.resolve(TOKENS.plugins),
        rateLimiter: d.resolve(TOKENS.rateLimiter),
      })
    }
    return app
  })

  single(
    TOKENS.server,
    (d) =>
      new ChatwireServer({
        loaded,
        logger: d.resolve(TOKENS.logger),
        app: d.resolve(TOKENS.app),
        store: d.resolve(TOKENS.store),
        plugins: d.resolve(TOKENS.plugins),
        connections: d.resolve(TOKENS.connections),
        inboundLoop: d.resolve(TOKENS.inboundLoop),
        outboundLoop: d.resolve(TOKENS.outboundLoop),
        bus: d.resolve(TOKENS.bus),
        dispatcher: d.resolve(TOKENS.dispatcher),
      }),
  )

  return c
}

/** Builds the container and returns the server, ready to `start()`. */
export function createServer(loaded: LoadedConfig, overrides: ContainerOverrides = {}): ChatwireServer {
  return createServerContainer(loaded, overrides).resolve(TOKENS.server)
}

/**
 * Resolves every token of the container and returns their names, without starting anything.
 * `chatwire validate-config` runs it, so the wiring of the built output is checked too.
 */
export function resolveWiring(c: DependencyContainer): string[] {
  return Object.entries(TOKENS).map(([name, token]) => {
    c.resolve(token as InjectionToken<unknown>)
    return name
  })
}
