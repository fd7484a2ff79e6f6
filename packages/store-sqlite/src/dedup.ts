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
  readonly #selectLive: Database.Statement
  readonly #upsert: Database.Statement
  readonly #deleteExpired: Database.Statement

  constructor(connection: StoreConnection, clock: Clock) {
    this.#connection = connection
    this.#clock = clock
    this.#selectLive = connection.db.prepare('SELECT 1 FROM dedup_keys WHERE key = ? AND expires_at > ?')
    this.#upsert = connection.db.prepare(
      'INSERT INTO dedup_keys (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at',
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
      return keys.map((key) => {
        if (this.#selectLive.get(key, now) !== undefined) {
          return false
        }
        this.#upsert.run(key, Math.ceil(now + ttlMs))
        return true
      })
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
