import type { Clock, DeadLetter, DurableQueue, EnqueueItem, EnqueueResult, QueueJob } from '@chatwire/core'
import type { StoreConnection } from './connection.js'
import { createStoreError } from './errors.js'
import type { GroupCommitter } from './group-commit.js'
import { newJobId } from './job-id.js'
import {
  type DeadLetterRow,
  type JobRow,
  type QueueStatements,
  prepareQueueStatements,
} from './queue-statements.js'

export interface SqliteQueueOptions {
  clock: Clock
  dedupTtlMs: number
  defaultMaxAttempts: number
}

function toJob(row: JobRow): QueueJob<unknown> {
  const job: QueueJob<unknown> = {
    id: row.id,
    queue: row.queue,
    payload: JSON.parse(row.payload) as unknown,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    createdAt: row.created_at,
  }
  if (row.group_key !== null) job.groupKey = row.group_key
  if (row.lease_expires_at !== null) job.leaseExpiresAt = row.lease_expires_at
  if (row.last_error !== null) job.lastError = row.last_error
  return job
}

function toDeadLetter(row: DeadLetterRow): DeadLetter<unknown> {
  return {
    id: row.id,
    queue: row.queue,
    payload: JSON.parse(row.payload) as unknown,
    attempts: row.attempts,
    lastError: row.last_error,
    failedAt: row.failed_at,
  }
}

function assertPositiveInteger(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw createStoreError(
      'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
      `${name} must be a positive integer, got ${String(value)}`,
      { details: { name } },
    )
  }
}

function assertNonNegativeNumber(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw createStoreError(
      'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
      `${name} must be a finite number of milliseconds of 0 or more, got ${String(value)}`,
      { details: { name } },
    )
  }
}

function serializePayload(payload: unknown, index: number): string {
  const text = payload === undefined ? undefined : JSON.stringify(payload)
  if (text === undefined) {
    throw createStoreError(
      'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
      `items[${index}].payload cannot be serialized to JSON; pass a JSON value (object, array, string, number, boolean or null)`,
      { details: { index } },
    )
  }
  return text
}

/**
 * The durable queue of the SQLite store. Jobs stay in `jobs` until acked or dead-lettered, so an
 * unfinished job is one still in the table. Only the oldest job of a group is leasable, because
 * every later one has `blocked = 1`, which gives per-conversation ordering.
 */
export class SqliteQueue implements DurableQueue<unknown> {
  readonly #connection: StoreConnection
  readonly #writer: GroupCommitter
  readonly #options: SqliteQueueOptions
  readonly #statements: QueueStatements

  constructor(connection: StoreConnection, options: SqliteQueueOptions) {
    this.#connection = connection
    this.#writer = connection.writer
    this.#options = options
    this.#statements = prepareQueueStatements(connection.db)
  }

  async enqueue(queue: string, items: readonly EnqueueItem<unknown>[]): Promise<EnqueueResult> {
    const rows = items.map((item, index) => {
      if (item.maxAttempts !== undefined)
        assertPositiveInteger(`items[${index}].maxAttempts`, item.maxAttempts)
      return { item, payload: serializePayload(item.payload, index) }
    })

    return this.#writer.submit(() => {
      const now = this.#options.clock.now()
      const result: EnqueueResult = { enqueued: [], duplicates: [] }

      for (const { item, payload } of rows) {
        // A caller-chosen id that is already queued is the same item delivered again. Checking
        // it first leaves the item's de-duplication key unrecorded, as if it never arrived.
        if (item.id !== undefined && this.#statements.jobExists.get(item.id) !== undefined) {
          result.duplicates.push(item.dedupKey ?? item.id)
          continue
        }
        if (
          item.dedupKey !== undefined &&
          this.#statements.claimDedupKey.get({
            key: item.dedupKey,
            expires_at: now + this.#options.dedupTtlMs,
            now,
          }) === undefined
        ) {
          result.duplicates.push(item.dedupKey)
          continue
        }

        const id = item.id ?? newJobId(now)
        const inserted = this.#statements.insertJob.run({
          id,
          queue,
          payload,
          group_key: item.groupKey ?? null,
          max_attempts: item.maxAttempts ?? this.#options.defaultMaxAttempts,
          run_at: item.runAt ?? now,
          created_at: now,
        })
        if (inserted.changes === 0) {
          result.duplicates.push(item.dedupKey ?? id)
          continue
        }
        result.enqueued.push(id)
      }

      return result
    })
  }

  async lease(queue: string, options: { max: number; leaseMs: number }): Promise<QueueJob<unknown>[]> {
    assertPositiveInteger('max', options.max)
    assertPositiveInteger('leaseMs', options.leaseMs)

    return this.#writer.submit(() => {
      const now = this.#options.clock.now()
      const expiresAt = now + options.leaseMs
      const leased: QueueJob<unknown>[] = []

      // Each pass dead-letters exhausted jobs it meets, which can unblock the next job of their
      // group, so pass again until the batch is full or nothing more is available.
      for (let pass = 0; pass < 100 && leased.length < options.max; pass++) {
        const rows = this.#statements.selectAvailable.all({
          queue,
          now,
          max: options.max - leased.length,
        }) as JobRow[]
        let exhausted = 0

        for (const row of rows) {
          if (row.lease_expires_at !== null && row.attempts >= row.max_attempts) {
            this.#moveToDeadLetters(row, exhaustedLeaseError(row), now)
            exhausted += 1
            continue
          }
          this.#statements.markLeased.run({ expires_at: expiresAt, id: row.id })
          leased.push(toJob({ ...row, attempts: row.attempts + 1, lease_expires_at: expiresAt }))
        }

        if (exhausted === 0) {
          break
        }
      }

      return leased
    })
  }

  async ack(jobId: string): Promise<void> {
    return this.#writer.submit(() => {
      // Acking twice, or after the job was dead-lettered, changes nothing and is not an error.
      this.#deleteJob(jobId)
    })
  }

  /**
   * Releases a leased job to run again after `delayMs`. With `countAttempt: false` the lease that
   * just ended is not counted, so waiting out an outage does not use up the job's attempts.
   * A counted retry after the last attempt dead-letters the job.
   */
  async retry(
    jobId: string,
    options: { delayMs: number; error: string; countAttempt?: boolean },
  ): Promise<void> {
    assertNonNegativeNumber('delayMs', options.delayMs)
    const countAttempt = options.countAttempt ?? true

    return this.#writer.submit(() => {
      const now = this.#options.clock.now()
      const row = this.#requireJob(jobId)

      if (countAttempt && row.attempts >= row.max_attempts) {
        this.#moveToDeadLetters(row, options.error, now)
        return
      }
      this.#statements.markRetry.run({
        run_at: Math.ceil(now + options.delayMs),
        error: options.error,
        refund: countAttempt ? 0 : 1,
        id: jobId,
      })
    })
  }

  async deadLetter(jobId: string, error: string): Promise<void> {
    return this.#writer.submit(() => {
      this.#moveToDeadLetters(this.#requireJob(jobId), error, this.#options.clock.now())
    })
  }

  async listDeadLetters(options: { queue?: string; limit?: number } = {}): Promise<DeadLetter<unknown>[]> {
    const limit = options.limit ?? 100
    assertPositiveInteger('limit', limit)

    return this.#connection.read(() => {
      const rows = (
        options.queue === undefined
          ? this.#statements.listDeadLetters.all(limit)
          : this.#statements.listDeadLettersOfQueue.all(options.queue, limit)
      ) as DeadLetterRow[]
      return rows.map(toDeadLetter)
    })
  }

  async replay(ids: readonly string[] | 'all', options: { queue?: string } = {}): Promise<number> {
    return this.#writer.submit(() => {
      const now = this.#options.clock.now()
      const queue = options.queue ?? null

      const selected =
        ids === 'all'
          ? (this.#statements.selectDeadLetterIds.all({ queue }) as { id: string }[]).map((row) => row.id)
          : new Set(ids)

      let replayed = 0
      for (const id of selected) {
        if (this.#replayOne(id, queue, now)) {
          replayed += 1
        }
      }
      return replayed
    })
  }

  async depth(queue: string): Promise<number> {
    return this.#connection.read(() => (this.#statements.countJobs.get(queue) as { count: number }).count)
  }

  /** Closes the whole store, which this queue shares with the de-duplication and delivery tables. */
  close(): Promise<void> {
    return this.#connection.close()
  }

  #requireJob(jobId: string): JobRow {
    const row = this.#statements.selectJob.get(jobId) as JobRow | undefined
    if (row === undefined) {
      throw createStoreError(
        'CHATWIRE_ERR_STORE_JOB_NOT_FOUND',
        `Job ${jobId} is not in the queue; it was acked, dead-lettered or never enqueued, so there is nothing to retry`,
        { details: { jobId } },
      )
    }
    return row
  }

  #moveToDeadLetters(row: JobRow, error: string, now: number): void {
    this.#statements.insertDeadLetter.run({ ...row, last_error: error, failed_at: now })
    this.#deleteJob(row.id)
  }

  /** Deletes a job and lets the next job of its group become leasable. */
  #deleteJob(jobId: string): void {
    const deleted = this.#statements.deleteJob.get(jobId) as
      | { queue: string; group_key: string | null }
      | undefined
    if (deleted?.group_key != null) {
      this.#statements.unblockGroupHead.run(deleted.queue, deleted.group_key)
    }
  }

  /** Moves one dead letter back to the end of its queue (and group) with fresh attempts. */
  #replayOne(id: string, queue: string | null, now: number): boolean {
    const letter = this.#statements.selectDeadLetter.get({ id, queue }) as
      | {
          id: string
          queue: string
          payload: string
          group_key: string | null
          max_attempts: number
          created_at: number
        }
      | undefined
    if (letter === undefined) {
      return false
    }

    const inserted = this.#statements.insertJob.run({
      ...letter,
      run_at: now,
    })
    if (inserted.changes === 0) {
      return false
    }
    this.#statements.deleteDeadLetter.run(id)
    return true
  }
}

function exhaustedLeaseError(row: JobRow): string {
  const error = `lease expired on attempt ${row.attempts} of ${row.max_attempts}: the worker stopped without ack, retry or deadLetter`
  return row.last_error === null ? error : `${error}; last error: ${row.last_error}`
}
