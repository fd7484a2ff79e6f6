import { describe, expect, it } from 'vitest'
import { CheckpointFailureLog } from '../src/checkpoint-failures.js'
import { RepeatLimiter } from '../src/repeat-limiter.js'
import { ManualClock, RecordingLogger } from './helpers.js'

const MINUTE_MS = 60_000

const ioError = {
  name: 'SqliteError',
  message: 'disk I/O error',
  code: 'SQLITE_IOERR_WRITE',
  stack: 'SqliteError: disk I/O error\n    at runCheckpoint (worker/checkpointer.cjs:42:16)',
}

describe('CheckpointFailureLog', () => {
  it('should log a failure at warn with the worker error', () => {
    const logger = new RecordingLogger()
    const failures = new CheckpointFailureLog('/data/chatwire.db', logger, new ManualClock())

    failures.record(ioError)

    expect(logger.entries).toHaveLength(1)
    const [entry] = logger.entries
    expect(entry!.level).toBe('warn')
    expect(entry!.object).toMatchObject({ path: '/data/chatwire.db', suppressed: 0 })
    const err = entry!.object.err as Error & { code?: string }
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe('SqliteError')
    expect(err.message).toBe('disk I/O error')
    expect(err.code).toBe('SQLITE_IOERR_WRITE')
    expect(err.stack).toBe(ioError.stack)
  })

  it('should log one message once per minute and count the repeats', () => {
    const logger = new RecordingLogger()
    const clock = new ManualClock()
    const failures = new CheckpointFailureLog('/data/chatwire.db', logger, clock)

    failures.record(ioError)
    for (let tick = 0; tick < 5; tick++) {
      clock.advance(20)
      failures.record(ioError)
    }
    clock.advance(MINUTE_MS - 101)
    failures.record(ioError)
    const loggedInFirstMinute = logger.entries.length
    clock.advance(1)
    failures.record(ioError)

    expect(loggedInFirstMinute).toBe(1)
    expect(logger.entries).toHaveLength(2)
    expect(logger.entries[1]!.object.suppressed).toBe(6)
  })

  it('should log distinct messages independently', () => {
    const logger = new RecordingLogger()
    const failures = new CheckpointFailureLog('/data/chatwire.db', logger, new ManualClock())

    failures.record(ioError)
    failures.record({ message: 'database disk image is malformed', code: 'SQLITE_CORRUPT' })
    failures.record(ioError)

    expect(logger.entries.map((entry) => (entry.object.err as Error).message)).toEqual([
      'disk I/O error',
      'database disk image is malformed',
    ])
  })
})

describe('RepeatLimiter', () => {
  it('should accept a message again once its window has passed', () => {
    const clock = new ManualClock()
    const limiter = new RepeatLimiter(1000, clock)

    const first = limiter.accept('a')
    clock.advance(999)
    const repeat = limiter.accept('a')
    clock.advance(1)
    const afterWindow = limiter.accept('a')

    expect(first).toBe(0)
    expect(repeat).toBeUndefined()
    expect(afterWindow).toBe(1)
  })

  it('should forget the oldest message past 100 distinct ones', () => {
    const limiter = new RepeatLimiter(1000, new ManualClock())

    for (let n = 0; n <= 100; n++) {
      limiter.accept(`message ${n}`)
    }

    expect(limiter.accept('message 100')).toBeUndefined()
    expect(limiter.accept('message 1')).toBeUndefined()
    expect(limiter.accept('message 0')).toBe(0)
  })
})
