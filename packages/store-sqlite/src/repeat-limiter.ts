import type { Clock } from '@chatwire/core'

/** Distinct messages tracked at once. Past it, the message accepted longest ago is forgotten. */
const MAX_TRACKED_MESSAGES = 100

interface MessageWindow {
  acceptedAt: number
  suppressed: number
}

/**
 * Rate limit for repeated log lines: it accepts each distinct message at most once per window and
 * counts the repeats it suppresses, so a failure that recurs on every timer tick logs once a window.
 */
export class RepeatLimiter {
  readonly #windowMs: number
  readonly #clock: Clock
  readonly #windows = new Map<string, MessageWindow>()

  constructor(windowMs: number, clock: Clock) {
    this.#windowMs = windowMs
    this.#clock = clock
  }

  /**
   * Returns undefined when `message` was accepted less than a window ago, so the caller drops it.
   * Otherwise returns how many repeats were suppressed since the previous time it was accepted.
   */
  accept(message: string): number | undefined {
    const now = this.#clock.now()
    const window = this.#windows.get(message)

    if (window !== undefined && now - window.acceptedAt < this.#windowMs) {
      window.suppressed += 1
      return undefined
    }

    // Deleting before setting moves the message to the end of the Map's insertion order, so the
    // first key is always the one accepted longest ago.
    this.#windows.delete(message)
    this.#windows.set(message, { acceptedAt: now, suppressed: 0 })
    if (this.#windows.size > MAX_TRACKED_MESSAGES) {
      const oldest = this.#windows.keys().next().value as string
      this.#windows.delete(oldest)
    }

    return window?.suppressed ?? 0
  }
}
