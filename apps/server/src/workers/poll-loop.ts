import type { DurableQueue, Logger, QueueJob } from '@chatwire/core'

export interface PollLoopOptions {
  queue: DurableQueue
  queueName: string
  concurrency: number
  pollIntervalMs: number
  leaseMs: number
  logger: Logger
  /** Runs one leased job; it must ack, retry or dead-letter the job itself. */
  handle: (job: QueueJob) => Promise<void>
}

/**
 * Leases jobs from one queue and runs up to `concurrency` of them at a time. It polls every
 * `pollIntervalMs` when idle, and at once after `wake()` or a finished job. `stop()` stops
 * leasing and waits for the jobs in flight.
 */
export class PollLoop {
  readonly #options: PollLoopOptions
  readonly #inFlight = new Set<Promise<void>>()
  #running = false
  #timer: NodeJS.Timeout | undefined
  #polling: Promise<void> | undefined
  #pollAgain = false
  #leasedAny = false
  #stopped: Promise<void> | undefined

  constructor(options: PollLoopOptions) {
    this.#options = options
  }

  get inFlight(): number {
    return this.#inFlight.size
  }

  start(): void {
    if (this.#running || this.#stopped !== undefined) {
      return
    }
    this.#running = true
    this.wake()
  }

  /** Polls now instead of waiting for the next interval. */
  wake(): void {
    if (!this.#running) {
      return
    }
    if (this.#polling !== undefined) {
      this.#pollAgain = true
      return
    }
    this.#polling = this.#poll().finally(() => {
      this.#polling = undefined
      this.#scheduleNext()
    })
  }

  async #poll(): Promise<void> {
    const { queue, queueName, concurrency, leaseMs, logger } = this.#options
    clearTimeout(this.#timer)
    this.#timer = undefined

    this.#leasedAny = false
    try {
      const free = concurrency - this.#inFlight.size
      if (free > 0) {
        const jobs = await queue.lease(queueName, { max: free, leaseMs })
        this.#leasedAny = jobs.length > 0
        for (const job of jobs) {
          this.#run(job)
        }
      }
    } catch (error) {
      logger.error({ err: error, queue: queueName }, 'leasing jobs failed')
    }
  }

  #scheduleNext(): void {
    if (!this.#running) {
      return
    }
    const again = this.#pollAgain || (this.#leasedAny && this.#inFlight.size < this.#options.concurrency)
    this.#pollAgain = false
    if (again) {
      setImmediate(() => this.wake())
    } else {
      this.#timer = setTimeout(() => this.wake(), this.#options.pollIntervalMs)
    }
  }

  #run(job: QueueJob): void {
    const task = this.#options
      .handle(job)
      .catch((error: unknown) => {
        this.#options.logger.error({ err: error, queue: job.queue, jobId: job.id }, 'job handler failed')
      })
      .finally(() => {
        this.#inFlight.delete(task)
        this.wake()
      })
    this.#inFlight.add(task)
  }

  /**
   * Stops leasing and waits up to `timeoutMs` for the jobs in flight. A job still running after
   * that keeps its lease until it expires, then runs again in the next process.
   */
  stop(timeoutMs: number): Promise<void> {
    this.#stopped ??= (async () => {
      this.#running = false
      clearTimeout(this.#timer)
      this.#timer = undefined
      // A lease in progress still starts its jobs, so wait for it before collecting them.
      await this.#polling
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs)
      })
      await Promise.race([Promise.allSettled([...this.#inFlight]), timeout])
      clearTimeout(timer)
    })()
    return this.#stopped
  }
}
