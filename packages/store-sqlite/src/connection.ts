import { dirname, resolve } from 'node:path'
import type { Clock, Logger } from '@chatwire/core'
import Database from 'better-sqlite3'
import { type BackgroundCheckpointer, startBackgroundCheckpoints } from './checkpointer.js'
import { createStoreError, toStoreError } from './errors.js'
import { createFolder } from './folder.js'
import { GroupCommitter } from './group-commit.js'
import { migrate } from './schema.js'

export interface ConnectionOptions {
  path: string
  synchronous: 'full' | 'normal'
  busyTimeoutMs: number
  groupCommit: boolean
  /** Checkpoint interval of the background worker in milliseconds, or undefined for inline checkpoints. */
  checkpointIntervalMs: number | undefined
  logger: Logger
  clock: Clock
}

/**
 * The one SQLite connection a store uses, with its group-commit writer. better-sqlite3 runs
 * statements synchronously, so reads between two batches always see committed data only.
 */
export class StoreConnection {
  readonly db: Database.Database
  readonly path: string
  readonly writer: GroupCommitter
  readonly #checkpointer: BackgroundCheckpointer | undefined
  #closing: Promise<void> | undefined

  constructor(
    db: Database.Database,
    path: string,
    groupCommit: boolean,
    checkpointer: BackgroundCheckpointer | undefined,
  ) {
    this.db = db
    this.path = path
    this.writer = new GroupCommitter(db, path, { grouped: groupCommit })
    this.#checkpointer = checkpointer
  }

  get closed(): boolean {
    return this.#closing !== undefined
  }

  /** Thread that runs WAL checkpoints: `background` while the worker runs, otherwise `inline`. */
  get checkpoints(): 'inline' | 'background' {
    return this.#checkpointer?.running === true ? 'background' : 'inline'
  }

  /** Runs a read-only query now. Its result includes every batch committed so far. */
  async read<T>(query: () => T): Promise<T> {
    if (this.closed) {
      throw createStoreError(
        'CHATWIRE_ERR_STORE_CLOSED',
        `SQLite store ${this.path} is closed; open a new store`,
        {
          details: { path: this.path },
        },
      )
    }
    try {
      return query()
    } catch (error) {
      throw toStoreError(error, 'CHATWIRE_ERR_STORE_READ_FAILED', this.path)
    }
  }

  /** Commits the writes already submitted, then closes the file. Calling it again is harmless. */
  close(): Promise<void> {
    this.#closing ??= this.#closeInOrder()
    return this.#closing
  }

  async #closeInOrder(): Promise<void> {
    await this.writer.close()

    // Only the last connection to a file checkpoints the whole WAL on close and deletes the -wal
    // file. Stopping the worker first makes that this connection, as it is without the worker.
    await this.#checkpointer?.stop()

    this.db.close()
  }
}

/** Opens (creating when missing) and migrates the store file, applying the durability pragmas. */
export function openConnection(options: ConnectionOptions): StoreConnection {
  const path = resolve(options.path)
  let db: Database.Database

  try {
    createFolder(dirname(path))
    db = new Database(path, { timeout: options.busyTimeoutMs })
  } catch (error) {
    throw openFailed(path, error)
  }

  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs}`)
    // Reading a pragma is the first access to the file, so a file that is not a database fails here.
    const mode = db.pragma('journal_mode = WAL', { simple: true })
    if (mode !== 'wal') {
      throw new Error(`journal_mode is ${String(mode)} after requesting WAL`)
    }
    db.pragma(`synchronous = ${options.synchronous.toUpperCase()}`)
    db.pragma('foreign_keys = ON')
    // Each write of a group commit runs in its own savepoint, whose statement journal would
    // otherwise go to a temporary file. In memory it costs about half the system time.
    db.pragma('temp_store = MEMORY')
    const { from, to } = migrate(db, path)
    if (from !== to) {
      options.logger.info({ path, fromVersion: from, toVersion: to }, 'migrated SQLite store schema')
    }
  } catch (error) {
    db.close()
    throw openFailed(path, error)
  }

  let checkpointer: BackgroundCheckpointer | undefined
  if (options.checkpointIntervalMs !== undefined) {
    try {
      checkpointer = startBackgroundCheckpoints(db, {
        synchronous: options.synchronous,
        busyTimeoutMs: options.busyTimeoutMs,
        intervalMs: options.checkpointIntervalMs,
        logger: options.logger,
        clock: options.clock,
      })
    } catch (error) {
      db.close()
      throw openFailed(path, error)
    }
  }

  return new StoreConnection(db, path, options.groupCommit, checkpointer)
}

function openFailed(path: string, error: unknown) {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && /^CHATWIRE_ERR_/.test(code)) {
    return error as Error
  }
  if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) {
    return toStoreError(error, 'CHATWIRE_ERR_STORE_WRITE_FAILED', path)
  }
  const reason = error instanceof Error ? error.message : String(error)
  return createStoreError(
    'CHATWIRE_ERR_STORE_OPEN_FAILED',
    `Failed to open SQLite store ${path}: ${reason}; check that the path names a writable file (not a folder) that is a Chatwire store or does not exist yet`,
    { cause: error, details: { path, ...(typeof code === 'string' ? { sqliteCode: code } : {}) } },
  )
}
