import type { InteractionEvent, MessageContent, MessageReceivedEvent } from '@chatwire/core'

/** Engine input for one event: its text and the kind of content. */
export interface EngineContent {
  content: string
  contentType: string
  hints: Record<string, string>
}

function messageText(message: MessageContent): EngineContent {
  switch (message.type) {
    case 'text':
      return { content: message.text, contentType: 'text', hints: {} }
    case 'media':
      return {
        content: message.caption ?? '',
        contentType: message.mediaType,
        hints: message.mediaId === undefined ? {} : { mediaId: message.mediaId },
      }
    case 'location':
      return {
        content: [message.name, message.address, `${message.latitude},${message.longitude}`]
          .filter((part) => part !== undefined && part !== '')
          .join(', '),
        contentType: 'location',
        hints: {},
      }
    case 'contacts':
      return {
        content: message.contacts.map((card) => card.formattedName ?? card.phones[0]?.phone ?? '').join(', '),
        contentType: 'contacts',
        hints: {},
      }
    case 'interactive_reply':
      return {
        content: message.title,
        contentType: 'interactive',
        hints: { replyId: message.id, replyType: message.replyType },
      }
    case 'reaction':
      return {
        content: message.emoji ?? '',
        contentType: 'reaction',
        hints: { targetMessageId: message.targetMessageId },
      }
    case 'order':
      return { content: message.text ?? '', contentType: 'order', hints: {} }
  }
}

/** Maps a received message or an interaction to the engine's content fields. */
export function engineContentOf(event: MessageReceivedEvent | InteractionEvent): EngineContent {
  if (event.kind === 'message.received') {
    return messageText(event.message)
  }
  const { interaction } = event
  const hints: Record<string, string> = { interactionType: interaction.type }
  if (interaction.actionId !== undefined) {
    hints.actionId = interaction.actionId
  }
  return {
    content: interaction.payload ?? interaction.text ?? interaction.title ?? interaction.command ?? '',
    contentType: 'interaction',
    hints,
  }
}
