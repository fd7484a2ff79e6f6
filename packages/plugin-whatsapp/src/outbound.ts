import type { OutboundMessage } from '@chatwire/core'
import { createWhatsAppError } from './error-codes.js'

type JsonObject = Record<string, unknown>

function invalid(message: string): never {
  throw createWhatsAppError('CHATWIRE_ERR_WHATSAPP_MESSAGE_INVALID', message)
}

function withoutUndefined(source: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined))
}

/**
 * Builds the JSON body of `POST /{phone-number-id}/messages` for a normalized message. Throws
 * `CHATWIRE_ERR_WHATSAPP_MESSAGE_INVALID` for a message WhatsApp cannot express, such as media
 * with neither a media id nor a link. Limits that Meta enforces (button count, text length) are
 * left to the Graph API, whose error 100 becomes a permanent outcome.
 */
export function buildMessageBody(message: OutboundMessage): JsonObject {
  const content = message.content

  if (content.type === 'mark_read') {
    return { messaging_product: 'whatsapp', status: 'read', message_id: content.messageId }
  }

  const body: JsonObject = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.recipientId,
  }
  if (message.replyToMessageId !== undefined && content.type !== 'reaction') {
    body.context = { message_id: message.replyToMessageId }
  }

  switch (content.type) {
    case 'text':
      return { ...body, type: 'text', text: { preview_url: content.previewUrl ?? false, body: content.text } }
    case 'media':
      return { ...body, type: content.mediaType, [content.mediaType]: mediaObject(content) }
    case 'buttons':
      return {
        ...body,
        type: 'interactive',
        interactive: withoutUndefined({
          type: 'button',
          header: content.header === undefined ? undefined : { type: 'text', text: content.header },
          body: { text: content.body },
          footer: content.footer === undefined ? undefined : { text: content.footer },
          action: {
            buttons: content.buttons.map((button) => ({
              type: 'reply',
              reply: { id: button.id, title: button.title },
            })),
          },
        }),
      }
    case 'list':
      return {
        ...body,
        type: 'interactive',
        interactive: withoutUndefined({
          type: 'list',
          header: content.header === undefined ? undefined : { type: 'text', text: content.header },
          body: { text: content.body },
          footer: content.footer === undefined ? undefined : { text: content.footer },
          action: {
            button: content.buttonText,
            sections: content.sections.map((section) =>
              withoutUndefined({
                title: section.title,
                rows: section.rows.map((row) => withoutUndefined({ ...row })),
              }),
            ),
          },
        }),
      }
    case 'template':
      return {
        ...body,
        type: 'template',
        template: withoutUndefined({
          name: content.name,
          language: { code: content.languageCode },
          components: content.components,
        }),
      }
    case 'reaction':
      return { ...body, type: 'reaction', reaction: { message_id: content.messageId, emoji: content.emoji } }
    default:
      return invalid(
        `content type ${JSON.stringify((content as { type: unknown }).type)} cannot be sent to WhatsApp`,
      )
  }
}

function mediaObject(content: Extract<OutboundMessage['content'], { type: 'media' }>): JsonObject {
  const hasId = content.mediaId !== undefined && content.mediaId !== ''
  const hasLink = content.link !== undefined && content.link !== ''
  if (hasId === hasLink) {
    invalid(`${content.mediaType} content needs exactly one of mediaId or link`)
  }
  // WhatsApp takes a caption on image, video and document only, and a filename on documents only.
  const captioned =
    content.mediaType === 'image' || content.mediaType === 'video' || content.mediaType === 'document'
  if (content.caption !== undefined && !captioned) {
    invalid(
      `${content.mediaType} content cannot carry a caption; WhatsApp accepts captions on image, video and document`,
    )
  }
  if (content.filename !== undefined && content.mediaType !== 'document') {
    invalid(`${content.mediaType} content cannot carry a filename; only documents have one`)
  }
  return withoutUndefined({
    id: hasId ? content.mediaId : undefined,
    link: hasLink ? content.link : undefined,
    caption: content.caption,
    filename: content.filename,
  })
}
