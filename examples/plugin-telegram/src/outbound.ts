import type { OutboundMessage } from '@chatwire/core'

/** A Bot API call: the method name and its JSON parameters. */
export interface TelegramCall {
  method: 'sendMessage'
  parameters: Record<string, unknown>
}

/**
 * Builds the sendMessage call for a normalized message, or returns undefined for content that
 * this plugin does not send (media, lists, templates, reactions and read receipts).
 */
export function buildSendMessage(message: OutboundMessage): TelegramCall | undefined {
  // In groups the chat, not the user, is the target; events carry the chat id as conversationId.
  const chatId =
    message.conversationId === undefined || message.conversationId === ''
      ? message.recipientId
      : message.conversationId
  const parameters: Record<string, unknown> = { chat_id: chatId }
  const { content } = message

  if (content.type === 'text') {
    parameters.text = content.text
    if (content.previewUrl === false) {
      parameters.link_preview_options = { is_disabled: true }
    }
  } else if (content.type === 'buttons') {
    parameters.text = content.body
    // One button per row; callback_data comes back as the callback query's `data`.
    parameters.reply_markup = {
      inline_keyboard: content.buttons.map((button) => [{ text: button.title, callback_data: button.id }]),
    }
  } else {
    return undefined
  }

  const replyTo = Number(message.replyToMessageId)
  if (message.replyToMessageId !== undefined && Number.isSafeInteger(replyTo)) {
    parameters.reply_parameters = { message_id: replyTo, allow_sending_without_reply: true }
  }
  return { method: 'sendMessage', parameters }
}
