export interface BackoffOptions {
  /** Upper bound of the first delay, in milliseconds. */
  initialDelayMs: number
  /** Upper bound of any delay, in milliseconds. */
  maxDelayMs: number
}

/**
 * Returns a delay with "full jitter": uniform between 0 and min(max, initial * 2^(attempt-1)).
 * Spreading retries over the whole window keeps many failed jobs from retrying in lockstep.
 * `attempt` counts from 1 (the attempt that just failed).
 */
export function fullJitterDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30)
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** exponent)
  return Math.floor(random() * ceiling)
}

/** Returns the retry delay, never shorter than a Retry-After that the platform sent. */
export function retryDelay(
  attempt: number,
  options: BackoffOptions,
  retryAfterMs?: number,
  random?: () => number,
): number {
  const jittered = fullJitterDelay(attempt, options, random)
  return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered)
}
