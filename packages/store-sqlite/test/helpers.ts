import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock, Logger } from '@chatwire/core'
import { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from '../src/index.js'

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  #now: number

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  advance(ms: number): void {
    this.#now += ms
  }
}

/** Temporary folder for store files, removed with every store opened in it. */
export class TempStores {
  readonly dir = mkdtempSync(join(tmpdir(), 'chatwire-store-'))
  readonly #open: SqliteStore[] = []

  file(name = 'chatwire.db'): string {
    return join(this.dir, name)
  }

  open(options: Partial<SqliteStoreOptions> = {}): SqliteStore {
    const store = openSqliteStore({ path: this.file(), ...options })
    this.#open.push(store)
    return store
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.#open.map((store) => store.close()))
    rmSync(this.dir, { recursive: true, force: true })
  }
}

export interface LogEntry {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error'
  object: Record<string, unknown>
  message: string | undefined
}

/** A logger that keeps every entry, for asserting on what the store logged. */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = []

  trace(object: object, message?: string): void {
    this.#record('trace', object, message)
  }

  debug(object: object, message?: string): void {
    this.#record('debug', object, message)
  }

  info(object: object, message?: string): void {
    this.#record('info', object, message)
  }

  warn(object: object, message?: string): void {
    this.#record('warn', object, message)
  }

  error(object: object, message?: string): void {
    this.#record('error', object, message)
  }

  child(): Logger {
    return this
  }

  at(level: LogEntry['level']): LogEntry[] {
    return this.entries.filter((entry) => entry.level === level)
  }

  #record(level: LogEntry['level'], object: object, message: string | undefined): void {
    this.entries.push({ level, object: object as Record<string, unknown>, message })
  }
}

/** Polls `condition` every 10 ms until it returns true, and throws after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  description: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${description}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
