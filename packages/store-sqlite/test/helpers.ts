import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '@chatwire/core'
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
