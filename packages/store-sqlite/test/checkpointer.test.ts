import { spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { systemClock } from '@chatwire/core'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  BACKGROUND_AUTOCHECKPOINT_PAGES,
  type CheckpointerOptions,
  INLINE_AUTOCHECKPOINT_PAGES,
  RESTART_AFTER_FRAMES,
  startBackgroundCheckpoints,
} from '../src/checkpointer.js'
import { type SqliteStore, openSqliteStore } from '../src/index.js'
import { RecordingLogger, TempStores, waitFor } from './helpers.js'

const child = fileURLToPath(new URL('./fixtures/open-without-close.mjs', import.meta.url))
const builtEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url))

// The WAL file format: a 32-byte header, then frames of a 24-byte header and one page.
const WAL_HEADER_BYTES = 32
const WAL_FRAME_HEADER_BYTES = 24
const PAGE_SIZE = 4096

let stores: TempStores

beforeEach(() => {
  stores = new TempStores()
})

afterEach(async () => {
  await stores.cleanup()
})

function fileSize(path: string): number {
  return statSync(path).size
}

/**
 * Returns the frame capacity of the -wal file. SQLite reuses the file without shrinking it, so this
 * is the maximum WAL size so far.
 */
function walFrames(path: string): number {
  return Math.floor((fileSize(`${path}-wal`) - WAL_HEADER_BYTES) / (WAL_FRAME_HEADER_BYTES + PAGE_SIZE))
}

/** Enqueues 200 jobs of about 1 kB each, a few hundred WAL frames. */
async function enqueueJobs(store: SqliteStore): Promise<void> {
  const payload = 'x'.repeat(1000)
  for (let batch = 0; batch < 4; batch++) {
    await store.queue.enqueue(
      'inbound',
      Array.from({ length: 50 }, (_, n) => ({ payload: { batch, n, payload } })),
    )
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

describe('backgroundCheckpoints', () => {
  it('should copy the WAL into the database file before autocheckpoint fires', async () => {
    const store = stores.open({ backgroundCheckpoints: true })
    const sizeAfterOpen = fileSize(store.path)

    await enqueueJobs(store)
    await waitFor(() => fileSize(store.path) > sizeAfterOpen, 'the database file grows')

    expect(walFrames(store.path)).toBeLessThan(INLINE_AUTOCHECKPOINT_PAGES)
    expect(fileSize(store.path)).toBeGreaterThan(200 * 1000)
  })

  it('should leave the frames in the WAL when off', async () => {
    const store = stores.open()
    const sizeAfterOpen = fileSize(store.path)

    await enqueueJobs(store)
    await sleep(300)

    expect(walFrames(store.path)).toBeLessThan(INLINE_AUTOCHECKPOINT_PAGES)
    expect(fileSize(store.path)).toBe(sizeAfterOpen)
  })

  it('should start the log over well before the autocheckpoint bound', async () => {
    const store = stores.open({ backgroundCheckpoints: true })
    const payload = 'x'.repeat(8000)

    // Over 12 000 pages in all, three times RESTART_AFTER_FRAMES.
    for (let batch = 0; batch < 120; batch++) {
      await store.queue.enqueue(
        'inbound',
        Array.from({ length: 50 }, (_, n) => ({ payload: { batch, n, payload } })),
      )
    }

    expect(walFrames(store.path)).toBeGreaterThan(RESTART_AFTER_FRAMES / 2)
    expect(walFrames(store.path)).toBeLessThan(RESTART_AFTER_FRAMES * 2)
    expect(await store.queue.depth('inbound')).toBe(6000)
  })

  it('should remove the -wal and -shm files on close', async () => {
    const store = openSqliteStore({ path: stores.file(), backgroundCheckpoints: true })
    const sizeAfterOpen = fileSize(store.path)
    await enqueueJobs(store)
    // A grown file proves that the worker's connection is open, so close has two connections to end.
    await waitFor(() => fileSize(store.path) > sizeAfterOpen, 'the database file grows')

    await store.close()

    expect(existsSync(`${store.path}-wal`)).toBe(false)
    expect(existsSync(`${store.path}-shm`)).toBe(false)
    expect(await stores.open().queue.depth('inbound')).toBe(200)
  })

  it('should report the checkpoint mode in settings', async () => {
    const background = stores.open({ backgroundCheckpoints: true, checkpointIntervalMs: 50 })
    const inline = openSqliteStore({ path: stores.file('inline.db'), checkpointIntervalMs: 50 })

    const backgroundSettings = await background.settings()
    const inlineSettings = await inline.settings()
    await inline.close()

    expect(backgroundSettings.checkpoints).toBe('background')
    expect(backgroundSettings.walAutocheckpointPages).toBe(BACKGROUND_AUTOCHECKPOINT_PAGES)
    expect(inlineSettings.checkpoints).toBe('inline')
    expect(inlineSettings.walAutocheckpointPages).toBe(INLINE_AUTOCHECKPOINT_PAGES)
  })

  it.each([0, -20, 1.5, Number.NaN, 2 ** 31, '20'])('should reject checkpointIntervalMs %o', (value) => {
    let caught: unknown
    try {
      openSqliteStore({
        path: stores.file(),
        backgroundCheckpoints: true,
        checkpointIntervalMs: value as number,
      })
    } catch (error) {
      caught = error
    }

    expect(caught).toMatchObject({
      code: 'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
      details: { name: 'checkpointIntervalMs' },
    })
    expect((caught as Error).message).toContain(`got ${String(value)}`)
  })

  it('should reject a backgroundCheckpoints that is not a boolean', () => {
    expect(() => openSqliteStore({ path: stores.file(), backgroundCheckpoints: 'yes' as never })).toThrow(
      expect.objectContaining({
        code: 'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
        details: { name: 'backgroundCheckpoints' },
      }),
    )
  })

  it('should not keep a process that never closes the store alive', async () => {
    // The child runs the built package, so this also checks that dist finds the worker file.
    expect(existsSync(builtEntry), 'build first: pnpm turbo run build --filter=@chatwire/store-sqlite').toBe(
      true,
    )

    const { exitCode, stdout, stderr } = await runChild(stores.file(), 15_000)

    expect(stderr).toBe('')
    expect(exitCode).toBe(0)
    const [mode, sizeAfterOpen, sizeAtEnd] = stdout.trim().split(' ')
    expect(mode).toBe('background')
    expect(Number(sizeAtEnd)).toBeGreaterThan(Number(sizeAfterOpen))
  })
})

function checkpointerOptions(logger: RecordingLogger): CheckpointerOptions {
  return { synchronous: 'full', busyTimeoutMs: 100, intervalMs: 5, logger, clock: systemClock }
}

describe('startBackgroundCheckpoints', () => {
  it('should fall back to inline checkpoints when the worker dies', async () => {
    // The worker rejects a file in rollback-journal mode at start-up, so it exits with an error.
    const db = new Database(stores.file('rollback.db'))
    db.exec('CREATE TABLE things (id INTEGER)')
    const logger = new RecordingLogger()

    const checkpointer = startBackgroundCheckpoints(db, checkpointerOptions(logger))
    const pagesWhileRunning = db.pragma('wal_autocheckpoint', { simple: true })
    await waitFor(() => !checkpointer.running, 'the worker exits')
    const pagesAfterDeath = db.pragma('wal_autocheckpoint', { simple: true })
    db.close()

    expect(pagesWhileRunning).toBe(BACKGROUND_AUTOCHECKPOINT_PAGES)
    expect(pagesAfterDeath).toBe(INLINE_AUTOCHECKPOINT_PAGES)
    const errors = logger.at('error')
    expect(errors).toHaveLength(1)
    expect(errors[0]!.object).toMatchObject({ path: db.name, exitCode: 1 })
    expect(String((errors[0]!.object.err as Error).message)).toContain('journal_mode')
  })

  it('should keep the raised autocheckpoint and log nothing when stopped', async () => {
    const store = stores.open()
    await store.close()
    const db = new Database(store.path)
    const logger = new RecordingLogger()
    const checkpointer = startBackgroundCheckpoints(db, checkpointerOptions(logger))
    await sleep(100)

    await checkpointer.stop()
    await checkpointer.stop()
    const pagesAfterStop = db.pragma('wal_autocheckpoint', { simple: true })
    db.close()

    expect(checkpointer.running).toBe(false)
    expect(pagesAfterStop).toBe(BACKGROUND_AUTOCHECKPOINT_PAGES)
    expect(logger.entries).toEqual([])
  })
})

/** Runs the open-without-close child and kills it when it has not exited within `timeoutMs`. */
function runChild(
  path: string,
  timeoutMs: number,
): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const running = spawn('node', [child, path], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''

    const timer = setTimeout(() => {
      running.kill('SIGKILL')
      reject(new Error(`child still running after ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`))
    }, timeoutMs)

    running.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    running.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    running.on('exit', (exitCode) => {
      clearTimeout(timer)
      resolve({ exitCode, stdout, stderr })
    })
  })
}
