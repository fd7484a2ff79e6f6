import {
  ChatwireError,
  type Clock,
  type DurableQueue,
  type EventBus,
  handleWebhook,
  type LoadedPlugin,
  type Logger,
  type NormalizedEvent,
  type RawWebhookRequest,
  type VerifyOptions,
  type WebhookResult,
} from '@chatwire/core'
import type { ChannelDirectory } from './channels.js'
import { createServerError } from './error-codes.js'
import type { ServerMetrics } from './metrics.js'

export const INBOUND_QUEUE = 'inbound'
export const OUTBOUND_QUEUE = 'outbound'

/** Jobs of one conversation run one at a time, in the order the platform delivered them. */
export function inboundGroupKey(event: NormalizedEvent): string {
  if (event.kind === 'message.status') {
    return `status:${event.platform}:${event.platformMessageId ?? event.id}`
  }
  return `conversation:${event.platform}:${event.channelAccountId}:${event.conversationId}`
}

export interface IntakeOptions {
  directory: ChannelDirectory
  clock: Clock
  logger: Logger
  /** Queue of accepted events; unset for `chatwire inspect`, which stores nothing. */
  queue?: DurableQueue
  metrics?: ServerMetrics
  bus?: EventBus
  maxAttempts?: number
  /** Called after events were stored, so the inbound worker polls at once. */
  onStored?: () => void
}

/**
 * Runs webhook requests through their plugin: verify with the channel's secrets, parse, store
 * the events with their ids as de-duplication keys in one transaction, then acknowledge.
 */
export class Intake {
  readonly #options: IntakeOptions

  constructor(options: IntakeOptions) {
    this.#options = options
  }

  async handle(
    plugin: LoadedPlugin,
    request: RawWebhookRequest,
    maxBodyBytes: number,
  ): Promise<WebhookResult> {
    const { metrics, logger, clock } = this.#options
    const route = plugin.route
    metrics?.webhookReceived(route)

    const result = await handleWebhook(plugin.instance.processor, request, {
      maxBodyBytes,
      clock,
      logger,
      verifyOptions: (req) => this.#verifyOptions(plugin, req),
      onEvents: this.#options.queue === undefined ? undefined : (events) => this.#store(plugin, events),
    })

    if (result.error !== undefined) {
      metrics?.webhookRejected(route, result.error.code)
      // handleWebhook has already logged a failed store with its cause.
      let level: 'debug' | 'info' | 'error' = 'info'
      if (result.stage === 'store') {
        level = 'debug'
      } else if (result.response.status >= 500) {
        level = 'error'
      }
      logger[level](
        { plugin: route, stage: result.stage, status: result.response.status, code: result.error.code },
        'webhook rejected',
      )
    } else {
      logger.debug({ plugin: route, stage: result.stage, events: result.events.length }, 'webhook accepted')
      void this.#options.bus?.publish('webhook.received', {
        plugin: route,
        platform: plugin.manifest.platform,
        eventIds: result.events.map((event) => event.id),
        receivedAt: request.receivedAt,
      })
    }
    return result
  }

  async #verifyOptions(plugin: LoadedPlugin, request: RawWebhookRequest): Promise<VerifyOptions> {
    // Reading the channel account id parses the body, so skip it when no per-channel secret exists.
    if (!this.#options.directory.suppliesWebhookSecrets) {
      return {}
    }
    const channelAccountId = plugin.instance.processor.channelAccountIdOf?.(request)
    if (channelAccountId === undefined) {
      return {}
    }
    try {
      const channel = await this.#options.directory.find(plugin.manifest.platform, channelAccountId)
      return channel === undefined || channel.webhookSecrets.length === 0
        ? {}
        : { secrets: channel.webhookSecrets }
    } catch (error) {
      // A 503 makes the platform redeliver later, when the Security Hub is back.
      throw createServerError(
        'CHATWIRE_ERR_SERVER_CREDENTIALS_UNAVAILABLE',
        `webhook secrets of ${plugin.manifest.platform} channel ${channelAccountId} could not be resolved: ${
          error instanceof ChatwireError ? error.code : 'unexpected error'
        }; the platform will retry`,
        { cause: error },
      )
    }
  }

  async #store(plugin: LoadedPlugin, events: readonly NormalizedEvent[]): Promise<void> {
    const { queue, metrics, bus, maxAttempts, onStored } = this.#options
    if (queue === undefined) {
      return
    }
    const result = await queue.enqueue(
      INBOUND_QUEUE,
      events.map((event) => ({
        payload: event,
        dedupKey: event.id,
        groupKey: inboundGroupKey(event),
        maxAttempts,
      })),
    )
    metrics?.eventsStored(plugin.route, result.enqueued.length, result.duplicates.length)
    if (result.enqueued.length > 0) {
      onStored?.()
    }

    const duplicates = new Set(result.duplicates)
    for (const event of events) {
      if (event.kind === 'message.received' && !duplicates.has(event.id)) {
        void bus?.publish('message.received', event)
      }
    }
  }
}
