import type { DeliveryStatus } from '@chatwire/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SqliteStore } from '../src/index.js'
import { ManualClock, TempStores } from './helpers.js'

let stores: TempStores
let store: SqliteStore

const sent = {
  outboundId: 'out-1',
  platform: 'whatsapp',
  channelAccountId: '1065',
  recipientId: '15551234567',
  platformMessageId: 'wamid.A',
  tenantId: 'tenant-1',
  sentAt: '2026-01-01T10:00:00.000Z',
}

beforeEach(() => {
  stores = new TempStores()
  store = stores.open({ clock: new ManualClock() })
})

afterEach(async () => {
  await stores.cleanup()
})

function status(value: DeliveryStatus, occurredAt: string, platformMessageId = 'wamid.A') {
  return { platform: 'whatsapp', platformMessageId, status: value, occurredAt }
}

describe('SqliteDeliveryStore', () => {
  it('should record a sent message', async () => {
    const record = await store.deliveries.recordSent(sent)

    expect(record).toEqual({
      outboundId: 'out-1',
      platform: 'whatsapp',
      channelAccountId: '1065',
      recipientId: '15551234567',
      platformMessageId: 'wamid.A',
      tenantId: 'tenant-1',
      status: 'sent',
      sentAt: '2026-01-01T10:00:00.000Z',
      updatedAt: '2026-01-01T10:00:00.000Z',
    })
    expect(await store.deliveries.get('wamid.A')).toEqual(record)
    expect(await store.deliveries.getByOutboundId('out-1')).toEqual(record)
  })

  it('should move forward through delivered and read', async () => {
    await store.deliveries.recordSent(sent)

    const delivered = await store.deliveries.applyStatus(status('delivered', '2026-01-01T10:00:01Z'))
    const read = await store.deliveries.applyStatus(status('read', '2026-01-01T10:00:02Z'))

    expect(delivered?.status).toBe('delivered')
    expect(read).toMatchObject({ status: 'read', updatedAt: '2026-01-01T10:00:02.000Z' })
  })

  it('should never move backwards', async () => {
    await store.deliveries.recordSent(sent)
    await store.deliveries.applyStatus(status('read', '2026-01-01T10:00:02Z'))

    const lateDelivered = await store.deliveries.applyStatus(status('delivered', '2026-01-01T10:00:01Z'))
    const lateSent = await store.deliveries.applyStatus(status('sent', '2026-01-01T10:00:00Z'))
    await store.deliveries.recordSent(sent)

    expect(lateDelivered).toMatchObject({ status: 'read', updatedAt: '2026-01-01T10:00:02.000Z' })
    expect(lateSent?.status).toBe('read')
    expect((await store.deliveries.get('wamid.A'))?.status).toBe('read')
  })

  it('should keep failed with its errors', async () => {
    await store.deliveries.recordSent(sent)
    const errors = [{ code: '131047', title: 'Re-engagement message' }]

    const failed = await store.deliveries.applyStatus({ ...status('failed', '2026-01-01T10:00:03Z'), errors })
    const lateRead = await store.deliveries.applyStatus(status('read', '2026-01-01T10:00:04Z'))

    expect(failed).toMatchObject({ status: 'failed', errors })
    expect(lateRead).toMatchObject({ status: 'failed', errors })
  })

  it('should keep a status that arrives before recordSent', async () => {
    const early = await store.deliveries.applyStatus(status('delivered', '2026-01-01T10:00:01Z'))
    const record = await store.deliveries.recordSent(sent)

    expect(early).toBeUndefined()
    expect(record).toMatchObject({ outboundId: 'out-1', status: 'delivered' })
  })

  it('should return undefined for unknown ids', async () => {
    expect(await store.deliveries.get('wamid.unknown')).toBeUndefined()
    expect(await store.deliveries.getByOutboundId('out-unknown')).toBeUndefined()
  })

  it('should key deliveries by platform', async () => {
    await store.deliveries.recordSent(sent)
    await store.deliveries.recordSent({ ...sent, outboundId: 'out-2', platform: 'messenger' })

    await store.deliveries.applyStatus({ ...status('read', '2026-01-01T10:00:02Z'), platform: 'messenger' })

    expect((await store.deliveries.get('wamid.A', 'whatsapp'))?.status).toBe('sent')
    expect((await store.deliveries.get('wamid.A', 'messenger'))?.status).toBe('read')
  })

  it('should reject an unknown status or a bad time', async () => {
    await expect(
      store.deliveries.applyStatus(status('seen' as DeliveryStatus, '2026-01-01T10:00:00Z')),
    ).rejects.toMatchObject({ code: 'CHATWIRE_ERR_STORE_INVALID_ARGUMENT' })
    await expect(store.deliveries.recordSent({ ...sent, sentAt: 'yesterday' })).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
    })
  })

  it('should prune old statuses of messages never recorded as sent', async () => {
    const clock = new ManualClock(Date.parse('2026-01-01T10:00:00Z'))
    const own = stores.open({ clock, dedupTtlMs: 60_000 })
    await own.deliveries.applyStatus(status('delivered', '2026-01-01T10:00:00Z', 'wamid.orphan'))
    clock.advance(60_001)

    await own.pruneExpired()
    const record = await own.deliveries.recordSent({ ...sent, platformMessageId: 'wamid.orphan' })

    expect(record.status).toBe('sent')
  })
})
