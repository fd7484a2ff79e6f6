import { type DeliveryStatus, type NormalizedEvent, stableEventId } from '@chatwire/core'
import { type ChangeContext, PLATFORM } from './context.js'
import { platformErrors } from './errors.js'
import { occurredAtOf } from './messages.js'
import { unsupportedEvent } from './unsupported.js'
import { asId, asRecord, asString, compact } from './values.js'

const DELIVERY_STATUSES: ReadonlySet<string> = new Set(['sent', 'delivered', 'read', 'failed', 'played'])

/** Turns `value.statuses[]` into `message.status` events, one per status, in order. */
export function statusEvents(statuses: readonly unknown[], context: ChangeContext): NormalizedEvent[] {
  return statuses.map((item) => statusEvent(item, context))
}

function statusEvent(item: unknown, context: ChangeContext): NormalizedEvent {
  const status = asRecord(item)
  const wamid = asString(status?.id)
  const state = asString(status?.status)
  const recipientId = asId(status?.recipient_id)
  const occurredAt = occurredAtOf(status?.timestamp, context)

  if (status === undefined || wamid === undefined || state === undefined || recipientId === undefined) {
    return unsupportedEvent(context, {
      itemType: 'statuses',
      reason: 'status item without the id, status and recipient_id fields',
      raw: item,
      occurredAt,
      userId: recipientId,
      platformMessageId: wamid,
    })
  }
  if (!DELIVERY_STATUSES.has(state)) {
    return unsupportedEvent(context, {
      itemType: 'statuses',
      reason: `delivery status "${state}" is not modelled by the WhatsApp plugin`,
      raw: item,
      occurredAt,
      userId: recipientId,
      platformMessageId: wamid,
      idParts: [wamid, state],
    })
  }

  const errors = platformErrors(status.errors)
  return compact({
    id: stableEventId(PLATFORM, 'message.status', wamid, state),
    kind: 'message.status' as const,
    platform: PLATFORM,
    channelAccountId: context.channelAccountId,
    conversationId: recipientId,
    userId: recipientId,
    platformMessageId: wamid,
    occurredAt,
    receivedAt: context.receivedAt,
    raw: item,
    status: state as DeliveryStatus,
    recipientId,
    errors: errors.length === 0 ? undefined : errors,
    pricing: asRecord(status.pricing) as Record<string, unknown> | undefined,
    conversation: asRecord(status.conversation) as Record<string, unknown> | undefined,
  })
}
