import { type Clock, type Logger, silentLogger, systemClock } from '@chatwire/core'
import { type StoreConnection, openConnection } from './connection.js'
import { SqliteDedupStore } from './dedup.js'
import { SqliteDeliveryStore } from './deliveries.js'
import { SqliteQueue } from './queue.js'
import {
  DEFAULT_BUSY_TIMEOUT_MS,
  DEFAULT_CHECKPOINT_INTERVAL_MS,
  DEFAULT_DEDUP_TTL_MS,
  DEFAULT_MAX_ATTEMPTS,
  type SqliteStoreOptions,
  checkOptions,
} from './store-options.js'

/** Settings read back from the open connection. */
export interface StoreSettings {
  journalMode: string
  synchronous: 'off' | 'normal' | 'full' | 'extra'
  busyTimeoutMs: number
  /** Location of statement journals and temporary tables. The store sets `memory`. */
  tempStore: 'default' | 'file' | 'memory'
  schemaVersion: number
  /** Thread that runs WAL checkpoints: `background` while the worker runs, `inline` when it is off or died. */
  checkpoints: 'inline' | 'background'
  /** WAL size in pages at which the main connection checkpoints inline (`wal_autocheckpoint`). */
  walAutocheckpointPages: number
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
    checkpointIntervalMs:
      options.backgroundCheckpoints === true
        ? (options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS)
        : undefined,
    logger,
    clock,
  })

  const queue = new SqliteQueue(connection, {
    clock,
    dedupTtlMs,
    defaultMaxAttempts: options.defaultMaxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  })
  const dedup = new SqliteDedupStore(connection, clock)
  const deliveries = new SqliteDeliveryStore(connection, clock)
  logger.debug({ path: connection.path, checkpoints: connection.checkpoints }, 'opened SQLite store')

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
        checkpoints: connection.checkpoints,
        walAutocheckpointPages: connection.db.pragma('wal_autocheckpoint', { simple: true }) as number,
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
