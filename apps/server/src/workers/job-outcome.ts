import type { DurableQueue, Logger, QueueJob } from '@chatwire/core'
import type { ServerMetrics } from '../metrics.js'
import { type BackoffOptions, retryDelay } from './backoff.js'
import { classifyFailure, describeFailure } from './failures.js'

/** The queue operations that settle a job. */
export type OutcomeQueue = Pick<DurableQueue, 'ack' | 'retry' | 'deadLetter'>

export interface JobOutcomeOptions {
  queue: OutcomeQueue
  queueName: string
  maxAttempts: number
  backoff: BackoffOptions
  logger: Logger
  metrics?: ServerMetrics
}

/**
 * Acks, retries or dead-letters a job, and records how long it took. Jobs are stored with the
 * real `maxAttempts`, so the store dead-letters a job whose lease ran out on its last attempt
 * (a job that crashes the process on every run). An outage retry is not counted as an attempt.
 */
export class JobOutcomes {
  readonly #options: JobOutcomeOptions
  /**
   * Outage failures in a row, across jobs. An outage is the dependency's state, not the job's,
   * and an outage retry does not count an attempt, so this drives the outage backoff instead.
   */
  #outageStreak = 0

  constructor(options: JobOutcomeOptions) {
    this.#options = options
  }

  async done(job: QueueJob, startedAt: number): Promise<void> {
    this.#outageStreak = 0
    await this.#options.queue.ack(job.id)
    this.#record('done', startedAt)
  }

  /**
   * Settles a failed job. An outage waits with capped backoff and keeps the job's attempts; a
   * permanent failure is dead-lettered at once; anything else retries until `maxAttempts`.
   */
  async failed(job: QueueJob, error: unknown, startedAt: number, retryAfterMs?: number): Promise<void> {
    const { queue, queueName, maxAttempts, backoff, logger } = this.#options
    const kind = classifyFailure(error)
    const message = describeFailure(error)

    if (kind === 'permanent' || (kind === 'transient' && job.attempts >= maxAttempts)) {
      await queue.deadLetter(job.id, message)
      this.#options.metrics?.deadLettered(queueName)
      this.#record('dead-letter', startedAt)
      logger.warn(
        { queue: queueName, jobId: job.id, attempts: job.attempts, kind, lastError: message },
        'job dead-lettered',
      )
      return
    }

    if (kind === 'outage') {
      this.#outageStreak += 1
      const delayMs = retryDelay(this.#outageStreak, backoff, retryAfterMs)
      await queue.retry(job.id, { delayMs, error: message, countAttempt: false })
      this.#record('retry', startedAt)
      logger.debug(
        { queue: queueName, jobId: job.id, attempts: job.attempts - 1, kind, delayMs },
        'job will be retried',
      )
      return
    }

    this.#outageStreak = 0
    const delayMs = retryDelay(job.attempts, backoff, retryAfterMs)
    await queue.retry(job.id, { delayMs, error: message })
    this.#record('retry', startedAt)
    logger.info(
      { queue: queueName, jobId: job.id, attempts: job.attempts, kind, delayMs },
      'job will be retried',
    )
  }

  /** Dead-letters a job whose send failed permanently, with the platform's error. */
  async deadLetter(job: QueueJob, message: string, startedAt: number): Promise<void> {
    const { queue, queueName, logger } = this.#options
    await queue.deadLetter(job.id, message)
    this.#options.metrics?.deadLettered(queueName)
    this.#record('dead-letter', startedAt)
    logger.warn(
      { queue: queueName, jobId: job.id, attempts: job.attempts, lastError: message },
      'job dead-lettered',
    )
  }

  /** Retries a job after a retryable send outcome, or dead-letters it after the last attempt. */
  async retryOrDeadLetter(
    job: QueueJob,
    message: string,
    startedAt: number,
    retryAfterMs?: number,
  ): Promise<void> {
    if (job.attempts >= this.#options.maxAttempts) {
      await this.deadLetter(job, message, startedAt)
      return
    }
    const delayMs = retryDelay(job.attempts, this.#options.backoff, retryAfterMs)
    await this.#options.queue.retry(job.id, { delayMs, error: message })
    this.#record('retry', startedAt)
    this.#options.logger.info(
      { queue: this.#options.queueName, jobId: job.id, attempts: job.attempts, delayMs },
      'job will be retried',
    )
  }

  #record(outcome: 'done' | 'retry' | 'dead-letter', startedAt: number): void {
    this.#options.metrics?.jobFinished(
      this.#options.queueName,
      outcome,
      (performance.now() - startedAt) / 1000,
    )
  }
}
