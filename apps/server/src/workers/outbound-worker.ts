import type { EventBus, Logger, PluginRegistry, QueueJob } from '@chatwire/core'
import type { SqliteDeliveryStore } from '@chatwire/store-sqlite'
import type { ChannelDirectory } from '../channels.js'
import { createServerError } from '../error-codes.js'
import type { ServerMetrics } from '../metrics.js'
import type { JobOutcomes } from './job-outcome.js'
import { isOutboundJob } from './outbound-job.js'

/** The delivery-state operations the workers use. */
export type DeliveryStateStore = Pick<SqliteDeliveryStore, 'recordSent' | 'applyStatus'>

export interface OutboundWorkerOptions {
  plugins: Pick<PluginRegistry, 'byPlatform'>
  directory: ChannelDirectory
  deliveries: DeliveryStateStore
  outcomes: JobOutcomes
  bus: EventBus
  logger: Logger
  metrics?: ServerMetrics
  sendTimeoutMs: number
}

/**
 * Sends queued replies through the plugin's ChannelSender. A sent message is recorded for
 * delivery tracking. A retryable outcome waits at least the platform's Retry-After. A
 * permanent one is dead-lettered at once with the platform's error.
 */
export class OutboundWorker {
  readonly #options: OutboundWorkerOptions

  constructor(options: OutboundWorkerOptions) {
    this.#options = options
  }

  async handle(job: QueueJob): Promise<void> {
    const startedAt = performance.now()
    const { outcomes } = this.#options
    try {
      await this.#send(job, startedAt)
    } catch (error) {
      await outcomes.failed(job, error, startedAt)
    }
  }

  async #send(job: QueueJob, startedAt: number): Promise<void> {
    const { plugins, directory, deliveries, outcomes, bus, logger, metrics, sendTimeoutMs } = this.#options
    const payload = job.payload
    if (!isOutboundJob(payload)) {
      throw createServerError(
        'CHATWIRE_ERR_SERVER_INVALID_JOB',
        `outbound job ${job.id} has an invalid payload: expected an outbound message`,
      )
    }
    const plugin = plugins.byPlatform(payload.platform)
    if (plugin === undefined) {
      throw createServerError(
        'CHATWIRE_ERR_SERVER_PLUGIN_NOT_LOADED',
        `no plugin for platform ${payload.platform} is loaded; add it to "plugins" and replay the dead letter`,
      )
    }
    const sender = plugin.instance.sender
    if (sender === undefined) {
      throw createServerError(
        'CHATWIRE_ERR_SERVER_NO_SENDER',
        `plugin ${plugin.manifest.name} cannot send messages`,
      )
    }

    const channel = await directory.find(payload.platform, payload.channelAccountId)
    const accessToken = channel?.sendToken
    const outcome = await sender.send(
      {
        platform: payload.platform,
        channelAccountId: payload.channelAccountId,
        recipientId: payload.recipientId,
        conversationId: payload.conversationId,
        replyToMessageId: payload.replyToMessageId,
        content: payload.content,
      },
      { timeoutMs: sendTimeoutMs, credentials: accessToken === undefined ? undefined : { accessToken } },
    )
    metrics?.sendFinished(payload.platform, outcome.status)
    const ids = {
      jobId: job.id,
      eventId: payload.eventId,
      platform: payload.platform,
      attempts: job.attempts,
    }

    switch (outcome.status) {
      case 'sent': {
        const record = await deliveries.recordSent({
          outboundId: job.id,
          platform: payload.platform,
          channelAccountId: payload.channelAccountId,
          recipientId: payload.recipientId,
          platformMessageId: outcome.platformMessageId,
          tenantId: payload.tenantId,
          sentAt: Date.now(),
        })
        await outcomes.done(job, startedAt)
        logger.info({ ...ids, platformMessageId: outcome.platformMessageId }, 'reply sent')
        await bus.publish('message.sent', { job: payload, delivery: record })
        return
      }
      case 'retryable': {
        const message = `${outcome.code ?? 'RETRYABLE'}${outcome.httpStatus === undefined ? '' : ` (HTTP ${outcome.httpStatus})`}: ${outcome.message}`
        logger.info(
          { ...ids, code: outcome.code, retryAfterMs: outcome.retryAfterMs },
          'send failed, will retry',
        )
        await outcomes.retryOrDeadLetter(job, message, startedAt, outcome.retryAfterMs)
        return
      }
      case 'permanent': {
        const message = `${outcome.code}${outcome.httpStatus === undefined ? '' : ` (HTTP ${outcome.httpStatus})`}: ${outcome.message}`
        await outcomes.deadLetter(job, message, startedAt)
        return
      }
    }
  }
}
