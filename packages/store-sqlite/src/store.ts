import { type Clock, type Logger, silentLogger, systemClock } from '@chatwire/core'
import { type StoreConnection, openConnection } from './connection.js'
import { SqliteDedupStore } from './dedup.js'
import { SqliteDeliveryStore } from './deliveries.js'
import { createStoreError } from './errors.js'
import { SqliteQueue } from './queue.js'

/** Meta redelivers unacknowledged webhooks for days and Slack retries up to about 5 minutes later. */
export const DEFAULT_DEDUP_TTL_MS = 48 * 60 * 60 * 1000
export const DEFAULT_MAX_ATTEMPTS = 8
export const DEFAULT_BUSY_TIMEOUT_MS = 5000

export interface SqliteStoreOptions {
  /** Path of the database file; its folder is created. `:memory:` is rejected because it is not durable. */
  path: string
  clock?: Clock
  /** Time a de-duplication key recorded by `enqueue` is kept, in milliseconds. Default 48 hours. */
  dedupTtlMs?: number
  /** Attempts a job gets when its `EnqueueItem` sets none. Default 8. */
  defaultMaxAttempts?: number
  /**
   * `full` (default) syncs the write-ahead log on every commit, so commits survive power loss.
   * `normal` survives a crash of the process, but a power loss can lose the last commits.
   */
  synchronous?: 'full' | 'normal'
  /** Maximum time a write waits for a lock held by another connection, in milliseconds. Default 5000. */
  busyTimeoutMs?: number
  /**
   * Commit all writes made in one event-loop turn in one transaction (default true). Turning it
   * off commits each write alone, which only serves to measure what group commit saves.
   */
  groupCommit?: boolean
  logger?: Logger
}

/** Settings read back from the open connection. */
export interface StoreSettings {
  journalMode: string
  synchronous: 'off' | 'normal' | 'full' | 'extra'
  busyTimeoutMs: number
  /** Location of statement journals and temporary tables. The store sets `memory`. */
  tempStore: 'default' | 'file' | 'memory'
  schemaVersion: number
}

const SYNCHRONOUS_NAMES = ['off', 'normal', 'full', 'extra'] as const
const TEMP_STORE_NAMES = ['default', 'file', 'memory'] as const

export interface SqliteStore {
  readonly path: string
  readonly queue: SqliteQueue
  readonly dedup: SqliteDedupStore
  readonly deliveries: SqliteDeliveryStore
  /** Returns true when a write transaction commits, for readiness checks. Never throws. */
  isWritable(): Promise<boolean>
  /**
   * Deletes expired de-duplication keys and returns how many. It also deletes delivery statuses
   * older than the de-duplication TTL whose message was never recorded as sent.
   */
  pruneExpired(): Promise<number>
  /** Reads the connection's pragmas back, for diagnostics and start-up logs. */
  settings(): Promise<StoreSettings>
  /** Commits pending writes and closes the file; calling it again is harmless. */
  close(): Promise<void>
}

function invalidOption(name: string, message: string) {
  return createStoreError('CHATWIRE_ERR_STORE_INVALID_ARGUMENT', `Invalid store option ${name}: ${message}`, {
    details: { name },
  })
}

function checkOptions(options: SqliteStoreOptions): void {
  const { path, dedupTtlMs, defaultMaxAttempts, synchronous, busyTimeoutMs } = options

  if (typeof path !== 'string' || path.trim() === '') {
    throw invalidOption('path', 'expected the path of a database file')
  }
  if (path === ':memory:' || path.startsWith('file::memory:')) {
    throw invalidOption('path', 'an in-memory database loses every queued job on exit; pass a file path')
  }
  if (dedupTtlMs !== undefined && !(Number.isSafeInteger(dedupTtlMs) && dedupTtlMs > 0)) {
    throw invalidOption(
      'dedupTtlMs',
      `expected a positive integer of milliseconds, got ${String(dedupTtlMs)}`,
    )
  }
  if (
    defaultMaxAttempts !== undefined &&
    !(Number.isSafeInteger(defaultMaxAttempts) && defaultMaxAttempts > 0)
  ) {
    throw invalidOption(
      'defaultMaxAttempts',
      `expected a positive integer, got ${String(defaultMaxAttempts)}`,
    )
  }
  if (synchronous !== undefined && synchronous !== 'full' && synchronous !== 'normal') {
    throw invalidOption('synchronous', `expected 'full' or 'normal', got ${JSON.stringify(synchronous)}`)
  }
  if (busyTimeoutMs !== undefined && !(Number.isSafeInteger(busyTimeoutMs) && busyTimeoutMs >= 0)) {
    throw invalidOption(
      'busyTimeoutMs',
      `expected an integer of milliseconds of 0 or more, got ${String(busyTimeoutMs)}`,
    )
  }
}

/**
 * Opens the embedded store, creating and migrating the file as needed. Throws a ChatwireError
 * coded CHATWIRE_ERR_STORE_* when the file cannot be opened, has a newer schema, or is locked.
 */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  checkOptions(options)

  const clock = options.clock ?? systemClock
  const logger = options.logger ?? silentLogger
  const dedupTtlMs = options.dedupTtlMs ?? DEFAULT_DEDUP_TTL_MS
  const connection = openConnection({
    path: options.path,
    synchronous: options.synchronous ?? 'full',
    busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    groupCommit: options.groupCommit ?? true,
    logger,
  })

  const queue = new SqliteQueue(connection, {
    clock,
    dedupTtlMs,
    defaultMaxAttempts: options.defaultMaxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  })
  const dedup = new SqliteDedupStore(connection, clock)
  const deliveries = new SqliteDeliveryStore(connection, clock)
  logger.debug({ path: connection.path }, 'opened SQLite store')

  return {
    path: connection.path,
    queue,
    dedup,
    deliveries,
    isWritable: () => checkWritable(connection, clock, logger),
    async pruneExpired() {
      const [keys, orphans] = await Promise.all([
        dedup.pruneExpired(),
        deliveries.pruneOrphanStatuses(dedupTtlMs),
      ])
      if (keys > 0 || orphans > 0) {
        logger.debug({ path: connection.path, keys, orphans }, 'pruned expired SQLite store rows')
      }
      return keys
    },
    settings: () =>
      connection.read(() => ({
        journalMode: String(connection.db.pragma('journal_mode', { simple: true })),
        synchronous:
          SYNCHRONOUS_NAMES[connection.db.pragma('synchronous', { simple: true }) as number] ?? 'full',
        busyTimeoutMs: connection.db.pragma('busy_timeout', { simple: true }) as number,
        tempStore:
          TEMP_STORE_NAMES[connection.db.pragma('temp_store', { simple: true }) as number] ?? 'default',
        schemaVersion: connection.db.pragma('user_version', { simple: true }) as number,
      })),
    close: () => connection.close(),
  }
}

async function checkWritable(connection: StoreConnection, clock: Clock, logger: Logger): Promise<boolean> {
  if (connection.closed) {
    return false
  }
  try {
    const statement = connection.db.prepare(
      "INSERT INTO store_meta (key, value) VALUES ('last_write_check', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    await connection.writer.submit(() => statement.run(String(clock.now())))
    return true
  } catch (error) {
    logger.warn({ err: error, path: connection.path }, 'SQLite store is not writable')
    return false
  }
}
