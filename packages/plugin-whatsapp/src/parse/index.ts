import type { NormalizedEvent, RawWebhookRequest } from '@chatwire/core'
import { type ChangeItem, changeItems, readEnvelope } from './envelope.js'
import type { ChangeContext } from './context.js'
import { valueErrorEvents } from './errors.js'
import { messageEvents } from './messages.js'
import { statusEvents } from './statuses.js'
import { unsupportedEvent } from './unsupported.js'
import { asArray, asId, asRecord, asString } from './values.js'

/** Channel account id of items that name neither a phone number id nor a WABA id. */
export const UNKNOWN_ACCOUNT = 'unknown'

/**
 * Turns a verified WhatsApp notification into events: every change of every entry, in order,
 * and inside a change its messages, then statuses, then value-level errors. Only an unreadable
 * top level throws; anything unknown below it becomes an `unsupported` event.
 */
export function parseWebhook(request: RawWebhookRequest): NormalizedEvent[] {
  const entries = readEnvelope(request)
  const receivedAt = new Date(request.receivedAt).toISOString()

  return changeItems(entries).flatMap((item) => changeEvents(item, receivedAt))
}

function changeEvents(item: ChangeItem, receivedAt: string): NormalizedEvent[] {
  const change = item.change
  const value = asRecord(change?.value)
  const field = asString(change?.field)
  const phoneNumberId = asId(asRecord(value?.metadata)?.phone_number_id)
  const context: ChangeContext = {
    channelAccountId: phoneNumberId ?? item.entryId ?? UNKNOWN_ACCOUNT,
    receivedAt,
    userNames: userNamesOf(value?.contacts),
  }

  if (change === undefined) {
    const reason = 'entry item without a changes array, or a change that is not an object'
    return [unsupportedEvent(context, { itemType: 'entry', reason, raw: item.raw })]
  }
  if (field !== 'messages') {
    const reason = `webhook field "${field ?? 'missing'}" is not handled by the WhatsApp plugin; subscribe the app to "messages" only, or handle it from the raw item`
    return [unsupportedEvent(context, { itemType: field ?? 'changes', reason, raw: item.raw })]
  }
  if (value === undefined || phoneNumberId === undefined) {
    const reason = 'messages change without a value.metadata.phone_number_id'
    return [unsupportedEvent(context, { itemType: 'messages', reason, raw: item.raw })]
  }

  const messages = asArray(value.messages)
  const statuses = asArray(value.statuses)
  const errors = asArray(value.errors)
  if (messages.length + statuses.length + errors.length === 0) {
    const reason = 'messages change without messages, statuses or errors'
    return [unsupportedEvent(context, { itemType: 'messages', reason, raw: item.raw })]
  }

  return [
    ...messageEvents(messages, context),
    ...statusEvents(statuses, context),
    ...valueErrorEvents(errors, context),
  ]
}

/** Maps `value.contacts[]` (the senders' profiles) from `wa_id` to profile name. */
function userNamesOf(contacts: unknown): Map<string, string> {
  const names = new Map<string, string>()
  for (const item of asArray(contacts)) {
    const contact = asRecord(item)
    const waId = asId(contact?.wa_id)
    const name = asString(asRecord(contact?.profile)?.name)
    if (waId !== undefined && name !== undefined) {
      names.set(waId, name)
    }
  }
  return names
}
