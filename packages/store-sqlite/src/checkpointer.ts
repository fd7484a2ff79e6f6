import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Clock, Logger } from '@chatwire/core'
import type Database from 'better-sqlite3'
import { CheckpointFailureLog, type PostedError } from './checkpoint-failures.js'

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 20

/** SQLite's default `wal_autocheckpoint`, restored when the background worker dies. */
export const INLINE_AUTOCHECKPOINT_PAGES = 1000

/**
 * `wal_autocheckpoint` of the main connection while the worker runs: a bound on the WAL for when
 * the main connection cannot complete the worker's checkpoint (a long read holding an old
 * snapshot, for example). Without any complete checkpoint the -wal file would grow for as long as
 * writes continue.
 */
export const BACKGROUND_AUTOCHECKPOINT_PAGES = 10_000

/**
 * WAL frames past which the worker requests that the main connection complete its checkpoint, so
 * the log starts over at about 16 MiB (4 KiB pages) instead of growing to the autocheckpoint bound.
 */
export const RESTART_AFTER_FRAMES = 4000

export interface CheckpointerOptions {
  synchronous: 'full' | 'normal'
  busyTimeoutMs: number
  intervalMs: number
  logger: Logger
  clock: Clock
}

type WorkerMessage =
  | { type: 'checkpoint-failed'; error: PostedError }
  | { type: 'log-behind'; log: number; checkpointed: number }

type WorkerState = 'running' | 'stopping' | 'exited'

/**
 * A worker thread that runs `PRAGMA wal_checkpoint(PASSIVE)` on its own connection to the store
 * file, so most of the copying from the WAL into the database file happens off the event loop. It
 * never keeps the process alive. When it dies, the main connection goes back to inline checkpoints.
 */
export class BackgroundCheckpointer {
  readonly #worker: Worker
  readonly #path: string
  readonly #logger: Logger
  readonly #failures: CheckpointFailureLog
  readonly #exited: Promise<void>
  #state: WorkerState = 'running'
  #error: unknown

  constructor(
    path: string,
    options: CheckpointerOptions,
    onDeath: () => void,
    completeCheckpoint: () => void,
  ) {
    this.#path = path
    this.#logger = options.logger
    this.#failures = new CheckpointFailureLog(path, options.logger, options.clock)

    this.#worker = new Worker(new URL('../worker/checkpointer.cjs', import.meta.url), {
      workerData: {
        betterSqlitePath: createRequire(import.meta.url).resolve('better-sqlite3'),
        path,
        busyTimeoutMs: options.busyTimeoutMs,
        intervalMs: options.intervalMs,
        synchronous: options.synchronous,
        restartAfterFrames: RESTART_AFTER_FRAMES,
      },
    })

    this.#worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'checkpoint-failed') {
        this.#failures.record(message.error)
      } else if (message.type === 'log-behind' && this.#state === 'running') {
        completeCheckpoint()
      }
    })
    this.#worker.on('error', (error) => {
      this.#error = error
    })
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', (exitCode) => {
        this.#handleExit(exitCode, onDeath)
        resolve()
      })
    })

    // On Node 20.20, adding a 'message' listener refs the worker again, so unref() comes after the
    // listeners. The worker is then never what keeps the process running.
    this.#worker.unref()
  }

  get running(): boolean {
    return this.#state === 'running'
  }

  /** Stops the worker and resolves once it has closed its connection and exited. */
  stop(): Promise<void> {
    if (this.#state === 'running') {
      this.#state = 'stopping'
      // Ref'd again so that a process with nothing else to do waits for the exit, and therefore
      // for the main connection's close, which has to come after it.
      this.#worker.ref()
      this.#worker.postMessage({ type: 'stop' })
    }
    return this.#exited
  }

  #handleExit(exitCode: number, onDeath: () => void): void {
    const stopping = this.#state === 'stopping'
    const failed = exitCode !== 0 || this.#error !== undefined
    this.#state = 'exited'

    if (stopping && !failed) {
      return
    }
    if (stopping) {
      this.#logger.error(
        { path: this.#path, err: this.#error, exitCode },
        'background WAL checkpointer failed while stopping',
      )
      return
    }

    this.#logger.error(
      { path: this.#path, err: this.#error, exitCode },
      'background WAL checkpointer died; falling back to inline checkpoints',
    )
    onDeath()
  }
}

/**
 * Raises the main connection's `wal_autocheckpoint` and starts the worker. When the worker dies,
 * `wal_autocheckpoint` goes back to SQLite's default, so the WAL stays bounded as it is without
 * the worker.
 */
export function startBackgroundCheckpoints(
  db: Database.Database,
  options: CheckpointerOptions,
): BackgroundCheckpointer {
  db.pragma(`wal_autocheckpoint = ${BACKGROUND_AUTOCHECKPOINT_PAGES}`)
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')

  const fallBackToInline = () => {
    if (db.open) {
      db.pragma(`wal_autocheckpoint = ${INLINE_AUTOCHECKPOINT_PAGES}`)
    }
  }
  // Runs between two batches of the group commit, never inside one, because a worker message is
  // handled in its own event-loop task. The next write transaction then starts the log over.
  const completeCheckpoint = () => {
    if (!db.open || db.inTransaction) {
      return
    }
    try {
      checkpoint.get()
    } catch (error) {
      options.logger.warn({ path: db.name, err: error }, 'completing a WAL checkpoint failed')
    }
  }

  return new BackgroundCheckpointer(db.name, options, fallBackToInline, completeCheckpoint)
}
