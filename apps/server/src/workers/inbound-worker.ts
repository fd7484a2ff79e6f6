import type {
  DurableQueue,
  EventBus,
  InteractionEvent,
  Logger,
  MessageReceivedEvent,
  NormalizedEvent,
  QueueJob,
} from '@chatwire/core'
import type { ChannelDirectory } from '../channels.js'
import { createServerError } from '../error-codes.js'
import { OUTBOUND_QUEUE } from '../intake.js'
import type { OutboundJob } from './outbound-job.js'
import type { DeliveryStateStore } from './outbound-worker.js'
import { engineContentOf } from './engine-input.js'
import type { JobOutcomes } from './job-outcome.js'

/** The part of the MCP Engine client the worker calls. */
export interface EngineClient {
  processMessage(
    input: {
      tenantId: string
      conversationId: string
      messageId: string
      userId: string
      channel: string
      content: string
      contentType: string
      processingHints?: Record<string, string>
      timestamp?: Date
      requestId: string
    },
    options?: { timeoutMs?: number; tenantId?: string; requestId?: string },
  ): Promise<{ success: boolean; replyContent: string; errorCode: string; errorMessage: string }>
}

export interface InboundWorkerOptions {
  queue: DurableQueue
  engine: EngineClient
  directory: ChannelDirectory
  deliveries: DeliveryStateStore
  outcomes: JobOutcomes
  bus: EventBus
  logger: Logger
  engineTimeoutMs: number
  /** Attempts stored with each reply job (`workers.maxAttempts`). */
  maxAttempts: number
  /** Called after a reply was enqueued, so the outbound worker polls at once. */
  onReplyQueued?: () => void
}

function isEvent(value: unknown): value is NormalizedEvent {
  const event = value as Partial<NormalizedEvent> | null
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof event.id === 'string' &&
    typeof event.kind === 'string' &&
    typeof event.platform === 'string' &&
    typeof event.channelAccountId === 'string'
  )
}

/**
 * Processes normalized events. A message goes to the engine with the event id as idempotency
 * key, and its reply is queued for sending. A status updates the delivery state.
 */
export class InboundWorker {
  readonly #options: InboundWorkerOptions

  constructor(options: InboundWorkerOptions) {
    this.#options = options
  }

  async handle(job: QueueJob): Promise<void> {
    const startedAt = performance.now()
    const { outcomes } = this.#options
    try {
      if (!isEvent(job.payload)) {
        throw createServerError(
          'CHATWIRE_ERR_SERVER_INVALID_JOB',
          `inbound job ${job.id} has an invalid payload: expected a normalized event`,
        )
      }
      await this.#process(job.payload)
      await outcomes.done(job, startedAt)
    } catch (error) {
      await outcomes.failed(job, error, startedAt)
    }
  }

  async #process(event: NormalizedEvent): Promise<void> {
    switch (event.kind) {
      case 'message.received':
      case 'interaction':
        await this.#converse(event)
        return
      case 'message.status': {
        if (event.platformMessageId === undefined) {
          this.#options.logger.info(
            { eventId: event.id },
            'status event names no message; delivery state unchanged',
          )
          return
        }
        const record = await this.#options.deliveries.applyStatus({
          platform: event.platform,
          platformMessageId: event.platformMessageId,
          status: event.status,
          occurredAt: event.occurredAt,
          errors: event.errors,
        })
        await this.#options.bus.publish('delivery.status', { event, delivery: record })
        return
      }
      default:
        this.#options.logger.debug({ eventId: event.id, kind: event.kind }, 'event has no processing step')
        await this.#options.bus.publish(`event.${event.kind}`, event)
    }
  }

  async #converse(event: MessageReceivedEvent | InteractionEvent): Promise<void> {
    const { engine, directory, queue, logger, engineTimeoutMs } = this.#options
    const channel = await directory.require(event.platform, event.channelAccountId)
    const { content, contentType, hints } = engineContentOf(event)

    const reply = await engine.processMessage(
      {
        tenantId: channel.tenantId,
        conversationId: event.conversationId,
        messageId: event.platformMessageId ?? event.id,
        userId: event.userId,
        channel: event.platform,
        content,
        contentType,
        processingHints: hints,
        timestamp: new Date(event.occurredAt),
        requestId: event.id,
      },
      { timeoutMs: engineTimeoutMs, tenantId: channel.tenantId, requestId: event.id },
    )
    if (!reply.success) {
      throw createServerError(
        'CHATWIRE_ERR_SERVER_ENGINE_REJECTED',
        `the engine could not process event ${event.id}: ${reply.errorCode || 'no code'} ${reply.errorMessage}`.trim(),
        { details: { eventId: event.id, engineErrorCode: reply.errorCode } },
      )
    }
    if (reply.replyContent === '') {
      logger.debug({ eventId: event.id }, 'engine chose not to reply')
      return
    }

    const outbound: OutboundJob = {
      platform: event.platform,
      channelAccountId: event.channelAccountId,
      recipientId: event.userId,
      conversationId: event.conversationId,
      replyToMessageId: event.platformMessageId,
      content: { type: 'text', text: reply.replyContent },
      tenantId: channel.tenantId,
      eventId: event.id,
    }
    // The reply key makes a redelivered or re-run event queue its reply only once.
    const result = await queue.enqueue(OUTBOUND_QUEUE, [
      {
        payload: outbound,
        dedupKey: `reply:${event.id}`,
        groupKey: `conversation:${event.platform}:${event.channelAccountId}:${event.conversationId}`,
        maxAttempts: this.#options.maxAttempts,
      },
    ])
    if (result.enqueued.length > 0) {
      this.#options.onReplyQueued?.()
    }
    logger.debug({ eventId: event.id, duplicate: result.enqueued.length === 0 }, 'reply queued')
  }
}
