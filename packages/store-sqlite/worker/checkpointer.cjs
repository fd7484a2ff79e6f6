'use strict'

// Worker thread of a store opened with backgroundCheckpoints: it runs PRAGMA wal_checkpoint(PASSIVE)
// on its own connection every intervalMs, so most of the copying from the WAL into the database
// file happens off the event-loop thread. This file is plain CommonJS because it has to load both from the
// TypeScript sources under vitest and from dist; src/checkpointer.ts starts it.

const { parentPort, workerData } = require('node:worker_threads')

const Database = require(workerData.betterSqlitePath)

const SYNCHRONOUS_PRAGMAS = { full: 'FULL', normal: 'NORMAL' }

const synchronous = SYNCHRONOUS_PRAGMAS[workerData.synchronous]
if (synchronous === undefined) {
  throw new Error(
    `invalid synchronous mode ${JSON.stringify(workerData.synchronous)}; expected full or normal`,
  )
}

// A checkpoint syncs the WAL and the database file with the connection's own synchronous level,
// so it must match the main connection's.
const db = new Database(workerData.path, { fileMustExist: true, timeout: workerData.busyTimeoutMs })
db.pragma(`synchronous = ${synchronous}`)

// Reading the journal mode is this connection's first access to the file, which also opens the WAL.
// A file that is not in WAL mode has nothing to checkpoint, so that is a start-up failure.
const journalMode = db.pragma('journal_mode', { simple: true })
if (journalMode !== 'wal') {
  db.close()
  throw new Error(`journal_mode of ${workerData.path} is ${String(journalMode)}, expected wal`)
}

const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')

function isBusy(error) {
  return typeof error?.code === 'string' && error.code.startsWith('SQLITE_BUSY')
}

function runCheckpoint() {
  try {
    // A PASSIVE checkpoint never takes the write lock and never calls the busy handler. When
    // another connection is checkpointing, the row reports busy = 1 and the next tick tries again.
    const { busy, log, checkpointed } = checkpoint.get()

    // Under steady writes this checkpoint ends a few commits behind the log, and the log starts
    // over only after a complete one. The writing connection can complete it between two of its
    // commits by copying just those few frames, which is far shorter than its own checkpoint at
    // the wal_autocheckpoint bound.
    if (busy === 0 && log >= workerData.restartAfterFrames) {
      parentPort.postMessage({ type: 'log-behind', log, checkpointed })
    }
  } catch (error) {
    if (isBusy(error)) {
      return
    }
    parentPort.postMessage({
      type: 'checkpoint-failed',
      error: {
        name: error?.name,
        message: String(error?.message ?? error),
        code: error?.code,
        stack: error?.stack,
      },
    })
  }
}

const timer = setInterval(runCheckpoint, workerData.intervalMs)

// On stop the connection closes first. The thread then has no timer and no listener left, so it
// exits, and the main thread's close waits for that exit.
parentPort.on('message', (message) => {
  if (message?.type !== 'stop') {
    return
  }
  clearInterval(timer)
  db.close()
  parentPort.close()
})
