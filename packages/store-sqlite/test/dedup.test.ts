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

describe('enqueue de-duplication', () => {
  it('should store one of two items with the same key in one call', async () => {
    const { queue } = stores.open({ clock })

    const result = await queue.enqueue('inbound', [
      { id: 'first', payload: 1, dedupKey: 'wamid.1' },
      { id: 'second', payload: 2, dedupKey: 'wamid.1' },
    ])

    expect(result).toEqual({ enqueued: ['first'], duplicates: ['wamid.1'] })
    expect(await queue.depth('inbound')).toBe(1)
  })

  it('should store one of two calls with the same key in one batch', async () => {
    const { queue } = stores.open({ clock })

    const [first, second] = await Promise.all([
      queue.enqueue('inbound', [{ id: 'first', payload: 1, dedupKey: 'wamid.1' }]),
      queue.enqueue('inbound', [{ id: 'second', payload: 2, dedupKey: 'wamid.1' }]),
    ])

    expect(first).toEqual({ enqueued: ['first'], duplicates: [] })
    expect(second).toEqual({ enqueued: [], duplicates: ['wamid.1'] })
    expect(await queue.depth('inbound')).toBe(1)
  })

  it('should report a redelivery in a later batch as a duplicate', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [{ payload: 1, dedupKey: 'slack.Ev1' }])
    clock.advance(5 * 60 * 1000)

    const again = await queue.enqueue('inbound', [{ payload: 1, dedupKey: 'slack.Ev1' }])

    expect(again).toEqual({ enqueued: [], duplicates: ['slack.Ev1'] })
  })

  it('should keep keys after the job is acked', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [{ id: 'a', payload: 1, dedupKey: 'k' }])
    await queue.lease('inbound', { max: 1, leaseMs: 1000 })
    await queue.ack('a')

    const again = await queue.enqueue('inbound', [{ payload: 1, dedupKey: 'k' }])

    expect(again.duplicates).toEqual(['k'])
  })

  it('should expire keys after 48 hours by default', async () => {
    const { queue } = stores.open({ clock })
    await queue.enqueue('inbound', [{ payload: 1, dedupKey: 'k' }])

    clock.advance(48 * 60 * 60 * 1000 - 1)
    const withinTtl = await queue.enqueue('inbound', [{ payload: 1, dedupKey: 'k' }])
    clock.advance(1)
    const afterTtl = await queue.enqueue('inbound', [{ id: 'late', payload: 1, dedupKey: 'k' }])

    expect(withinTtl.duplicates).toEqual(['k'])
    expect(afterTtl).toEqual({ enqueued: ['late'], duplicates: [] })
  })

  it('should honour a custom dedupTtlMs', async () => {
    const { queue } = stores.open({ clock, dedupTtlMs: 1000 })
    await queue.enqueue('inbound', [{ payload: 1, dedupKey: 'k' }])
    clock.advance(1000)

    expect((await queue.enqueue('inbound', [{ payload: 1, dedupKey: 'k' }])).enqueued).toHaveLength(1)
  })

  it('should not record the key of an enqueue that failed', async () => {
    const { queue } = stores.open({ clock })
    await expect(
      queue.enqueue('inbound', [
        { payload: 1, dedupKey: 'k' },
        { payload: undefined, dedupKey: 'other' },
      ]),
    ).rejects.toMatchObject({ code: 'CHATWIRE_ERR_STORE_INVALID_ARGUMENT' })

    const retried = await queue.enqueue('inbound', [{ id: 'stored', payload: 1, dedupKey: 'k' }])

    expect(retried).toEqual({ enqueued: ['stored'], duplicates: [] })
  })
})

describe('SqliteDedupStore', () => {
  it('should claim each key once within its time to live', async () => {
    const { dedup } = stores.open({ clock })

    const first = await dedup.claim(['a', 'b', 'a'], 1000)
    const second = await dedup.claim(['a', 'c'], 1000)
    clock.advance(1000)
    const afterTtl = await dedup.claim(['a'], 1000)

    expect(first).toEqual([true, true, false])
    expect(second).toEqual([false, true])
    expect(afterTtl).toEqual([true])
  })

  it('should share keys with enqueue', async () => {
    const { dedup, queue } = stores.open({ clock })
    await dedup.claim(['k'], 60_000)

    expect((await queue.enqueue('inbound', [{ payload: 1, dedupKey: 'k' }])).duplicates).toEqual(['k'])
  })

  it('should reject a ttl that is not positive', async () => {
    const { dedup } = stores.open({ clock })

    await expect(dedup.claim(['a'], 0)).rejects.toMatchObject({ code: 'CHATWIRE_ERR_STORE_INVALID_ARGUMENT' })
  })

  it('should prune expired keys only', async () => {
    const store = stores.open({ clock })
    await store.dedup.claim(['short'], 1000)
    await store.dedup.claim(['long'], 10_000)
    clock.advance(1000)

    const pruned = await store.pruneExpired()

    expect(pruned).toBe(1)
    expect(await store.dedup.claim(['long', 'short'], 1000)).toEqual([false, true])
  })
})
