import { bodyText, type RawWebhookRequest } from '@chatwire/core'
import { createWhatsAppError } from '../error-codes.js'
import { asArray, asId, asRecord, type JsonRecord } from './values.js'

export const WHATSAPP_OBJECT = 'whatsapp_business_account'

/**
 * Reads the top level of a verified body: a JSON object with `object` set to
 * `whatsapp_business_account` and an `entry` array. Throws a 400-family error otherwise.
 * Meta never signs such a body, so these errors only reach a misconfigured sender, and
 * everything below the top level is tolerated and turned into events instead.
 */
export function readEnvelope(request: RawWebhookRequest): readonly unknown[] {
  const text = bodyText(request)
  let parsed: unknown
  try {
    if (text === undefined) {
      throw new TypeError('the body is not valid UTF-8')
    }
    parsed = JSON.parse(text)
  } catch (error) {
    throw createWhatsAppError(
      'CHATWIRE_ERR_WHATSAPP_BODY_NOT_JSON',
      `the webhook body is not valid JSON (${error instanceof Error ? error.message : String(error)}); send the notification body exactly as Meta delivered it`,
      { cause: error, details: { bytes: request.body.byteLength } },
    )
  }

  const envelope = asRecord(parsed)
  if (envelope === undefined || envelope.object !== WHATSAPP_OBJECT) {
    const found = envelope === undefined ? describeJsonType(parsed) : JSON.stringify(envelope.object ?? null)
    throw createWhatsAppError(
      'CHATWIRE_ERR_WHATSAPP_WRONG_OBJECT',
      `the webhook body has object ${found}, expected "${WHATSAPP_OBJECT}"; point only WhatsApp Business Account webhooks at this endpoint`,
      { details: { object: envelope === undefined ? describeJsonType(parsed) : String(envelope.object) } },
    )
  }

  if (!Array.isArray(envelope.entry)) {
    throw createWhatsAppError(
      'CHATWIRE_ERR_WHATSAPP_ENTRY_MISSING',
      'the webhook body has no "entry" array; a WhatsApp notification lists its changes under entry[].changes[]',
    )
  }
  return envelope.entry
}

function describeJsonType(value: unknown): string {
  if (value === null) {
    return 'null (not an object)'
  }
  return Array.isArray(value) ? 'array (not an object)' : `${typeof value} (not an object)`
}

/** One `entry[].changes[]` item with the entry it came from. */
export interface ChangeItem {
  /** The WhatsApp Business Account id, `entry[].id`. */
  entryId: string | undefined
  /** The change object, or undefined when the item is not an object. */
  change: JsonRecord | undefined
  /** The item as received, for the event's `raw` field. */
  raw: unknown
}

/** Lists every change of every entry in order; an entry that is not an object yields one item. */
export function changeItems(entries: readonly unknown[]): ChangeItem[] {
  const items: ChangeItem[] = []
  for (const entryValue of entries) {
    const entry = asRecord(entryValue)
    const entryId = asId(entry?.id)
    if (entry === undefined || !Array.isArray(entry.changes)) {
      items.push({ entryId, change: undefined, raw: entryValue })
      continue
    }
    for (const change of entry.changes) {
      items.push({ entryId, change: asRecord(change), raw: change })
    }
  }
  return items
}

/**
 * Returns the first `entry[].changes[].value.metadata.phone_number_id` of a body, without
 * trusting it and without throwing, so a host can look up that channel's secrets before the
 * signature is checked.
 */
export function peekPhoneNumberId(request: RawWebhookRequest): string | undefined {
  const text = bodyText(request)
  if (text === undefined) {
    return undefined
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  for (const entry of asArray(asRecord(parsed)?.entry)) {
    for (const change of asArray(asRecord(entry)?.changes)) {
      const metadata = asRecord(asRecord(asRecord(change)?.value)?.metadata)
      const phoneNumberId = asId(metadata?.phone_number_id)
      if (phoneNumberId !== undefined) {
        return phoneNumberId
      }
    }
  }
  return undefined
}
