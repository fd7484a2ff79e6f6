import type { Clock, DeliveryStatus, PlatformErrorDetail } from '@chatwire/core'
import type Database from 'better-sqlite3'
import type { StoreConnection } from './connection.js'
import { createStoreError } from './errors.js'

/**
 * Order of delivery statuses. A status replaces the stored one only when its rank is higher, so
 * late or redelivered webhooks never move a message backwards. `played` (voice messages on
 * WhatsApp) follows `read`, and `failed` is final.
 */
const STATUS_RANK: Readonly<Record<DeliveryStatus, number>> = {
  sent: 1,
  delivered: 2,
  read: 3,
  played: 4,
  failed: 5,
}

/** Time as Unix milliseconds or an ISO 8601 string, as in normalized events. */
export type TimeInput = number | string

export interface SentMessage {
  outboundId: string
  platform: string
  channelAccountId: string
  recipientId: string
  platformMessageId: string
  tenantId?: string
  sentAt: TimeInput
}

export interface StatusUpdate {
  platform: string
  platformMessageId: string
  status: DeliveryStatus
  occurredAt: TimeInput
  errors?: PlatformErrorDetail[]
}

/** Delivery state of one message Chatwire sent. */
export interface DeliveryRecord {
  outboundId: string
  platform: string
  channelAccountId: string
  recipientId: string
  platformMessageId: string
  tenantId?: string
  status: DeliveryStatus
  /** Time of the stored status, ISO 8601 UTC. */
  updatedAt: string
  /** Time the platform accepted the message, ISO 8601 UTC. */
  sentAt?: string
  errors?: PlatformErrorDetail[]
}

interface DeliveryRow {
  platform: string
  platform_message_id: string
  outbound_id: string | null
  channel_account_id: string | null
  recipient_id: string | null
  tenant_id: string | null
  status: DeliveryStatus
  sent_at: number | null
  updated_at: number
  errors: string | null
}

const COLUMNS =
  'platform, platform_message_id, outbound_id, channel_account_id, recipient_id, tenant_id, status, sent_at, updated_at, errors'

function toUnixMs(name: string, value: TimeInput): number {
  const ms = typeof value === 'number' ? value : Date.parse(value)
  if (!Number.isFinite(ms)) {
    throw createStoreError(
      'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
      `${name} must be Unix milliseconds or an ISO 8601 date, got ${JSON.stringify(value)}`,
      { details: { name } },
    )
  }
  return ms
}

function toRecord(row: DeliveryRow | undefined): DeliveryRecord | undefined {
  // A row without an outbound id contains a status that arrived before recordSent, so it is not a record yet.
  if (row === undefined || row.outbound_id === null) {
    return undefined
  }

  const record: DeliveryRecord = {
    outboundId: row.outbound_id,
    platform: row.platform,
    channelAccountId: row.channel_account_id ?? '',
    recipientId: row.recipient_id ?? '',
    platformMessageId: row.platform_message_id,
    status: row.status,
    updatedAt: new Date(row.updated_at).toISOString(),
  }
  if (row.tenant_id !== null) record.tenantId = row.tenant_id
  if (row.sent_at !== null) record.sentAt = new Date(row.sent_at).toISOString()
  if (row.errors !== null) record.errors = JSON.parse(row.errors) as PlatformErrorDetail[]
  return record
}

/**
 * Delivery state of sent messages, keyed by platform and platform message id. A status webhook
 * can arrive before the send call that produced the id has been recorded. Such a status is kept
 * in a row without outbound id, and `recordSent` merges it.
 */
export class SqliteDeliveryStore {
  readonly #connection: StoreConnection
  readonly #clock: Clock
  readonly #statements: ReturnType<typeof prepareDeliveryStatements>

  constructor(connection: StoreConnection, clock: Clock) {
    this.#connection = connection
    this.#clock = clock
    this.#statements = prepareDeliveryStatements(connection.db)
  }

  /** Records a message the platform accepted, keeping a status that arrived earlier. */
  async recordSent(message: SentMessage): Promise<DeliveryRecord> {
    const sentAt = toUnixMs('sentAt', message.sentAt)

    return this.#connection.writer.submit(() => {
      this.#statements.upsertSent.run({
        platform: message.platform,
        platform_message_id: message.platformMessageId,
        outbound_id: message.outboundId,
        channel_account_id: message.channelAccountId,
        recipient_id: message.recipientId,
        tenant_id: message.tenantId ?? null,
        status: 'sent',
        status_rank: STATUS_RANK.sent,
        sent_at: sentAt,
      })
      return toRecord(
        this.#statements.selectOne.get(message.platform, message.platformMessageId) as DeliveryRow,
      )!
    })
  }

  /**
   * Applies a status webhook and returns the record as stored afterwards, or undefined when no
   * message with that id was recorded as sent (the status is kept for a later `recordSent`).
   */
  async applyStatus(update: StatusUpdate): Promise<DeliveryRecord | undefined> {
    const rank = STATUS_RANK[update.status]
    if (rank === undefined) {
      throw createStoreError(
        'CHATWIRE_ERR_STORE_INVALID_ARGUMENT',
        `status must be one of ${Object.keys(STATUS_RANK).join(', ')}, got ${JSON.stringify(update.status)}`,
        { details: { name: 'status' } },
      )
    }
    const occurredAt = toUnixMs('occurredAt', update.occurredAt)

    return this.#connection.writer.submit(() => {
      this.#statements.upsertStatus.run({
        platform: update.platform,
        platform_message_id: update.platformMessageId,
        status: update.status,
        status_rank: rank,
        updated_at: occurredAt,
        errors: update.errors === undefined ? null : JSON.stringify(update.errors),
      })
      return toRecord(
        this.#statements.selectOne.get(update.platform, update.platformMessageId) as DeliveryRow,
      )
    })
  }

  /** Returns the record of a platform message id; pass `platform` when ids can repeat across platforms. */
  async get(platformMessageId: string, platform?: string): Promise<DeliveryRecord | undefined> {
    return this.#connection.read(() => {
      const row =
        platform === undefined
          ? this.#statements.selectByMessageId.get(platformMessageId)
          : this.#statements.selectOne.get(platform, platformMessageId)
      return toRecord(row as DeliveryRow | undefined)
    })
  }

  /** Returns the record of an outbound message; the latest one when it was sent more than once. */
  async getByOutboundId(outboundId: string): Promise<DeliveryRecord | undefined> {
    return this.#connection.read(() =>
      toRecord(this.#statements.selectByOutboundId.get(outboundId) as DeliveryRow),
    )
  }

  /** Deletes statuses of messages never recorded as sent that are older than `maxAgeMs`. */
  pruneOrphanStatuses(maxAgeMs: number): Promise<number> {
    return this.#connection.writer.submit(
      () => this.#statements.deleteOrphans.run(this.#clock.now() - maxAgeMs).changes,
    )
  }
}

function prepareDeliveryStatements(db: Database.Database) {
  return {
    upsertSent: db.prepare(
      `INSERT INTO deliveries (platform, platform_message_id, outbound_id, channel_account_id, recipient_id,
         tenant_id, status, status_rank, sent_at, updated_at)
       VALUES (@platform, @platform_message_id, @outbound_id, @channel_account_id, @recipient_id,
         @tenant_id, @status, @status_rank, @sent_at, @sent_at)
       ON CONFLICT (platform, platform_message_id) DO UPDATE SET
         outbound_id = excluded.outbound_id,
         channel_account_id = excluded.channel_account_id,
         recipient_id = excluded.recipient_id,
         tenant_id = excluded.tenant_id,
         sent_at = excluded.sent_at`,
    ),
    upsertStatus: db.prepare(
      `INSERT INTO deliveries (platform, platform_message_id, status, status_rank, updated_at, errors)
       VALUES (@platform, @platform_message_id, @status, @status_rank, @updated_at, @errors)
       ON CONFLICT (platform, platform_message_id) DO UPDATE SET
         status = excluded.status,
         status_rank = excluded.status_rank,
         updated_at = excluded.updated_at,
         errors = excluded.errors
       WHERE excluded.status_rank > deliveries.status_rank`,
    ),
    selectOne: db.prepare(`SELECT ${COLUMNS} FROM deliveries WHERE platform = ? AND platform_message_id = ?`),
    selectByMessageId: db.prepare(
      `SELECT ${COLUMNS} FROM deliveries WHERE platform_message_id = ? AND outbound_id IS NOT NULL LIMIT 1`,
    ),
    selectByOutboundId: db.prepare(
      `SELECT ${COLUMNS} FROM deliveries WHERE outbound_id = ? ORDER BY sent_at DESC, updated_at DESC LIMIT 1`,
    ),
    deleteOrphans: db.prepare('DELETE FROM deliveries WHERE outbound_id IS NULL AND updated_at < ?'),
  }
}
