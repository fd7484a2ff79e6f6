import { randomUUID } from 'node:crypto'
import type { Clock, DeadLetter, DurableQueue, EnqueueItem, EnqueueResult, QueueJob } from '@chatwire/core'
import type Database from 'better-sqlite3'
import { createStoreError } from './errors.js'
import type { GroupCommitter } from './group-commit.js'
import type { StoreConnection } from './connection.js'

interface JobRow {
  id: string
  queue: string
  payload: string
  group_key: string | null
  attempts: number
  max_attempts: number
  run_at: number
  lease_expires_at: number | null
  last_error: string | null
  created_at: number
}

interface DeadLetterRow {
  id: string
  queue: string
  payload: string
  attempts: number
  last_error: string
  failed_at: number
}

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
 * unfinished job is one still in the table. Only the oldest row of a group key is leasable, which
 * gives per-conversation ordering without extra state.
 */
export class SqliteQueue implements DurableQueue<unknown> {
  readonly #connection: StoreConnection
  readonly #writer: GroupCommitter
  readonly #options: SqliteQueueOptions
  readonly #statements: ReturnType<typeof prepareQueueStatements>

  constructor(connection: StoreConnection, options: SqliteQueueOptions) {
    this.#connection = connection
    this.#writer = connection.writer
    this.#options = options
    this.#statements = prepareQueueStatements(connection.db)
  }

  async enqueue(queue: string, items: readonly EnqueueItem<unknown>[]): Promise<EnqueueResult> {
    const rows = items.map((item, index) => {
      if (item.maxAttempts !== undefined) assertPositiveInteger(`items[${index}].maxAttempts`, item.maxAttempts)
      return { item, payload: serializePayload(item.payload, index) }
    })

    return this.#writer.submit(() => {
      const now = this.#options.clock.now()
      const result: EnqueueResult = { enqueued: [], duplicates: [] }

      for (const { item, payload } of rows) {
        if (item.dedupKey !== undefined) {
          const seen = this.#statements.selectLiveDedupKey.get(item.dedupKey, now)
          if (seen !== undefined) {
            result.duplicates.push(item.dedupKey)
            continue
          }
        }

        const id = item.id ?? randomUUID()
        const inserted = this.#statements.insertJob.run({
          id,
          queue,
          payload,
          group_key: item.groupKey ?? null,
          max_attempts: item.maxAttempts ?? this.#options.defaultMaxAttempts,
          run_at: item.runAt ?? now,
          created_at: now,
        })
        // A caller-chosen id that is already queued is the same item delivered again.
        if (inserted.changes === 0) {
          result.duplicates.push(item.dedupKey ?? id)
          continue
        }

        if (item.dedupKey !== undefined) {
          this.#statements.upsertDedupKey.run(item.dedupKey, now + this.#options.dedupTtlMs)
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
      this.#deadLetterExhausted(queue, now)

      const rows = this.#statements.selectLeasable.all({ queue, now, max: options.max }) as JobRow[]
      for (const row of rows) {
        this.#statements.markLeased.run(expiresAt, row.id)
        row.attempts += 1
        row.lease_expires_at = expiresAt
      }
      return rows.map(toJob)
    })
  }

  async ack(jobId: string): Promise<void> {
    return this.#writer.submit(() => {
      // Acking twice, or after the job was dead-lettered, changes nothing and is not an error.
      this.#statements.deleteJob.run(jobId)
    })
  }

  async retry(jobId: string, options: { delayMs: number; error: string }): Promise<void> {
    assertNonNegativeNumber('delayMs', options.delayMs)

    return this.#writer.submit(() => {
      const now = this.#options.clock.now()
      const row = this.#requireJob(jobId)

      if (row.attempts >= row.max_attempts) {
        this.#moveToDeadLetters(row, options.error, now)
        return
      }
      this.#statements.markRetry.run(Math.ceil(now + options.delayMs), options.error, jobId)
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
        if (this.#statements.replayOne.run({ id, queue, now }).changes === 1) {
          this.#statements.deleteDeadLetter.run(id)
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
    this.#statements.deleteJob.run(row.id)
  }

  /**
   * Dead-letters jobs whose last allowed lease ran out, so a payload that crashes the worker
   * every time stops after `maxAttempts` instead of running forever.
   */
  #deadLetterExhausted(queue: string, now: number): void {
    const rows = this.#statements.selectExhausted.all(queue, now) as JobRow[]
    for (const row of rows) {
      const error = `lease expired on attempt ${row.attempts} of ${row.max_attempts}: the worker stopped without ack, retry or deadLetter`
      this.#moveToDeadLetters(row, row.last_error === null ? error : `${error}; last error: ${row.last_error}`, now)
    }
  }
}

function prepareQueueStatements(db: Database.Database) {
  return {
    selectLiveDedupKey: db.prepare('SELECT 1 FROM dedup_keys WHERE key = ? AND expires_at > ?'),
    upsertDedupKey: db.prepare(
      'INSERT INTO dedup_keys (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at',
    ),
    insertJob: db.prepare(
      `INSERT INTO jobs (id, queue, payload, group_key, max_attempts, run_at, created_at)
       VALUES (@id, @queue, @payload, @group_key, @max_attempts, @run_at, @created_at)
       ON CONFLICT (id) DO NOTHING`,
    ),
    selectLeasable: db.prepare(
      `SELECT id, queue, payload, group_key, attempts, max_attempts, run_at, lease_expires_at, last_error, created_at
       FROM jobs AS job
       WHERE queue = @queue
         AND run_at <= @now
         AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
         AND (group_key IS NULL OR seq = (
           SELECT MIN(head.seq) FROM jobs AS head WHERE head.queue = job.queue AND head.group_key = job.group_key
         ))
       ORDER BY seq
       LIMIT @max`,
    ),
    selectExhausted: db.prepare(
      `SELECT id, queue, payload, group_key, attempts, max_attempts, run_at, lease_expires_at, last_error, created_at
       FROM jobs
       WHERE queue = ? AND lease_expires_at <= ? AND attempts >= max_attempts`,
    ),
    markLeased: db.prepare('UPDATE jobs SET attempts = attempts + 1, lease_expires_at = ? WHERE id = ?'),
    markRetry: db.prepare('UPDATE jobs SET run_at = ?, last_error = ?, lease_expires_at = NULL WHERE id = ?'),
    selectJob: db.prepare(
      `SELECT id, queue, payload, group_key, attempts, max_attempts, run_at, lease_expires_at, last_error, created_at
       FROM jobs WHERE id = ?`,
    ),
    deleteJob: db.prepare('DELETE FROM jobs WHERE id = ?'),
    insertDeadLetter: db.prepare(
      `INSERT INTO dead_letters (id, queue, payload, group_key, attempts, max_attempts, last_error, created_at, failed_at)
       VALUES (@id, @queue, @payload, @group_key, @attempts, @max_attempts, @last_error, @created_at, @failed_at)
       ON CONFLICT (id) DO UPDATE SET
         queue = excluded.queue, payload = excluded.payload, group_key = excluded.group_key,
         attempts = excluded.attempts, max_attempts = excluded.max_attempts, last_error = excluded.last_error,
         created_at = excluded.created_at, failed_at = excluded.failed_at`,
    ),
    listDeadLetters: db.prepare(
      'SELECT id, queue, payload, attempts, last_error, failed_at FROM dead_letters ORDER BY failed_at, id LIMIT ?',
    ),
    listDeadLettersOfQueue: db.prepare(
      'SELECT id, queue, payload, attempts, last_error, failed_at FROM dead_letters WHERE queue = ? ORDER BY failed_at, id LIMIT ?',
    ),
    replayOne: db.prepare(
      `INSERT INTO jobs (id, queue, payload, group_key, max_attempts, run_at, created_at)
       SELECT id, queue, payload, group_key, max_attempts, @now, created_at FROM dead_letters
       WHERE id = @id AND (@queue IS NULL OR queue = @queue)
       ON CONFLICT (id) DO NOTHING`,
    ),
    deleteDeadLetter: db.prepare('DELETE FROM dead_letters WHERE id = ?'),
    selectDeadLetterIds: db.prepare(
      'SELECT id FROM dead_letters WHERE (@queue IS NULL OR queue = @queue) ORDER BY failed_at, id',
    ),
    countJobs: db.prepare('SELECT COUNT(*) AS count FROM jobs WHERE queue = ?'),
  }
}
