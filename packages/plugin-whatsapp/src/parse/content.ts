import type { ContactCard, MediaType, MessageContent } from '@chatwire/core'
import { asArray, asBoolean, asId, asNumber, asRecord, asString, compact, type JsonRecord } from './values.js'

/** The content of a message, or why it cannot be normalized. */
export type ContentResult = { content: MessageContent } | { unsupported: string }

const MEDIA_TYPES: ReadonlySet<string> = new Set(['image', 'audio', 'video', 'document', 'sticker'])

/**
 * Normalizes the type-specific part of an inbound message. The caller handles the types that have
 * no content in the model (`system`, `unsupported`, `unknown`). Any other unknown or incomplete
 * message returns a reason instead of content.
 */
export function contentOf(type: string, message: JsonRecord): ContentResult {
  if (MEDIA_TYPES.has(type)) {
    return mediaContent(type as MediaType, asRecord(message[type]))
  }
  switch (type) {
    case 'text':
      return textContent(asRecord(message.text))
    case 'location':
      return locationContent(asRecord(message.location))
    case 'contacts':
      return contactsContent(message.contacts)
    case 'interactive':
      return interactiveContent(asRecord(message.interactive))
    case 'button':
      return templateButtonContent(asRecord(message.button))
    case 'reaction':
      return reactionContent(asRecord(message.reaction))
    case 'order':
      return orderContent(asRecord(message.order))
    default:
      return { unsupported: `message type "${type}" is not modelled by the WhatsApp plugin` }
  }
}

function textContent(text: JsonRecord | undefined): ContentResult {
  const body = text?.body
  if (typeof body !== 'string') {
    return { unsupported: 'text message without a text.body string' }
  }
  return { content: { type: 'text', text: body } }
}

function mediaContent(mediaType: MediaType, media: JsonRecord | undefined): ContentResult {
  const mediaId = asId(media?.id)
  if (media === undefined || mediaId === undefined) {
    return { unsupported: `${mediaType} message without a media id` }
  }
  return {
    content: compact({
      type: 'media' as const,
      mediaType,
      mediaId,
      url: asString(media.url),
      mimeType: asString(media.mime_type),
      sha256: asString(media.sha256),
      caption: asString(media.caption),
      filename: asString(media.filename),
      voice: asBoolean(media.voice),
      animated: asBoolean(media.animated),
    }),
  }
}

function locationContent(location: JsonRecord | undefined): ContentResult {
  const latitude = asNumber(location?.latitude)
  const longitude = asNumber(location?.longitude)
  if (
    latitude === undefined ||
    longitude === undefined ||
    Math.abs(latitude) > 90 ||
    Math.abs(longitude) > 180
  ) {
    return { unsupported: 'location message without a valid latitude and longitude' }
  }
  return {
    content: compact({
      type: 'location' as const,
      latitude,
      longitude,
      name: asString(location?.name),
      address: asString(location?.address),
      url: asString(location?.url),
    }),
  }
}

function contactCard(value: unknown): ContactCard {
  const card = asRecord(value) ?? {}
  const name = asRecord(card.name)
  const phones = asArray(card.phones).flatMap((item) => {
    const phone = asRecord(item)
    const number = asString(phone?.phone)
    if (number === undefined) {
      return []
    }
    return [compact({ phone: number, type: asString(phone?.type), userId: asId(phone?.wa_id) })]
  })
  const emails = asArray(card.emails).flatMap((item) => {
    const email = asRecord(item)
    const address = asString(email?.email)
    return address === undefined ? [] : [compact({ email: address, type: asString(email?.type) })]
  })
  const urls = asArray(card.urls).flatMap((item) => {
    const url = asString(asRecord(item)?.url)
    return url === undefined ? [] : [url]
  })

  return compact({
    formattedName: asString(name?.formatted_name),
    firstName: asString(name?.first_name),
    lastName: asString(name?.last_name),
    phones,
    emails,
    organization: asString(asRecord(card.org)?.company),
    urls,
    birthday: asString(card.birthday),
  })
}

/** `messages[].contacts[]`: contact cards the user shared, not `value.contacts[]` (the sender). */
function contactsContent(cards: unknown): ContentResult {
  if (!Array.isArray(cards) || cards.length === 0) {
    return { unsupported: 'contacts message without contact cards' }
  }
  return { content: { type: 'contacts', contacts: cards.map(contactCard) } }
}

function interactiveContent(interactive: JsonRecord | undefined): ContentResult {
  const kind = asString(interactive?.type)
  if (kind === 'button_reply' || kind === 'list_reply') {
    const reply = asRecord(interactive?.[kind])
    const id = asId(reply?.id)
    if (id === undefined) {
      return { unsupported: `interactive ${kind} without an id` }
    }
    return {
      content: compact({
        type: 'interactive_reply' as const,
        replyType: kind === 'button_reply' ? ('button' as const) : ('list' as const),
        id,
        title: asString(reply?.title) ?? '',
        description: asString(reply?.description),
      }),
    }
  }
  return {
    unsupported: `interactive reply type "${kind ?? 'missing'}" is not modelled by the WhatsApp plugin`,
  }
}

/** Reads a tap on a template's quick-reply button, whose `button.payload` is the id the business set. */
function templateButtonContent(button: JsonRecord | undefined): ContentResult {
  const payload = asString(button?.payload)
  const text = asString(button?.text)
  if (payload === undefined && text === undefined) {
    return { unsupported: 'button message without a payload or text' }
  }
  return {
    content: {
      type: 'interactive_reply',
      replyType: 'template_button',
      id: payload ?? text ?? '',
      title: text ?? '',
    },
  }
}

/** Reads a reaction. WhatsApp sends the same object without `emoji` when the user removes it. */
function reactionContent(reaction: JsonRecord | undefined): ContentResult {
  const targetMessageId = asString(reaction?.message_id)
  if (targetMessageId === undefined) {
    return { unsupported: 'reaction without a message_id' }
  }
  return {
    content: compact({ type: 'reaction' as const, targetMessageId, emoji: asString(reaction?.emoji) }),
  }
}

function orderContent(order: JsonRecord | undefined): ContentResult {
  if (order === undefined) {
    return { unsupported: 'order message without an order object' }
  }
  const items = asArray(order.product_items).flatMap((value) => {
    const item = asRecord(value)
    const productId = asId(item?.product_retailer_id)
    const quantity = asNumber(item?.quantity)
    if (productId === undefined || quantity === undefined) {
      return []
    }
    return [
      compact({
        productId,
        quantity,
        itemPrice: asNumber(item?.item_price),
        currency: asString(item?.currency),
      }),
    ]
  })
  return {
    content: compact({
      type: 'order' as const,
      catalogId: asId(order.catalog_id),
      text: asString(order.text),
      items,
    }),
  }
}
