import type { ContactCard, MediaContent, MessageContent } from '@chatwire/core'
import type { TelegramFile, TelegramMessage } from './telegram-types.js'

function media(
  mediaType: 'image' | 'audio' | 'video' | 'document' | 'sticker',
  file: TelegramFile | undefined,
  caption: string | undefined,
  extra: Pick<MediaContent, 'voice' | 'animated'> = {},
): MediaContent | undefined {
  if (file?.file_id === undefined) {
    return undefined
  }
  const content: MediaContent = { type: 'media', mediaType, mediaId: file.file_id, ...extra }
  if (file.mime_type !== undefined) content.mimeType = file.mime_type
  if (file.file_name !== undefined) content.filename = file.file_name
  if (caption !== undefined) content.caption = caption
  return content
}

/**
 * Maps a Telegram message to normalized content, or returns undefined for kinds the event model
 * has no content type for (polls, dice, games and service messages among them).
 */
export function messageContentOf(message: TelegramMessage): MessageContent | undefined {
  const caption = message.caption

  if (typeof message.text === 'string') {
    return { type: 'text', text: message.text }
  }
  if (Array.isArray(message.photo) && message.photo.length > 0) {
    // Telegram lists the sizes of one photo from smallest to largest.
    return media('image', message.photo.at(-1), caption)
  }
  if (message.voice !== undefined) return media('audio', message.voice, caption, { voice: true })
  if (message.animation !== undefined) return media('video', message.animation, caption, { animated: true })
  if (message.video !== undefined) return media('video', message.video, caption)
  if (message.audio !== undefined) return media('audio', message.audio, caption)
  if (message.document !== undefined) return media('document', message.document, caption)
  if (message.sticker !== undefined) {
    const animated = message.sticker.is_animated === true || message.sticker.is_video === true
    return media('sticker', message.sticker, undefined, { animated })
  }

  const place = message.venue?.location ?? message.location
  if (typeof place?.latitude === 'number' && typeof place.longitude === 'number') {
    const content: MessageContent = { type: 'location', latitude: place.latitude, longitude: place.longitude }
    if (message.venue?.title !== undefined) content.name = message.venue.title
    if (message.venue?.address !== undefined) content.address = message.venue.address
    return content
  }

  const contact = message.contact
  if (typeof contact?.phone_number === 'string') {
    const name = [contact.first_name, contact.last_name].filter((part) => part !== undefined).join(' ')
    const phone: { phone: string; userId?: string } = { phone: contact.phone_number }
    if (contact.user_id !== undefined) phone.userId = String(contact.user_id)
    const card: ContactCard = { formattedName: name, phones: [phone], emails: [], urls: [] }
    if (contact.first_name !== undefined) card.firstName = contact.first_name
    if (contact.last_name !== undefined) card.lastName = contact.last_name
    return { type: 'contacts', contacts: [card] }
  }

  return undefined
}
