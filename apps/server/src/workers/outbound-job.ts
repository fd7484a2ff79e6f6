import type { OutboundContent } from '@chatwire/core'

/** Payload of an `outbound` queue job: one reply to send through a plugin's ChannelSender. */
export interface OutboundJob {
  platform: string
  channelAccountId: string
  recipientId: string
  conversationId?: string
  replyToMessageId?: string
  content: OutboundContent
  tenantId: string
  /** Id of the inbound event that this reply responds to. */
  eventId: string
}

export function isOutboundJob(value: unknown): value is OutboundJob {
  const job = value as Partial<OutboundJob> | null
  return (
    typeof job === 'object' &&
    job !== null &&
    typeof job.platform === 'string' &&
    typeof job.channelAccountId === 'string' &&
    typeof job.recipientId === 'string' &&
    typeof job.content === 'object' &&
    job.content !== null
  )
}
