import type { Clock, Logger } from '@chatwire/core'
import { RepeatLimiter } from './repeat-limiter.js'

/** A failed checkpoint logs at most once per distinct error message in this window. */
const FAILURE_LOG_WINDOW_MS = 60_000

/**
 * An error as the checkpoint worker posts it. The worker sends plain fields because structured
 * clone of an Error drops `code`.
 */
export interface PostedError {
  name?: string
  message: string
  code?: string
  stack?: string
}

/**
 * Logs the checkpoint failures that the worker reports, at warn and at most once per distinct
 * message per minute, because a lasting fault fails again on every checkpoint interval.
 */
export class CheckpointFailureLog {
  readonly #path: string
  readonly #logger: Logger
  readonly #limiter: RepeatLimiter

  constructor(path: string, logger: Logger, clock: Clock) {
    this.#path = path
    this.#logger = logger
    this.#limiter = new RepeatLimiter(FAILURE_LOG_WINDOW_MS, clock)
  }

  record(posted: PostedError): void {
    const suppressed = this.#limiter.accept(posted.message)
    if (suppressed === undefined) {
      return
    }
    this.#logger.warn(
      { path: this.#path, err: toError(posted), suppressed },
      'background WAL checkpoint failed; retrying on the next interval',
    )
  }
}

function toError(posted: PostedError): Error {
  const error = new Error(posted.message) as Error & { code?: string }
  error.name = posted.name ?? 'Error'
  if (posted.code !== undefined) {
    error.code = posted.code
  }
  // The worker's stack shows where the checkpoint failed, which this thread's stack cannot.
  if (posted.stack !== undefined) {
    error.stack = posted.stack
  }
  return error
}
