/** A message to send through a platform, independent of that platform's API. */
export interface OutboundMessage {
  platform: string
  /** The platform account to send from, for example a WhatsApp phone number id. */
  channelAccountId: string
  /** The user or conversation to send to. */
  recipientId: string
  conversationId?: string
  /** The platform message id this message replies to; platforms that support it quote that message. */
  replyToMessageId?: string
  content: OutboundContent
}

export type OutboundContent =
  | { type: 'text'; text: string; previewUrl?: boolean }
  | {
      type: 'media'
      mediaType: 'image' | 'audio' | 'video' | 'document' | 'sticker'
      /** A media id already uploaded to the platform; give this or `link`. */
      mediaId?: string
      link?: string
      caption?: string
      filename?: string
    }
  | {
      type: 'buttons'
      body: string
      buttons: { id: string; title: string }[]
      header?: string
      footer?: string
    }
  | {
      type: 'list'
      body: string
      buttonText: string
      sections: { title?: string; rows: { id: string; title: string; description?: string }[] }[]
      header?: string
      footer?: string
    }
  | { type: 'template'; name: string; languageCode: string; components?: unknown[] }
  | { type: 'reaction'; messageId: string; emoji: string }
  | { type: 'mark_read'; messageId: string }

export interface SendOptions {
  signal?: AbortSignal
  /** Time limit of the platform call, in milliseconds. */
  timeoutMs?: number
  /** Credentials that override the plugin's configured ones, such as a token from the Security Hub. */
  credentials?: { accessToken?: string }
}

/**
 * Outcome of a send. `retryable` means the caller should try again later, after `retryAfterMs`
 * when the platform sent a Retry-After. `permanent` means trying again cannot help.
 */
export type SendOutcome =
  | { status: 'sent'; platformMessageId: string }
  | { status: 'retryable'; retryAfterMs?: number; code?: string; message: string; httpStatus?: number }
  | { status: 'permanent'; code: string; message: string; httpStatus?: number }

/** Sends normalized outbound messages through one platform's API. */
export interface ChannelSender {
  /** Resolves with an outcome for every platform response, and rejects only on a bug or a bad argument. */
  send(message: OutboundMessage, options?: SendOptions): Promise<SendOutcome>
}
