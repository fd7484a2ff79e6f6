import type { Clock, DedupStore } from '@chatwire/core'
import type Database from 'better-sqlite3'
import type { StoreConnection } from './connection.js'
import { createStoreError } from './errors.js'

/**
 * De-duplication keys in the `dedup_keys` table. The queue's `enqueue` checks and records its
 * `dedupKey`s in the same table, so both share one key space.
 */
export class SqliteDedupStore implements DedupStore {
  readonly #connection: StoreConnection
  readonly #clock: Clock
  readonly #claim: Database.Statement
  readonly #deleteExpired: Database.Statement

  constructor(connection: StoreConnection, clock: Clock) {
    this.#connection = connection
    this.#clock = clock
    // Same statement as the queue's: records a key unless a live copy exists, and returns a row
    // only when it recorded the key.
    this.#claim = connection.db.prepare(
      `INSERT INTO dedup_keys (key, expires_at) VALUES (@key, @expires_at)
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE dedup_keys.expires_at <= @now
       RETURNING 1 AS claimed`,
    )
    this.#deleteExpired = connection.db.prepare('DELETE FROM dedup_keys WHERE expires_at <= ?')
  }

  async claim(keys: readonly string[], ttlMs: number): Promise<boolean[]> {
    if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
      throw createStoreError(
        'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
        `ttlMs must be a positive number of milliseconds, got ${String(ttlMs)}`,
        { details: { name: 'ttlMs' } },
      )
    }

    return this.#connection.writer.submit(() => {
      const now = this.#clock.now()
      const expiresAt = Math.ceil(now + ttlMs)
      return keys.map((key) => this.#claim.get({ key, expires_at: expiresAt, now }) !== undefined)
    })
  }

  /** Deletes keys whose time to live has passed; returns how many were deleted. */
  pruneExpired(): Promise<number> {
    return this.#connection.writer.submit(() => this.#deleteExpired.run(this.#clock.now()).changes)
  }

  /** Closes the whole store, which this de-duplication store shares with the queue. */
  close(): Promise<void> {
    return this.#connection.close()
  }
}
