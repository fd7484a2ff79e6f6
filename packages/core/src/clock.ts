/** A source of the current time, injectable so replay-window checks can be tested. */
export interface Clock {
  /** Returns the current time in Unix milliseconds. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** Returns a clock fixed at `unixMs`, for tests and for `chatwire inspect --now`. */
export function fixedClock(unixMs: number): Clock {
  return { now: () => unixMs }
}
