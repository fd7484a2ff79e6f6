import { bodyText, type RawWebhookRequest } from '@chatwire/core'
import { createWhatsAppError } from '../error-codes.js'
import { asArray, asId, asRecord, type JsonRecord } from './values.js'

export const WHATSAPP_OBJECT = 'whatsapp_business_account'

type ParsedBody = { ok: true; value: unknown } | { ok: false; error: unknown }

// A host that resolves secrets per channel reads the phone number id before verifying, and then
// parses the same bytes again. Keyed by the body bytes, the parse runs once per request and the
// entry goes away with the request.
const parsedBodies = new WeakMap<Uint8Array, ParsedBody>()

/** Parses the body as JSON once per request; the result must not be mutated. */
function parseBody(request: RawWebhookRequest): ParsedBody {
  const cached = parsedBodies.get(request.body)
  if (cached !== undefined) {
    return cached
  }
  let result: ParsedBody
  try {
    const text = bodyText(request)
    if (text === undefined) {
      throw new TypeError('the body is not valid UTF-8')
    }
    result = { ok: true, value: JSON.parse(text) }
  } catch (error) {
    result = { ok: false, error }
  }
  parsedBodies.set(request.body, result)
  return result
}

/**
 * Reads the top level of a verified body: a JSON object with `object` set to
 * `whatsapp_business_account` and an `entry` array. Throws a 400-family error otherwise.
 * Meta never signs such a body, so these errors only reach a misconfigured sender, and
 * everything below the top level is tolerated and turned into events instead.
 */
export function readEnvelope(request: RawWebhookRequest): readonly unknown[] {
  const body = parseBody(request)
  if (!body.ok) {
    const { error } = body
    throw createWhatsAppError(
      'CHATWIRE_ERR_WHATSAPP_BODY_NOT_JSON',
      `the webhook body is not valid JSON (${error instanceof Error ? error.message : String(error)}); send the notification body exactly as Meta delivered it`,
      { cause: error, details: { bytes: request.body.byteLength } },
    )
  }
  const parsed = body.value

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
  const body = parseBody(request)
  if (!body.ok) {
    return undefined
  }
  for (const entry of asArray(asRecord(body.value)?.entry)) {
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
