/**
 * The normalized event model: every platform plugin turns its webhooks into these.
 * Events leave the process as JSON, so every field is JSON-safe and times are ISO 8601
 * strings in UTC. `event-schema.ts` contains the matching JSON Schema.
 */

/** Fields shared by every event kind. */
export interface EventBase {
  /** Stable id derived from the platform's own ids; the same delivery always yields the same id. */
  id: string
  /** Platform id of the plugin that produced the event, for example `whatsapp`. */
  platform: string
  /** The platform account that received the event (a WhatsApp phone number id, a Slack team id); resolves the tenant. */
  channelAccountId: string
  conversationId: string
  userId: string
  platformMessageId?: string
  /** Time the platform gives for the event, ISO 8601 in UTC. */
  occurredAt: string
  /** Time Chatwire received the webhook, ISO 8601 in UTC. */
  receivedAt: string
  /** The platform's item this event was built from, unchanged. */
  raw: unknown
}

export type MediaType = 'image' | 'audio' | 'video' | 'document' | 'sticker' | 'file'

export interface TextContent {
  type: 'text'
  text: string
}

export interface MediaContent {
  type: 'media'
  mediaType: MediaType
  /** The platform's media id, used to download the bytes with the channel's credentials. */
  mediaId?: string
  url?: string
  mimeType?: string
  sha256?: string
  caption?: string
  filename?: string
  /** True for a recorded voice note, false for an audio file. */
  voice?: boolean
  animated?: boolean
}

export interface LocationContent {
  type: 'location'
  latitude: number
  longitude: number
  name?: string
  address?: string
  url?: string
}

export interface ContactCard {
  formattedName?: string
  firstName?: string
  lastName?: string
  phones: { phone: string; type?: string; userId?: string }[]
  emails: { email: string; type?: string }[]
  organization?: string
  urls: string[]
  birthday?: string
}

export interface ContactsContent {
  type: 'contacts'
  contacts: ContactCard[]
}

/** A reply chosen from something the business sent: a button, a list row or a template quick reply. */
export interface InteractiveReplyContent {
  type: 'interactive_reply'
  replyType: 'button' | 'list' | 'template_button'
  /** The id or payload the business attached to the option. */
  id: string
  title: string
  description?: string
}

export interface ReactionContent {
  type: 'reaction'
  targetMessageId: string
  /** The emoji; absent when the user removed their reaction. */
  emoji?: string
}

export interface OrderContent {
  type: 'order'
  catalogId?: string
  text?: string
  items: { productId: string; quantity: number; itemPrice?: number; currency?: string }[]
}

export type MessageContent =
  | TextContent
  | MediaContent
  | LocationContent
  | ContactsContent
  | InteractiveReplyContent
  | ReactionContent
  | OrderContent

/** The origin of a conversation, such as a click-to-chat advert. */
export interface Referral {
  sourceType?: string
  sourceId?: string
  sourceUrl?: string
  headline?: string
  body?: string
  clickId?: string
}

export interface MessageReceivedEvent extends EventBase {
  kind: 'message.received'
  message: MessageContent
  /** The display name the platform gave for the sender, when it sent one. */
  userName?: string
  /** The platform message id this message replies to or was sent from. */
  replyToMessageId?: string
  referral?: Referral
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed' | 'played'

export interface PlatformErrorDetail {
  code: string
  title?: string
  message?: string
  details?: string
}

export interface MessageStatusEvent extends EventBase {
  kind: 'message.status'
  status: DeliveryStatus
  /** The recipient of the business's message. */
  recipientId: string
  errors?: PlatformErrorDetail[]
  /** Platform billing and conversation facts, passed through when present. */
  pricing?: Record<string, unknown>
  conversation?: Record<string, unknown>
}

export type InteractionType = 'postback' | 'button' | 'slash_command' | 'block_action'

export interface InteractionEvent extends EventBase {
  kind: 'interaction'
  interaction: {
    type: InteractionType
    /** The action, button or command id. */
    actionId?: string
    payload?: string
    title?: string
    /** The slash command, for example `/order`. */
    command?: string
    text?: string
    /** A URL that accepts a delayed response, when the platform gives one. */
    responseUrl?: string
    triggerId?: string
  }
}

export type ConversationUpdateType =
  | 'member_added'
  | 'member_removed'
  | 'user_changed_number'
  | 'conversation_renamed'
  | 'other'

export interface ConversationUpdateEvent extends EventBase {
  kind: 'conversation.updated'
  update: {
    type: ConversationUpdateType
    /** Human-readable text from the platform, when it sent one. */
    text?: string
    /** The user's new id after a number change. */
    newUserId?: string
    memberIds?: string[]
  }
}

/** An item the plugin received but does not model; kept so nothing is silently dropped. */
export interface UnsupportedEvent extends EventBase {
  kind: 'unsupported'
  /** The platform's own name of the item type, for example a webhook field or message type. */
  itemType: string
  reason: string
  errors?: PlatformErrorDetail[]
}

export type NormalizedEvent =
  | MessageReceivedEvent
  | MessageStatusEvent
  | InteractionEvent
  | ConversationUpdateEvent
  | UnsupportedEvent

export type EventKind = NormalizedEvent['kind']

export const EVENT_KINDS: readonly EventKind[] = [
  'message.received',
  'message.status',
  'interaction',
  'conversation.updated',
  'unsupported',
]
