import { assertValidEvent, handleWebhook, type NormalizedEvent } from '@chatwire/core'
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
