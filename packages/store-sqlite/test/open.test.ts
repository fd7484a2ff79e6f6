import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SCHEMA_VERSION, openSqliteStore } from '../src/index.js'
import { ManualClock, TempStores } from './helpers.js'

let stores: TempStores

beforeEach(() => {
  stores = new TempStores()
})

afterEach(async () => {
  await stores.cleanup()
})

function codeOf(open: () => unknown): unknown {
  try {
    open()
  } catch (error) {
    return (error as { code?: unknown }).code
  }
  return 'no error'
}

describe('openSqliteStore', () => {
  it('should create the parent folder and set WAL, FULL and the schema version', async () => {
    const path = join(stores.dir, 'nested', 'deeper', 'chatwire.db')
    const store = openSqliteStore({ path })
    await store.close()

    const db = new Database(path, { readonly: true })
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    db.close()
  })

  it('should apply the synchronous and busy timeout options to the connection', async () => {
    const normal = stores.open({ synchronous: 'normal', busyTimeoutMs: 250 })
    const full = openSqliteStore({ path: stores.file('full.db') })

    const normalSettings = await normal.settings()
    const fullSettings = await full.settings()
    await full.close()

    expect(normalSettings).toEqual({
      journalMode: 'wal',
      synchronous: 'normal',
      busyTimeoutMs: 250,
      tempStore: 'memory',
      schemaVersion: SCHEMA_VERSION,
      checkpoints: 'inline',
      walAutocheckpointPages: 1000,
    })
    expect(fullSettings).toMatchObject({ synchronous: 'full', busyTimeoutMs: 5000 })
  })

  it('should keep data across close and reopen', async () => {
    const clock = new ManualClock()
    const first = openSqliteStore({ path: stores.file(), clock })
    await first.queue.enqueue('inbound', [{ id: 'a', payload: { kept: true }, dedupKey: 'k' }])
    await first.close()

    const second = stores.open({ clock })

    expect(await second.queue.depth('inbound')).toBe(1)
    expect((await second.queue.enqueue('inbound', [{ payload: 1, dedupKey: 'k' }])).duplicates).toEqual(['k'])
  })

  it('should reject an in-memory database', () => {
    expect(codeOf(() => openSqliteStore({ path: ':memory:' }))).toBe('CHATWIRE_ERR_STORE_INVALID_ARGUMENT')
    expect(codeOf(() => openSqliteStore({ path: '' }))).toBe('CHATWIRE_ERR_STORE_INVALID_ARGUMENT')
  })

  it('should reject invalid options', () => {
    const path = stores.file()

    expect(codeOf(() => openSqliteStore({ path, dedupTtlMs: 0 }))).toBe('CHATWIRE_ERR_STORE_INVALID_ARGUMENT')
    expect(codeOf(() => openSqliteStore({ path, defaultMaxAttempts: 1.5 }))).toBe(
      'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
    )
    expect(codeOf(() => openSqliteStore({ path, synchronous: 'off' as 'full' }))).toBe(
      'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
    )
    expect(codeOf(() => openSqliteStore({ path, busyTimeoutMs: -1 }))).toBe(
      'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
    )
  })

  it('should fail with OPEN_FAILED on a folder', () => {
    const path = join(stores.dir, 'a-folder')
    mkdirSync(path)

    expect(codeOf(() => openSqliteStore({ path }))).toBe('CHATWIRE_ERR_STORE_OPEN_FAILED')
  })

  it('should fail with OPEN_FAILED under a file', () => {
    const file = stores.file('plain.txt')
    writeFileSync(file, 'not a folder')

    expect(codeOf(() => openSqliteStore({ path: join(file, 'nested', 'chatwire.db') }))).toBe(
      'CHATWIRE_ERR_STORE_OPEN_FAILED',
    )
  })

  it.runIf(process.platform === 'linux')('should fail with OPEN_FAILED under /proc', () => {
    // /proc refuses new folders; a recursive mkdirSync would retry forever here.
    expect(codeOf(() => openSqliteStore({ path: '/proc/chatwire-missing/chatwire.db' }))).toBe(
      'CHATWIRE_ERR_STORE_OPEN_FAILED',
    )
  })

  it('should fail with OPEN_FAILED on a file that is not a database', () => {
    const path = stores.file('notes.db')
    writeFileSync(path, 'these are not the pages of a SQLite database, '.repeat(200))

    expect(codeOf(() => openSqliteStore({ path }))).toBe('CHATWIRE_ERR_STORE_OPEN_FAILED')
  })

  it('should fail with OPEN_FAILED on a database of another application', () => {
    const path = stores.file('other.db')
    const db = new Database(path)
    db.pragma('application_id = 1234')
    db.exec('CREATE TABLE things (id INTEGER)')
    db.close()

    expect(codeOf(() => openSqliteStore({ path }))).toBe('CHATWIRE_ERR_STORE_OPEN_FAILED')
  })

  it('should fail with SCHEMA_TOO_NEW on a newer schema version', async () => {
    const path = stores.file()
    await openSqliteStore({ path }).close()
    const db = new Database(path)
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
    db.close()

    let caught: unknown
    try {
      openSqliteStore({ path })
    } catch (error) {
      caught = error
    }

    expect(caught).toMatchObject({
      code: 'CHATWIRE_ERR_STORE_SCHEMA_TOO_NEW',
      details: { fileVersion: SCHEMA_VERSION + 1, supportedVersion: SCHEMA_VERSION },
    })
  })

  it('should fail with BUSY when another connection holds the write lock during migration', () => {
    const path = stores.file()
    const other = new Database(path)
    other.pragma('journal_mode = WAL')
    other.exec('BEGIN EXCLUSIVE')

    try {
      expect(codeOf(() => openSqliteStore({ path, busyTimeoutMs: 50 }))).toBe('CHATWIRE_ERR_STORE_BUSY')
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
  })
})

describe('SqliteStore close', () => {
  it('should be idempotent and commit writes already submitted', async () => {
    const path = stores.file()
    const store = openSqliteStore({ path })

    const pending = store.queue.enqueue('inbound', [{ id: 'a', payload: 1 }])
    await Promise.all([store.close(), store.close()])
    await store.close()

    expect(await pending).toEqual({ enqueued: ['a'], duplicates: [] })
    const reopened = stores.open()
    expect(await reopened.queue.depth('inbound')).toBe(1)
  })

  it('should reject reads and writes after close', async () => {
    const store = openSqliteStore({ path: stores.file() })
    await store.close()

    await expect(store.queue.enqueue('inbound', [{ payload: 1 }])).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_STORE_CLOSED',
    })
    await expect(store.queue.depth('inbound')).rejects.toMatchObject({ code: 'CHATWIRE_ERR_STORE_CLOSED' })
    await expect(store.deliveries.get('wamid.1')).rejects.toMatchObject({ code: 'CHATWIRE_ERR_STORE_CLOSED' })
    expect(await store.isWritable()).toBe(false)
  })

  it('should close the whole store through queue.close', async () => {
    const store = openSqliteStore({ path: stores.file() })

    await store.queue.close()

    expect(await store.isWritable()).toBe(false)
  })
})

describe('SqliteStore isWritable', () => {
  it('should return false while another connection holds the write lock', async () => {
    const store = stores.open({ busyTimeoutMs: 20 })
    const other = new Database(store.path)
    other.exec('BEGIN IMMEDIATE')

    try {
      expect(await store.isWritable()).toBe(false)
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
    expect(await store.isWritable()).toBe(true)
  })
})
