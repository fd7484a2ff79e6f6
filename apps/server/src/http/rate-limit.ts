import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'

export interface RateLimitOptions {
  /** Requests allowed per client address and route in each window. */
  points: number
  durationSeconds: number
}

/** Outcome of one rate-limit check. `retryAfterSeconds` is set when the request is rejected. */
export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/**
 * Counts requests per route and client address in fixed windows, in this process's memory.
 * NOTE: with several server instances each keeps its own counts, so the effective limit is
 * multiplied by the instance count.
 */
export class RouteRateLimiter {
  readonly #limiter: RateLimiterMemory

  constructor(options: RateLimitOptions) {
    this.#limiter = new RateLimiterMemory({ points: options.points, duration: options.durationSeconds })
  }

  async check(route: string, clientAddress: string): Promise<RateLimitVerdict> {
    try {
      await this.#limiter.consume(`${route}|${clientAddress}`)
      return { allowed: true }
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) }
      }
      throw rejection
    }
  }
}
