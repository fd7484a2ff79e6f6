/**
 * A time-bounded cache of promises keyed by string. Storing the promise lets concurrent lookups
 * of one key share a single call. A rejected promise is dropped, so failures are not cached.
 */
export class TtlCache<Value> {
  readonly #entries = new Map<string, { value: Promise<Value>; expiresAt: number }>()
  readonly #ttlMs: number
  readonly #maxEntries: number

  constructor(ttlMs: number, maxEntries: number) {
    this.#ttlMs = ttlMs
    this.#maxEntries = maxEntries
  }

  get size(): number {
    return this.#entries.size
  }

  /** Returns the cached value of `key`, or stores and returns the result of `load()`. */
  getOrLoad(key: string, load: () => Promise<Value>): Promise<Value> {
    if (this.#ttlMs === 0) {
      return load()
    }

    const now = Date.now()
    const entry = this.#entries.get(key)
    if (entry !== undefined && entry.expiresAt > now) {
      return entry.value
    }

    // Map keeps insertion order, so the first key is the oldest entry.
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) {
        this.#entries.delete(oldest.value)
      }
    }

    const value = load()
    this.#entries.set(key, { value, expiresAt: now + this.#ttlMs })
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) {
        this.#entries.delete(key)
      }
    })
    return value
  }

  delete(key: string): boolean {
    return this.#entries.delete(key)
  }

  clear(): void {
    this.#entries.clear()
  }
}
