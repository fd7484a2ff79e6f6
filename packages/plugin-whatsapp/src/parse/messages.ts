import {
  type ConversationUpdateEvent,
  type MessageReceivedEvent,
  type NormalizedEvent,
  type Referral,
  stableEventId,
  unixSecondsToIso,
} from '@chatwire/core'
import { contentOf } from './content.js'
import { type ChangeContext, PLATFORM } from './context.js'
import { platformErrors } from './errors.js'
import { unsupportedEvent } from './unsupported.js'
import { asId, asRecord, asString, compact, type JsonRecord } from './values.js'

/** Turns `value.messages[]` into events, one per message, in order. */
export function messageEvents(messages: readonly unknown[], context: ChangeContext): NormalizedEvent[] {
  return messages.map((item) => messageEvent(item, context))
}

function messageEvent(item: unknown, context: ChangeContext): NormalizedEvent {
  const message = asRecord(item)
  const from = asId(message?.from)
  const wamid = asString(message?.id)
  const type = asString(message?.type)

  if (message === undefined || from === undefined || wamid === undefined || type === undefined) {
    return unsupportedEvent(context, {
      itemType: type ?? 'messages',
      reason: 'message item without the from, id and type fields',
      raw: item,
      userId: from,
      platformMessageId: wamid,
    })
  }

  const occurredAt = occurredAtOf(message.timestamp, context)
  const common = { userId: from, platformMessageId: wamid, occurredAt }

  if (type === 'system') {
    return systemEvent(message, wamid, from, occurredAt, context)
  }
  if (type === 'unsupported' || type === 'unknown') {
    const subtype = asString(asRecord(message.unsupported)?.type)
    return unsupportedEvent(context, {
      ...common,
      itemType: type,
      reason:
        subtype === undefined
          ? `WhatsApp delivered a message of type "${type}" that the Cloud API does not support`
          : `WhatsApp delivered a "${subtype}" message that the Cloud API does not support`,
      raw: item,
      errors: platformErrors(message.errors),
      idParts: [wamid],
    })
  }

  const result = contentOf(type, message)
  if ('unsupported' in result) {
    return unsupportedEvent(context, {
      ...common,
      itemType: type,
      reason: result.unsupported,
      raw: item,
      idParts: [wamid],
    })
  }

  const event: MessageReceivedEvent = compact({
    id: stableEventId(PLATFORM, 'message.received', wamid),
    kind: 'message.received' as const,
    platform: PLATFORM,
    channelAccountId: context.channelAccountId,
    conversationId: from,
    userId: from,
    platformMessageId: wamid,
    occurredAt,
    receivedAt: context.receivedAt,
    raw: item,
    message: result.content,
    userName: context.userNames.get(from),
    replyToMessageId: asString(asRecord(message.context)?.id),
    referral: referralOf(asRecord(message.referral)),
  })
  return event
}

/**
 * Turns a `system` message into a conversation update. `user_changed_number` (called
 * `customer_changed_number` in older payloads) carries the new WhatsApp id in `wa_id`, or in
 * `new_wa_id` in other versions of the payload. Any other system type, such as an identity
 * change, becomes an update of type `other`. This webhook has no `value.contacts`.
 */
function systemEvent(
  message: JsonRecord,
  wamid: string,
  from: string,
  occurredAt: string,
  context: ChangeContext,
): ConversationUpdateEvent {
  const system = asRecord(message.system)
  const systemType = asString(system?.type)
  const changedNumber = systemType === 'user_changed_number' || systemType === 'customer_changed_number'

  return compact({
    id: stableEventId(PLATFORM, 'conversation.updated', wamid),
    kind: 'conversation.updated' as const,
    platform: PLATFORM,
    channelAccountId: context.channelAccountId,
    conversationId: from,
    userId: from,
    platformMessageId: wamid,
    occurredAt,
    receivedAt: context.receivedAt,
    raw: message,
    update: compact({
      type: changedNumber ? ('user_changed_number' as const) : ('other' as const),
      text: asString(system?.body),
      newUserId: changedNumber ? (asId(system?.wa_id) ?? asId(system?.new_wa_id)) : undefined,
    }),
  })
}

/** Reads a click-to-WhatsApp ad referral. `ctwa_clid` is absent for ads shown in WhatsApp Status. */
function referralOf(referral: JsonRecord | undefined): Referral | undefined {
  if (referral === undefined) {
    return undefined
  }
  return compact({
    sourceType: asString(referral.source_type),
    sourceId: asId(referral.source_id),
    sourceUrl: asString(referral.source_url),
    headline: asString(referral.headline),
    body: asString(referral.body),
    clickId: asString(referral.ctwa_clid),
  })
}

/** Meta sends `timestamp` as a string of Unix seconds; an unreadable one falls back to the receive time. */
export function occurredAtOf(timestamp: unknown, context: ChangeContext): string {
  if (typeof timestamp === 'string' || typeof timestamp === 'number') {
    return unixSecondsToIso(timestamp) ?? context.receivedAt
  }
  return context.receivedAt
}
