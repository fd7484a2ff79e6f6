import type { GrpcClient } from '@chatwire/core'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'

/** Reads live values when Prometheus scrapes: queue depths and gRPC client counters. */
export interface MetricsSources {
  queueDepth?: (queue: string) => Promise<number>
  queues?: readonly string[]
  grpcClients?: readonly GrpcClient[]
}

const BREAKER_STATES = ['closed', 'open', 'half-open'] as const

/**
 * The server's metrics, one method per event. It owns its Registry, so two servers in one
 * process (or two tests) never share counters.
 */
export class ServerMetrics {
  readonly registry = new Registry()
  readonly #webhooksReceived: Counter<'plugin'>
  readonly #webhooksRejected: Counter<'plugin' | 'reason'>
  readonly #eventsEnqueued: Counter<'plugin'>
  readonly #eventsDuplicate: Counter<'plugin'>
  readonly #jobDuration: Histogram<'queue' | 'outcome'>
  readonly #sends: Counter<'platform' | 'outcome'>
  readonly #deadLetters: Counter<'queue'>
  #sources: MetricsSources = {}

  constructor() {
    const registers = [this.registry]
    this.#webhooksReceived = new Counter({
      name: 'chatwire_webhooks_received_total',
      help: 'Webhook requests received, by plugin route.',
      labelNames: ['plugin'],
      registers,
    })
    this.#webhooksRejected = new Counter({
      name: 'chatwire_webhooks_rejected_total',
      help: 'Webhook requests that got an error response, by plugin route and error code.',
      labelNames: ['plugin', 'reason'],
      registers,
    })
    this.#eventsEnqueued = new Counter({
      name: 'chatwire_events_enqueued_total',
      help: 'Normalized events stored in the inbound queue.',
      labelNames: ['plugin'],
      registers,
    })
    this.#eventsDuplicate = new Counter({
      name: 'chatwire_events_duplicate_total',
      help: 'Normalized events dropped because their id was already seen.',
      labelNames: ['plugin'],
      registers,
    })
    this.#jobDuration = new Histogram({
      name: 'chatwire_job_duration_seconds',
      help: 'Time to process one queue job, by queue and outcome.',
      labelNames: ['queue', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    })
    this.#sends = new Counter({
      name: 'chatwire_sends_total',
      help: 'Platform send attempts, by platform and outcome (sent, retryable, permanent).',
      labelNames: ['platform', 'outcome'],
      registers,
    })
    this.#deadLetters = new Counter({
      name: 'chatwire_dead_letters_total',
      help: 'Jobs moved to the dead-letter table, by queue.',
      labelNames: ['queue'],
      registers,
    })

    const sources = (): MetricsSources => this.#sources
    new Gauge({
      name: 'chatwire_queue_depth',
      help: 'Jobs waiting or running, by queue.',
      labelNames: ['queue'],
      registers,
      async collect() {
        const { queueDepth, queues = [] } = sources()
        this.reset()
        if (queueDepth === undefined) {
          return
        }
        for (const queue of queues) {
          this.set({ queue }, await queueDepth(queue))
        }
      },
    })
    new Gauge({
      name: 'chatwire_grpc_calls',
      help: 'gRPC calls since start, by client and status (OK or the gRPC status name).',
      labelNames: ['client', 'status'],
      registers,
      collect() {
        this.reset()
        for (const client of sources().grpcClients ?? []) {
          const counters = client.counters()
          this.set({ client: client.name, status: 'OK' }, counters.successes)
          for (const [status, count] of Object.entries(counters.failuresByStatus)) {
            this.set({ client: client.name, status }, count)
          }
        }
      },
    })
    new Gauge({
      name: 'chatwire_grpc_breaker_state',
      help: 'Circuit breaker state per gRPC client: 1 for the current state, 0 for the others.',
      labelNames: ['client', 'state'],
      registers,
      collect() {
        this.reset()
        for (const client of sources().grpcClients ?? []) {
          const current = client.counters().breakerState
          for (const state of BREAKER_STATES) {
            this.set({ client: client.name, state }, state === current ? 1 : 0)
          }
        }
      },
    })
  }

  /** Connects the gauges that read live values on each scrape. */
  attach(sources: MetricsSources): void {
    this.#sources = sources
  }

  webhookReceived(plugin: string): void {
    this.#webhooksReceived.inc({ plugin })
  }

  webhookRejected(plugin: string, reason: string): void {
    this.#webhooksRejected.inc({ plugin, reason })
  }

  eventsStored(plugin: string, enqueued: number, duplicates: number): void {
    if (enqueued > 0) {
      this.#eventsEnqueued.inc({ plugin }, enqueued)
    }
    if (duplicates > 0) {
      this.#eventsDuplicate.inc({ plugin }, duplicates)
    }
  }

  jobFinished(queue: string, outcome: 'done' | 'retry' | 'dead-letter', seconds: number): void {
    this.#jobDuration.observe({ queue, outcome }, seconds)
  }

  sendFinished(platform: string, outcome: 'sent' | 'retryable' | 'permanent'): void {
    this.#sends.inc({ platform, outcome })
  }

  deadLettered(queue: string): void {
    this.#deadLetters.inc({ queue })
  }

  /** Returns the exposition text for `GET /metrics`. */
  render(): Promise<string> {
    return this.registry.metrics()
  }

  get contentType(): string {
    return this.registry.contentType
  }
}
