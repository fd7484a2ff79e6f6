import { ChatwireError, silentLogger } from '@chatwire/core'
import { openSqliteStore, type SqliteStore } from '@chatwire/store-sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JobOutcomes } from '../src/workers/job-outcome.js'
import { tempDir } from './helpers.js'

const QUEUE = 'inbound'
let dir: ReturnType<typeof tempDir>
let store: SqliteStore
let now: number

beforeEach(() => {
  dir = tempDir('chatwire-outcomes-')
  now = Date.UTC(2026, 0, 1)
  store = openSqliteStore({ path: `${dir.path}/store.db`, clock: { now: () => now }, defaultMaxAttempts: 2 })
})

afterEach(async () => {
  await store.close()
  dir.remove()
})

function outcomes(): JobOutcomes {
  return new JobOutcomes({
    queue: store.queue,
    queueName: QUEUE,
    maxAttempts: 2,
    backoff: { initialDelayMs: 10, maxDelayMs: 1000 },
    logger: silentLogger,
  })
}

/** Moves the clock past any retry delay, then leases the one job. */
async function leaseAgain() {
  now += 60_000
  const [job] = await store.queue.lease(QUEUE, { max: 1, leaseMs: 30_000 })
  expect(job).toBeDefined()
  return job!
}

describe('JobOutcomes', () => {
  it('should keep attempts through outage retries', async () => {
    const settle = outcomes()
    await store.queue.enqueue(QUEUE, [{ id: 'job', payload: {} }])
    const outage = new ChatwireError('CHATWIRE_ERR_GRPC_UNAVAILABLE', 'engine down')

    for (let retry = 0; retry < 5; retry++) {
      const job = await leaseAgain()
      expect(job.attempts).toBe(1)
      await settle.failed(job, outage, performance.now())
    }

    const job = await leaseAgain()
    expect(job).toMatchObject({
      attempts: 1,
      maxAttempts: 2,
      lastError: expect.stringContaining('engine down'),
    })
    expect(await store.queue.listDeadLetters()).toEqual([])
  })

  it('should dead-letter the last transient failure', async () => {
    const settle = outcomes()
    await store.queue.enqueue(QUEUE, [{ id: 'job', payload: {} }])

    await settle.failed(await leaseAgain(), new Error('flaky'), performance.now())
    await settle.failed(await leaseAgain(), new Error('flaky'), performance.now())

    expect(await store.queue.depth(QUEUE)).toBe(0)
    expect(await store.queue.listDeadLetters()).toMatchObject([{ id: 'job', attempts: 2 }])
  })

  it('should dead-letter after maxAttempts expired leases', async () => {
    await store.queue.enqueue(QUEUE, [{ id: 'job', payload: {} }])

    // Each lease ends without an outcome, as when the job crashes the process.
    await leaseAgain()
    await leaseAgain()
    now += 60_000
    const third = await store.queue.lease(QUEUE, { max: 1, leaseMs: 30_000 })

    expect(third).toEqual([])
    expect(await store.queue.listDeadLetters()).toMatchObject([{ id: 'job', attempts: 2 }])
  })
})
