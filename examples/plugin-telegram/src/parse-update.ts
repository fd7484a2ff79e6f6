import {
  type ConversationUpdateEvent,
  createCoreError,
  type EventBase,
  type InteractionEvent,
  type MessageReceivedEvent,
  type NormalizedEvent,
  stableEventId,
  unixSecondsToIso,
} from '@chatwire/core'
import { messageContentOf } from './message-content.js'
import type { TelegramMessage, TelegramUpdate, TelegramUser } from './telegram-types.js'

const PLATFORM = 'telegram'

/** Update fields that carry no content of their own. */
const META_FIELDS = new Set(['update_id'])

/**
 * Reads a webhook body as a Telegram Update. Throws `CHATWIRE_ERR_MALFORMED_BODY` when the body
 * is not a JSON object with an integer `update_id`, because without that id the update cannot be
 * de-duplicated.
 */
export function readUpdate(text: string | undefined): TelegramUpdate {
  let parsed: unknown
  try {
    parsed = text === undefined ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw createCoreError('CHATWIRE_ERR_MALFORMED_BODY', 'the Telegram webhook body is not a JSON object')
  }
  const updateId = (parsed as { update_id?: unknown }).update_id
  if (typeof updateId !== 'number' || !Number.isSafeInteger(updateId)) {
    throw createCoreError(
      'CHATWIRE_ERR_MALFORMED_BODY',
      `the Telegram update has no integer update_id (received ${JSON.stringify(updateId ?? null)})`,
    )
  }
  return parsed as TelegramUpdate
}

function userNameOf(user: TelegramUser | undefined): string | undefined {
  if (user === undefined) {
    return undefined
  }
  if (user.username !== undefined) {
    return user.username
  }
  const name = [user.first_name, user.last_name].filter((part) => part !== undefined).join(' ')
  return name === '' ? undefined : name
}

interface UpdateContext {
  botId: string
  receivedAt: string
  update: TelegramUpdate
}

/**
 * Builds the fields shared by every event of one update. The id hashes the bot id with the
 * update_id, because Telegram numbers updates per bot and redelivers with the same update_id.
 */
function baseOf(
  context: UpdateContext,
  kind: NormalizedEvent['kind'],
  message: TelegramMessage | undefined,
  user: TelegramUser | undefined,
): EventBase {
  const base: EventBase = {
    id: stableEventId(PLATFORM, kind, context.botId, String(context.update.update_id)),
    platform: PLATFORM,
    channelAccountId: context.botId,
    conversationId: String(message?.chat?.id ?? user?.id ?? ''),
    userId: String(user?.id ?? message?.chat?.id ?? ''),
    occurredAt:
      (message?.date === undefined ? undefined : unixSecondsToIso(message.date)) ?? context.receivedAt,
    receivedAt: context.receivedAt,
    raw: context.update,
  }
  if (message?.message_id !== undefined) {
    base.platformMessageId = String(message.message_id)
  }
  return base
}

function unsupported(
  context: UpdateContext,
  itemType: string,
  reason: string,
  message?: TelegramMessage,
): NormalizedEvent {
  return { ...baseOf(context, 'unsupported', message, message?.from), kind: 'unsupported', itemType, reason }
}

/**
 * Turns one Telegram Update into normalized events: `message` becomes `message.received`,
 * `edited_message` a `conversation.updated` of type `other` carrying the new text, and
 * `callback_query` an `interaction` of type `button`. Every other update type becomes
 * `unsupported`, so nothing is dropped silently.
 */
export function parseUpdate(update: TelegramUpdate, botId: string, receivedAtMs: number): NormalizedEvent[] {
  const context: UpdateContext = { botId, update, receivedAt: new Date(receivedAtMs).toISOString() }

  if (update.message !== undefined) {
    const message = update.message
    const content = messageContentOf(message)
    if (content === undefined) {
      return [
        unsupported(
          context,
          'message',
          'the message has a content type the event model does not cover',
          message,
        ),
      ]
    }
    const event: MessageReceivedEvent = {
      ...baseOf(context, 'message.received', message, message.from),
      kind: 'message.received',
      message: content,
    }
    const userName = userNameOf(message.from)
    if (userName !== undefined) event.userName = userName
    if (message.reply_to_message?.message_id !== undefined) {
      event.replyToMessageId = String(message.reply_to_message.message_id)
    }
    return [event]
  }

  if (update.edited_message !== undefined) {
    const message = update.edited_message
    const event: ConversationUpdateEvent = {
      ...baseOf(context, 'conversation.updated', message, message.from),
      kind: 'conversation.updated',
      update: { type: 'other' },
    }
    const text = message.text ?? message.caption
    if (text !== undefined) event.update.text = text
    return [event]
  }

  if (update.callback_query !== undefined) {
    const query = update.callback_query
    const event: InteractionEvent = {
      ...baseOf(context, 'interaction', query.message, query.from),
      kind: 'interaction',
      interaction: { type: 'button' },
    }
    // The chat is the one of the message the button was attached to; the user is who pressed it.
    event.userId = String(query.from?.id ?? '')
    if (query.data !== undefined) {
      event.interaction.actionId = query.data
      event.interaction.payload = query.data
    }
    if (query.id !== undefined) event.interaction.triggerId = query.id
    return [event]
  }

  const itemType = Object.keys(update).find((key) => !META_FIELDS.has(key)) ?? 'empty'
  return [unsupported(context, itemType, `the plugin does not handle ${itemType} updates`)]
}
