import { createHash } from 'node:crypto'
import { type PlatformErrorDetail, stableEventId, type UnsupportedEvent } from '@chatwire/core'
import { type ChangeContext, PLATFORM } from './context.js'
import { compact } from './values.js'

export interface UnsupportedItem {
  itemType: string
  reason: string
  raw: unknown
  errors?: PlatformErrorDetail[]
  occurredAt?: string
  userId?: string
  platformMessageId?: string
  /** Platform ids to derive the event id from; without them the id is a digest of `raw`. */
  idParts?: readonly string[]
}

/**
 * Builds an `unsupported` event. Without platform ids the event id is a SHA-256 digest of the
 * item's JSON, which is deterministic because the item was parsed from the signed bytes: a
 * byte-identical redelivery gets the same id.
 */
export function unsupportedEvent(context: ChangeContext, item: UnsupportedItem): UnsupportedEvent {
  const idParts = item.idParts ?? [
    context.channelAccountId,
    item.itemType,
    createHash('sha256')
      .update(JSON.stringify(item.raw) ?? 'undefined')
      .digest('hex'),
  ]
  const userId = item.userId ?? ''

  return compact({
    id: stableEventId(PLATFORM, 'unsupported', ...idParts),
    kind: 'unsupported' as const,
    platform: PLATFORM,
    channelAccountId: context.channelAccountId,
    conversationId: userId,
    userId,
    platformMessageId: item.platformMessageId,
    occurredAt: item.occurredAt ?? context.receivedAt,
    receivedAt: context.receivedAt,
    raw: item.raw,
    itemType: item.itemType,
    reason: item.reason,
    errors: item.errors,
  })
}
