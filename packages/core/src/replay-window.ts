import { type Clock, systemClock } from './clock.js'
import { createCoreError } from './error-codes.js'

export interface ReplayWindowOptions {
  /** Maximum distance between the signed timestamp and now, in seconds, in either direction. */
  toleranceSeconds: number
  clock?: Clock
  /** Header name, for the error message. */
  header?: string
}

/**
 * Returns true when the signed Unix-seconds timestamp lies within the tolerance of now, in
 * either direction: a timestamp far in the future is as suspect as an old one.
 */
export function isWithinReplayWindow(timestampSeconds: number, options: ReplayWindowOptions): boolean {
  const nowSeconds = (options.clock ?? systemClock).now() / 1000
  return (
    Number.isFinite(timestampSeconds) && Math.abs(nowSeconds - timestampSeconds) <= options.toleranceSeconds
  )
}

/**
 * Parses a timestamp header of whole Unix seconds and checks it against the window, throwing
 * `CHATWIRE_ERR_TIMESTAMP_INVALID` or `CHATWIRE_ERR_TIMESTAMP_STALE`.
 */
export function assertWithinReplayWindow(value: string | undefined, options: ReplayWindowOptions): number {
  const header = options.header ?? 'timestamp'
  if (value === undefined || !/^\d{1,12}$/.test(value.trim())) {
    throw createCoreError(
      'CHATWIRE_ERR_TIMESTAMP_INVALID',
      `the ${header} header must be whole Unix seconds, received ${JSON.stringify(value ?? null)}`,
      { details: { header } },
    )
  }
  const timestampSeconds = Number(value.trim())
  if (!isWithinReplayWindow(timestampSeconds, options)) {
    const nowSeconds = Math.floor((options.clock ?? systemClock).now() / 1000)
    throw createCoreError(
      'CHATWIRE_ERR_TIMESTAMP_STALE',
      `the ${header} ${timestampSeconds} is more than ${options.toleranceSeconds} s from now (${nowSeconds}); check the sender's clock or resend`,
      { details: { header, timestamp: timestampSeconds, now: nowSeconds } },
    )
  }
  return timestampSeconds
}
