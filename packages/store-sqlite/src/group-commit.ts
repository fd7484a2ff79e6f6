import type Database from 'better-sqlite3'
import { createStoreError, toStoreError } from './errors.js'

interface PendingWrite {
  run: () => unknown
  resolve: (value: unknown) => void
  reject: (reason: unknown) => void
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown }

/**
 * Runs write operations in shared transactions. Every write submitted in one event-loop turn
 * joins one batch, which is committed on `setImmediate`. Each caller's promise settles only after
 * that commit, so with `synchronous=FULL` a whole batch costs one fsync instead of one per write.
 *
 * Each write runs inside its own savepoint, so a write that throws (an unknown job id, say) is
 * rolled back alone and rejects alone. A failure of the transaction itself (BEGIN, COMMIT, disk
 * full) rolls back the batch and rejects every caller in it with the same error.
 */
export class GroupCommitter {
  readonly #db: Database.Database
  readonly #path: string
  readonly #grouped: boolean
  #pending: PendingWrite[] = []
  #scheduled = false
  #closed = false
  #idle: (() => void)[] = []

  readonly #begin: Database.Statement
  readonly #commit: Database.Statement
  readonly #rollback: Database.Statement
  readonly #savepoint: Database.Statement
  readonly #release: Database.Statement
  readonly #rollbackToSavepoint: Database.Statement

  constructor(db: Database.Database, path: string, options: { grouped: boolean }) {
    this.#db = db
    this.#path = path
    this.#grouped = options.grouped
    this.#begin = db.prepare('BEGIN IMMEDIATE')
    this.#commit = db.prepare('COMMIT')
    this.#rollback = db.prepare('ROLLBACK')
    this.#savepoint = db.prepare('SAVEPOINT chatwire_write')
    this.#release = db.prepare('RELEASE chatwire_write')
    this.#rollbackToSavepoint = db.prepare('ROLLBACK TO chatwire_write')
  }

  /** Queues `run` for the next batch; resolves with its return value once the batch is committed. */
  submit<T>(run: () => T): Promise<T> {
    if (this.#closed) {
      return Promise.reject(
        createStoreError(
          'CHATWIRE_ERR_STORE_CLOSED',
          `SQLite store ${this.#path} is closed; open a new store`,
          {
            details: { path: this.#path },
          },
        ),
      )
    }

    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ run, resolve: resolve as (value: unknown) => void, reject })
      if (!this.#scheduled) {
        this.#scheduled = true
        setImmediate(() => this.#flush())
      }
    })
  }

  /** Rejects later writes and resolves once the writes already submitted are committed. */
  close(): Promise<void> {
    this.#closed = true
    if (!this.#scheduled) {
      return Promise.resolve()
    }
    return new Promise((resolve) => this.#idle.push(resolve))
  }

  #flush(): void {
    const batch = this.#pending
    this.#pending = []
    this.#scheduled = false

    if (this.#grouped) {
      this.#commitBatch(batch)
    } else {
      for (const write of batch) {
        this.#commitBatch([write])
      }
    }

    if (!this.#scheduled) {
      for (const resolve of this.#idle.splice(0)) {
        resolve()
      }
    }
  }

  #commitBatch(batch: readonly PendingWrite[]): void {
    let outcomes: Outcome[]
    try {
      outcomes = this.#runInTransaction(batch)
    } catch (error) {
      const failure = toStoreError(error, 'CHATWIRE_ERR_STORE_WRITE_FAILED', this.#path)
      for (const write of batch) {
        write.reject(failure)
      }
      return
    }

    batch.forEach((write, index) => {
      const outcome = outcomes[index]!
      if (outcome.ok) {
        write.resolve(outcome.value)
      } else {
        write.reject(toStoreError(outcome.error, 'CHATWIRE_ERR_STORE_WRITE_FAILED', this.#path))
      }
    })
  }

  #runInTransaction(batch: readonly PendingWrite[]): Outcome[] {
    const outcomes: Outcome[] = []
    this.#begin.run()

    try {
      for (const write of batch) {
        this.#savepoint.run()
        try {
          outcomes.push({ ok: true, value: write.run() })
          this.#release.run()
        } catch (error) {
          // SQLite rolls back the whole transaction by itself after some errors (SQLITE_FULL,
          // SQLITE_IOERR). The savepoint is then gone, so the batch fails as a whole.
          if (!this.#db.inTransaction) {
            throw error
          }
          this.#rollbackToSavepoint.run()
          this.#release.run()
          outcomes.push({ ok: false, error })
        }
      }
      this.#commit.run()
    } catch (error) {
      if (this.#db.inTransaction) {
        this.#rollback.run()
      }
      throw error
    }

    return outcomes
  }
}
