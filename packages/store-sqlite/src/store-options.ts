import type { Clock, Logger } from '@chatwire/core'
import { DEFAULT_CHECKPOINT_INTERVAL_MS } from './checkpointer.js'
import { createStoreError } from './errors.js'

/** Meta redelivers unacknowledged webhooks for days and Slack retries up to about 5 minutes later. */
export const DEFAULT_DEDUP_TTL_MS = 48 * 60 * 60 * 1000
export const DEFAULT_MAX_ATTEMPTS = 8
export const DEFAULT_BUSY_TIMEOUT_MS = 5000
export { DEFAULT_CHECKPOINT_INTERVAL_MS }

/** Node turns a longer timer delay into 1 ms, with only a TimeoutOverflowWarning. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1

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
  /**
   * Run WAL checkpoints in a worker thread with its own connection (default false), so the event
   * loop rarely stalls while SQLite copies the WAL into the database file. Off, no thread is started
   * and SQLite checkpoints inline, in the commit that takes the WAL past 1000 pages.
   */
  backgroundCheckpoints?: boolean
  /** Time between two checkpoints of the background worker, in milliseconds. Default 20. */
  checkpointIntervalMs?: number
  logger?: Logger
}

function invalidOption(name: string, message: string) {
  return createStoreError('CHATWIRE_ERR_STORE_INVALID_ARGUMENT', `Invalid store option ${name}: ${message}`, {
    details: { name },
  })
}

export function checkOptions(options: SqliteStoreOptions): void {
  const { path, dedupTtlMs, defaultMaxAttempts, synchronous, busyTimeoutMs } = options
  const { backgroundCheckpoints, checkpointIntervalMs } = options

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
  if (backgroundCheckpoints !== undefined && typeof backgroundCheckpoints !== 'boolean') {
    throw invalidOption(
      'backgroundCheckpoints',
      `expected true or false, got ${String(backgroundCheckpoints)}`,
    )
  }
  if (
    checkpointIntervalMs !== undefined &&
    !(
      Number.isSafeInteger(checkpointIntervalMs) &&
      checkpointIntervalMs > 0 &&
      checkpointIntervalMs <= MAX_TIMER_DELAY_MS
    )
  ) {
    throw invalidOption(
      'checkpointIntervalMs',
      `expected a positive integer of milliseconds up to ${MAX_TIMER_DELAY_MS}, got ${String(checkpointIntervalMs)}`,
    )
  }
}
