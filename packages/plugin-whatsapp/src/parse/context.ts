export const PLATFORM = 'whatsapp'

/** Fields shared by every item of one `changes[]` value. */
export interface ChangeContext {
  /** `metadata.phone_number_id`, or the WABA id for fields that carry no metadata. */
  channelAccountId: string
  /** Time Chatwire received the webhook, ISO 8601 in UTC. */
  receivedAt: string
  /** Profile names from `value.contacts[]`, keyed by `wa_id`: the senders, not shared contact cards. */
  userNames: ReadonlyMap<string, string>
}
