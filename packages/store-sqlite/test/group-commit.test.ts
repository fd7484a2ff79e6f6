import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock, TempStores } from './helpers.js'

let stores: TempStores
let clock: ManualClock

beforeEach(() => {
  stores = new TempStores()
  clock = new ManualClock()
})

afterEach(async () => {
  await stores.cleanup()
})

describe('group commit', () => {
  it('should store every item of many concurrent calls', async () => {
    const { queue } = stores.open({ clock })

    const results = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        queue.enqueue('inbound', [{ id: `item-${index}`, payload: index, dedupKey: `key-${index % 150}` }]),
      ),
    )

    const enqueued = results.flatMap((result) => result.enqueued)
    const duplicates = results.flatMap((result) => result.duplicates)
    expect(enqueued).toHaveLength(150)
    expect(duplicates).toHaveLength(50)
    expect(await queue.depth('inbound')).toBe(150)
  })

  it('should run calls made in later turns in later batches', async () => {
    const { queue } = stores.open({ clock })

    const first = queue.enqueue('inbound', [{ id: 'a', payload: 1 }])
    await new Promise((resolve) => setImmediate(resolve))
    const second = queue.enqueue('inbound', [{ id: 'b', payload: 2 }])

    expect(await first).toEqual({ enqueued: ['a'], duplicates: [] })
    expect(await second).toEqual({ enqueued: ['b'], duplicates: [] })
  })

  it('should reject only the failing call of a batch', async () => {
    const { queue } = stores.open({ clock })

    const [stored, failed] = await Promise.allSettled([
      queue.enqueue('inbound', [{ id: 'a', payload: 1 }]),
      queue.retry('missing', { delayMs: 1, error: 'e' }),
    ])

    expect(stored).toEqual({ status: 'fulfilled', value: { enqueued: ['a'], duplicates: [] } })
    expect(failed).toMatchObject({ status: 'rejected', reason: { code: 'CHATWIRE_ERR_STORE_JOB_NOT_FOUND' } })
    expect(await queue.depth('inbound')).toBe(1)
  })

  it('should reject every caller of a batch that cannot commit', async () => {
    const store = stores.open({ clock, busyTimeoutMs: 50 })
    const other = new Database(store.path)
    other.exec('BEGIN IMMEDIATE')

    try {
      const outcomes = await Promise.allSettled([
        store.queue.enqueue('inbound', [{ id: 'a', payload: 1, dedupKey: 'k' }]),
        store.queue.enqueue('inbound', [{ id: 'b', payload: 2 }]),
        store.dedup.claim(['x'], 1000),
      ])

      const reasons = outcomes.map((outcome) => (outcome.status === 'rejected' ? outcome.reason : undefined))
      expect(reasons[0]).toMatchObject({ code: 'CHATWIRE_ERR_STORE_BUSY', statusCode: 503 })
      expect(reasons[1]).toBe(reasons[0])
      expect(reasons[2]).toBe(reasons[0])
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }

    expect(await store.queue.depth('inbound')).toBe(0)
    expect(await store.queue.enqueue('inbound', [{ id: 'a', payload: 1, dedupKey: 'k' }])).toEqual({
      enqueued: ['a'],
      duplicates: [],
    })
  })

  it('should commit each write alone when group commit is off', async () => {
    const { queue } = stores.open({ clock, groupCommit: false })

    const [first, second] = await Promise.all([
      queue.enqueue('inbound', [{ id: 'a', payload: 1, dedupKey: 'k' }]),
      queue.enqueue('inbound', [{ id: 'b', payload: 2, dedupKey: 'k' }]),
    ])

    expect(first.enqueued).toEqual(['a'])
    expect(second.duplicates).toEqual(['k'])
  })

  it('should process each job once with concurrent workers and producers', async () => {
    const { queue } = stores.open({ clock })
    const processed: string[] = []
    const orderByGroup = new Map<string, number[]>()
    let producing = true

    async function produce() {
      await Promise.all(
        Array.from({ length: 300 }, (_, index) =>
          queue.enqueue('inbound', [
            { id: `job-${index}`, payload: { index }, groupKey: `g-${index % 7}`, dedupKey: `k-${index}` },
          ]),
        ),
      )
      producing = false
    }

    async function work() {
      for (let round = 0; round < 1000; round++) {
        const jobs = await queue.lease('inbound', { max: 4, leaseMs: 60_000 })
        if (jobs.length === 0 && !producing) {
          return
        }
        for (const job of jobs) {
          processed.push(job.id)
          const index = (job.payload as { index: number }).index
          orderByGroup.set(job.groupKey!, [...(orderByGroup.get(job.groupKey!) ?? []), index])
          await queue.ack(job.id)
        }
      }
    }

    await Promise.all([produce(), work(), work(), work()])

    expect(processed).toHaveLength(300)
    expect(new Set(processed).size).toBe(300)
    for (const indexes of orderByGroup.values()) {
      expect(indexes).toEqual([...indexes].sort((a, b) => a - b))
    }
    expect(await queue.depth('inbound')).toBe(0)
  })
})
