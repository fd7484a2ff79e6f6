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

describe('SqliteQueue enqueue, lease and ack', () => {
  it('should lease enqueued jobs in order with their payload', async () => {
    const { queue } = stores.open({ clock })

    const result = await queue.enqueue('inbound', [
      { id: 'a', payload: { text: 'hi' } },
      { id: 'b', payload: [1, 2], maxAttempts: 3 },
    ])
    const jobs = await queue.lease('inbound', { max: 10, leaseMs: 30_000 })

    expect(result).toEqual({ enqueued: ['a', 'b'], duplicates: [] })
    expect(jobs.map((job) => job.id)).toEqual(['a', 'b'])
    expect(jobs[0]).toMatchObject({
      queue: 'inbound',
      payload: { text: 'hi' },
      attempts: 1,
      maxAttempts: 8,
      runAt: clock.now(),
      createdAt: clock.now(),
      leaseExpiresAt: clock.now() + 30_000,
    })
    expect(jobs[1]?.maxAttempts).toBe(3)
  })

  it('should generate ids when items have none', async () => {
    const { queue } = stores.open({ clock })

    const { enqueued } = await queue.enqueue('inbound', [{ payload: 1 }, { payload: 2 }])

    expect(enqueued).toHaveLength(2)
    expect(new Set(enqueued).size).toBe(2)
  })

  it('should generate UUID version 7 ids that sort by enqueue time', async () => {
    const { queue } = stores.open({ clock })

    const first = await queue.enqueue('inbound', [{ payload: 1 }])
    clock.advance(1)
    const second = await queue.enqueue('inbound', [{ payload: 2 }])
    const ids = [...first.enqueued, ...second.enqueued]

    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    }
    expect(Number.parseInt(ids[0]!.replace('-', '').slice(0, 12), 16)).toBe(clock.now() - 1)
    expect([...ids].sort()).toEqual(ids)
  })

  it('should not record the dedupKey of an item whose id is already queued', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [{ id: 'a', payload: 1 }])

    const again = await queue.enqueue('inbound', [{ id: 'a', payload: 1, dedupKey: 'k' }])
    const other = await queue.enqueue('inbound', [{ id: 'b', payload: 2, dedupKey: 'k' }])

    expect(again).toEqual({ enqueued: [], duplicates: ['k'] })
    expect(other).toEqual({ enqueued: ['b'], duplicates: [] })
  })

  it('should remove an acked job and keep others', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [
      { id: 'a', payload: 1 },
      { id: 'b', payload: 2 },
    ])
    await queue.lease('inbound', { max: 1, leaseMs: 1000 })

    await queue.ack('a')
    await queue.ack('a')

    expect(await queue.depth('inbound')).toBe(1)
    expect((await queue.lease('inbound', { max: 10, leaseMs: 1000 })).map((job) => job.id)).toEqual(['b'])
  })

  it('should keep queues apart', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [{ id: 'in', payload: 1 }])
    await queue.enqueue('outbound', [{ id: 'out', payload: 2 }])

    const leased = await queue.lease('outbound', { max: 10, leaseMs: 1000 })

    expect(leased.map((job) => job.id)).toEqual(['out'])
    expect(await queue.depth('inbound')).toBe(1)
    expect(await queue.depth('outbound')).toBe(1)
  })

  it('should not lease a leased job again before its lease expires', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [{ id: 'a', payload: 1 }])

    await queue.lease('inbound', { max: 10, leaseMs: 1000 })
    clock.advance(999)

    expect(await queue.lease('inbound', { max: 10, leaseMs: 1000 })).toEqual([])
  })

  it('should not lease a job before its runAt', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [{ id: 'later', payload: 1, runAt: clock.now() + 5000 }])

    const early = await queue.lease('inbound', { max: 10, leaseMs: 1000 })
    clock.advance(5000)
    const due = await queue.lease('inbound', { max: 10, leaseMs: 1000 })

    expect(early).toEqual([])
    expect(due.map((job) => job.id)).toEqual(['later'])
  })

  it('should treat an id already queued as a duplicate', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [{ id: 'a', payload: 1 }])

    const again = await queue.enqueue('inbound', [{ id: 'a', payload: 1 }])

    expect(again).toEqual({ enqueued: [], duplicates: ['a'] })
    expect(await queue.depth('inbound')).toBe(1)
  })

  it('should reject invalid arguments with a coded error', async () => {
    const { queue } = stores.open({ clock })

    await expect(queue.enqueue('inbound', [{ payload: undefined }])).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
    })
    await expect(queue.enqueue('inbound', [{ payload: 1, maxAttempts: 0 }])).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
    })
    await expect(queue.lease('inbound', { max: 0, leaseMs: 1000 })).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
    })
    await expect(queue.retry('x', { delayMs: -1, error: 'e' })).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
    })
  })
})

describe('SqliteQueue lease expiry', () => {
  it('should lease a job again after its lease expires and count the attempt', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [{ id: 'a', payload: 1 }])

    const first = await queue.lease('inbound', { max: 10, leaseMs: 1000 })
    clock.advance(1000)
    const second = await queue.lease('inbound', { max: 10, leaseMs: 1000 })

    expect(first[0]?.attempts).toBe(1)
    expect(second.map((job) => job.id)).toEqual(['a'])
    expect(second[0]?.attempts).toBe(2)
    expect(second[0]?.leaseExpiresAt).toBe(clock.now() + 1000)
  })

  it('should dead-letter a job whose last lease expired', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [{ id: 'poison', payload: 1, maxAttempts: 2 }])

    await queue.lease('inbound', { max: 10, leaseMs: 1000 })
    clock.advance(1000)
    await queue.lease('inbound', { max: 10, leaseMs: 1000 })
    clock.advance(1000)
    const third = await queue.lease('inbound', { max: 10, leaseMs: 1000 })
    const dead = await queue.listDeadLetters()

    expect(third).toEqual([])
    expect(dead).toHaveLength(1)
    expect(dead[0]).toMatchObject({ id: 'poison', attempts: 2, failedAt: clock.now() })
    expect(dead[0]?.lastError).toMatch(/lease expired on attempt 2 of 2/)
  })
})

describe('SqliteQueue retry', () => {
  it('should honour the retry delay and keep the error', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('outbound', [{ id: 'a', payload: 1 }])
    await queue.lease('outbound', { max: 1, leaseMs: 1000 })

    await queue.retry('a', { delayMs: 5000, error: 'HTTP 429' })
    clock.advance(4999)
    const early = await queue.lease('outbound', { max: 1, leaseMs: 1000 })
    clock.advance(1)
    const due = await queue.lease('outbound', { max: 1, leaseMs: 1000 })

    expect(early).toEqual([])
    expect(due[0]).toMatchObject({ id: 'a', attempts: 2, lastError: 'HTTP 429', runAt: clock.now() })
  })

  it('should dead-letter on retry after the last attempt', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('outbound', [{ id: 'a', payload: 1, maxAttempts: 1 }])
    await queue.lease('outbound', { max: 1, leaseMs: 1000 })

    await queue.retry('a', { delayMs: 10, error: 'HTTP 503' })

    expect(await queue.depth('outbound')).toBe(0)
    expect(await queue.listDeadLetters()).toMatchObject([{ id: 'a', attempts: 1, lastError: 'HTTP 503' }])
  })

  it('should not count an attempt when countAttempt is false', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('outbound', [{ id: 'a', payload: 1, maxAttempts: 1 }])

    for (let round = 0; round < 3; round++) {
      const [job] = await queue.lease('outbound', { max: 1, leaseMs: 1000 })
      expect(job?.attempts).toBe(1)
      await queue.retry('a', { delayMs: 0, error: 'engine unavailable', countAttempt: false })
    }

    expect(await queue.depth('outbound')).toBe(1)
    expect(await queue.listDeadLetters()).toEqual([])
  })

  it('should reject retry of an unknown job', async () => {
    const { queue } = stores.open({ clock })

    await expect(queue.retry('missing', { delayMs: 1, error: 'e' })).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_STORE_JOB_NOT_FOUND',
    })
    await expect(queue.deadLetter('missing', 'e')).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_STORE_JOB_NOT_FOUND',
    })
  })
})

describe('SqliteQueue dead letters and replay', () => {
  async function deadLetterThree() {
    const store = stores.open({ clock })
    await store.queue.enqueue('outbound', [
      { id: 'a', payload: { n: 1 } },
      { id: 'b', payload: { n: 2 } },
    ])
    await store.queue.enqueue('inbound', [{ id: 'c', payload: { n: 3 } }])
    await store.queue.lease('outbound', { max: 10, leaseMs: 1000 })
    await store.queue.lease('inbound', { max: 10, leaseMs: 1000 })
    await store.queue.deadLetter('a', 'permanent: invalid recipient')
    clock.advance(1)
    await store.queue.deadLetter('b', 'permanent: blocked')
    clock.advance(1)
    await store.queue.deadLetter('c', 'permanent: unknown tenant')
    return store
  }

  it('should list dead letters oldest first, by queue and with a limit', async () => {
    const { queue } = await deadLetterThree()

    const all = await queue.listDeadLetters()
    const outbound = await queue.listDeadLetters({ queue: 'outbound' })
    const first = await queue.listDeadLetters({ limit: 1 })

    expect(all.map((letter) => letter.id)).toEqual(['a', 'b', 'c'])
    expect(all[0]).toEqual({
      id: 'a',
      queue: 'outbound',
      payload: { n: 1 },
      attempts: 1,
      lastError: 'permanent: invalid recipient',
      failedAt: clock.now() - 2,
    })
    expect(outbound.map((letter) => letter.id)).toEqual(['a', 'b'])
    expect(first.map((letter) => letter.id)).toEqual(['a'])
    expect(await queue.depth('outbound')).toBe(0)
  })

  it('should replay one dead letter with fresh attempts', async () => {
    const { queue } = await deadLetterThree()

    const replayed = await queue.replay(['b', 'unknown'])
    const jobs = await queue.lease('outbound', { max: 10, leaseMs: 1000 })

    expect(replayed).toBe(1)
    expect(jobs.map((job) => job.id)).toEqual(['b'])
    expect(jobs[0]).toMatchObject({ attempts: 1, payload: { n: 2 } })
    expect((await queue.listDeadLetters()).map((letter) => letter.id)).toEqual(['a', 'c'])
  })

  it('should replay all dead letters of one queue', async () => {
    const { queue } = await deadLetterThree()

    const replayed = await queue.replay('all', { queue: 'outbound' })

    expect(replayed).toBe(2)
    expect(await queue.depth('outbound')).toBe(2)
    expect((await queue.listDeadLetters()).map((letter) => letter.id)).toEqual(['c'])
  })

  it('should replay all dead letters of every queue', async () => {
    const { queue } = await deadLetterThree()

    const replayed = await queue.replay('all')

    expect(replayed).toBe(3)
    expect(await queue.listDeadLetters()).toEqual([])
    expect(await queue.depth('outbound')).toBe(2)
    expect(await queue.depth('inbound')).toBe(1)
  })

  it('should not replay an id of another queue when a queue is given', async () => {
    const { queue } = await deadLetterThree()

    expect(await queue.replay(['c'], { queue: 'outbound' })).toBe(0)
    expect(await queue.depth('inbound')).toBe(0)
  })
})

describe('SqliteQueue group ordering', () => {
  it('should lease one job per group in enqueue order', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [
      { id: 'a1', payload: 1, groupKey: 'conversation-a' },
      { id: 'b1', payload: 2, groupKey: 'conversation-b' },
      { id: 'a2', payload: 3, groupKey: 'conversation-a' },
      { id: 'free', payload: 4 },
    ])

    const first = await queue.lease('inbound', { max: 10, leaseMs: 1000 })
    const whileLeased = await queue.lease('inbound', { max: 10, leaseMs: 1000 })
    await queue.ack('a1')
    const afterAck = await queue.lease('inbound', { max: 10, leaseMs: 1000 })

    expect(first.map((job) => job.id)).toEqual(['a1', 'b1', 'free'])
    expect(whileLeased).toEqual([])
    expect(afterAck.map((job) => job.id)).toEqual(['a2'])
  })

  it('should block a group while its oldest job waits for a retry', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('outbound', [
      { id: 'first', payload: 1, groupKey: 'g' },
      { id: 'second', payload: 2, groupKey: 'g' },
    ])
    await queue.lease('outbound', { max: 10, leaseMs: 1000 })

    await queue.retry('first', { delayMs: 60_000, error: 'HTTP 500' })
    clock.advance(30_000)
    const blocked = await queue.lease('outbound', { max: 10, leaseMs: 1000 })
    clock.advance(30_000)
    const due = await queue.lease('outbound', { max: 10, leaseMs: 1000 })

    expect(blocked).toEqual([])
    expect(due.map((job) => job.id)).toEqual(['first'])
  })

  it('should unblock a group when its oldest job is dead-lettered', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('outbound', [
      { id: 'first', payload: 1, groupKey: 'g' },
      { id: 'second', payload: 2, groupKey: 'g' },
    ])
    await queue.lease('outbound', { max: 10, leaseMs: 1000 })

    await queue.deadLetter('first', 'permanent')
    const next = await queue.lease('outbound', { max: 10, leaseMs: 1000 })

    expect(next.map((job) => job.id)).toEqual(['second'])
  })

  it('should block a group behind a held lease', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [{ id: 'a1', payload: 1, groupKey: 'a' }])
    await queue.lease('inbound', { max: 1, leaseMs: 1000 })
    await queue.enqueue('inbound', [
      { id: 'a2', payload: 2, groupKey: 'a' },
      { id: 'b1', payload: 3, groupKey: 'b' },
    ])

    const leased = await queue.lease('inbound', { max: 10, leaseMs: 1000 })

    expect(leased.map((job) => job.id)).toEqual(['b1'])
  })

  it('should keep the group head when a later job is acked', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [
      { id: 'first', payload: 1, groupKey: 'g' },
      { id: 'second', payload: 2, groupKey: 'g' },
      { id: 'third', payload: 3, groupKey: 'g' },
    ])

    await queue.ack('second')
    const firstLease = await queue.lease('inbound', { max: 10, leaseMs: 1000 })
    await queue.ack('first')
    const secondLease = await queue.lease('inbound', { max: 10, leaseMs: 1000 })

    expect(firstLease.map((job) => job.id)).toEqual(['first'])
    expect(secondLease.map((job) => job.id)).toEqual(['third'])
  })

  it('should lease the next group job once the head exhausts its attempts', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [
      { id: 'poison', payload: 1, groupKey: 'g', maxAttempts: 1 },
      { id: 'next', payload: 2, groupKey: 'g' },
    ])
    await queue.lease('inbound', { max: 10, leaseMs: 1000 })
    clock.advance(1000)

    const leased = await queue.lease('inbound', { max: 10, leaseMs: 1000 })

    expect(leased.map((job) => job.id)).toEqual(['next'])
    expect((await queue.listDeadLetters()).map((letter) => letter.id)).toEqual(['poison'])
  })

  it('should replay a dead letter behind the jobs of its group', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('outbound', [
      { id: 'failed', payload: 1, groupKey: 'g' },
      { id: 'waiting', payload: 2, groupKey: 'g' },
    ])
    await queue.lease('outbound', { max: 10, leaseMs: 1000 })
    await queue.deadLetter('failed', 'permanent')

    await queue.replay(['failed'])
    const first = await queue.lease('outbound', { max: 10, leaseMs: 1000 })
    await queue.ack('waiting')
    const second = await queue.lease('outbound', { max: 10, leaseMs: 1000 })

    expect(first.map((job) => job.id)).toEqual(['waiting'])
    expect(second.map((job) => job.id)).toEqual(['failed'])
  })

  it('should find free jobs behind a long group', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue(
      'inbound',
      Array.from({ length: 2000 }, (_, index) => ({ id: `g-${index}`, payload: index, groupKey: 'busy' })),
    )
    await queue.enqueue('inbound', [
      { id: 'free-1', payload: 1 },
      { id: 'other-1', payload: 2, groupKey: 'other' },
    ])

    const leased = await queue.lease('inbound', { max: 10, leaseMs: 1000 })

    expect(leased.map((job) => job.id)).toEqual(['g-0', 'free-1', 'other-1'])
  })
})
