import {
  assertValidEvent,
  handleWebhook,
  type MessageReceivedEvent,
  type MessageStatusEvent,
  type NormalizedEvent,
  type UnsupportedEvent,
} from '@chatwire/core'
import { expect } from 'vitest'
import { WhatsAppWebhookProcessor } from '../src/index.js'
import { APP_SECRET, type Json, VERIFY_TOKEN, webhookRequest } from './fixtures.js'

export function createProcessor(): WhatsAppWebhookProcessor {
  return new WhatsAppWebhookProcessor({ appSecrets: [APP_SECRET], verifyToken: VERIFY_TOKEN })
}

/**
 * Runs a signed notification through core's handleWebhook, checks that it was acknowledged
 * with 200 and an empty body, and that every event matches the normalized event schema.
 */
export async function eventsOf(body: Json | string): Promise<NormalizedEvent[]> {
  const result = await handleWebhook(createProcessor(), webhookRequest(body))
  expect(result.error).toBeUndefined()
  expect(result.response.status).toBe(200)
  expect(result.response.body).toBe('')
  for (const event of result.events) {
    assertValidEvent(event)
  }
  return result.events
}

/** Returns the only event of a notification, failing when there is not exactly one. */
export async function onlyEventOf(body: Json | string): Promise<NormalizedEvent> {
  const events = await eventsOf(body)
  expect(events).toHaveLength(1)
  return events[0]!
}

/** Asserts that an event is a received message and returns it with that type. */
export function receivedMessage(event: NormalizedEvent | undefined): MessageReceivedEvent {
  expect(event?.kind).toBe('message.received')
  return event as MessageReceivedEvent
}

/** Asserts that an event is a delivery status and returns it with that type. */
export function deliveryStatus(event: NormalizedEvent | undefined): MessageStatusEvent {
  expect(event?.kind).toBe('message.status')
  return event as MessageStatusEvent
}

/** Asserts that an event is an unsupported item and returns it with that type. */
export function unsupportedItem(event: NormalizedEvent | undefined): UnsupportedEvent {
  expect(event?.kind).toBe('unsupported')
  return event as UnsupportedEvent
}
