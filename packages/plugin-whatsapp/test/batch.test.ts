import { handleWebhook, type NormalizedEvent } from '@chatwire/core'
import { describe, expect, it } from 'vitest'
import { messagesChange, notification, TIMESTAMP, USER_WA_ID, webhookRequest } from './fixtures.js'
import { createProcessor, eventsOf } from './helpers.js'

const SECOND_PHONE_NUMBER_ID = '100000000000002'

function text(id: string, body: string) {
  return { from: USER_WA_ID, id, timestamp: TIMESTAMP, type: 'text', text: { body } }
}

function status(id: string, state: string) {
  return { id, status: state, timestamp: TIMESTAMP, recipient_id: USER_WA_ID }
}

/** Two entries (WABAs), four changes, two phone numbers: the shape of a batched delivery. */
const batch = notification(
  [
    messagesChange({ messages: [text('wamid.B1', 'first'), text('wamid.B2', 'second')] }),
    messagesChange({ statuses: [status('wamid.OUT1', 'delivered')] }, SECOND_PHONE_NUMBER_ID),
  ],
  [
    messagesChange({
      messages: [text('wamid.B3', 'third')],
      statuses: [status('wamid.OUT2', 'read')],
      errors: [{ code: 130429, title: 'Rate limit hit' }],
    }),
    { field: 'message_template_status_update', value: { event: 'APPROVED', message_template_id: 7 } },
  ],
)

function summary(event: NormalizedEvent): string {
  return `${event.kind} ${event.channelAccountId} ${event.platformMessageId ?? (event.kind === 'unsupported' ? event.itemType : '')}`
}

describe('batched notifications', () => {
  it('should yield every event of every entry and change in order', async () => {
    const events = await eventsOf(batch)

    expect(events.map(summary)).toEqual([
      'message.received 100000000000001 wamid.B1',
      'message.received 100000000000001 wamid.B2',
      `message.status ${SECOND_PHONE_NUMBER_ID} wamid.OUT1`,
      'message.received 100000000000001 wamid.B3',
      'message.status 100000000000001 wamid.OUT2',
      'unsupported 100000000000001 errors',
      'unsupported 9000000000000011 message_template_status_update',
    ])
  })

  it('should pass every event to onEvents before acknowledging', async () => {
    const stored: NormalizedEvent[][] = []

    const result = await handleWebhook(createProcessor(), webhookRequest(batch), {
      onEvents: (events) => {
        stored.push([...events])
      },
    })

    expect(result.response.status).toBe(200)
    expect(stored).toHaveLength(1)
    expect(stored[0]).toHaveLength(7)
  })

  it('should derive the same ids from a redelivery', async () => {
    const first = await eventsOf(batch)
    const redelivered = await eventsOf(JSON.stringify(batch))

    expect(redelivered.map((event) => event.id)).toEqual(first.map((event) => event.id))
    expect(new Set(first.map((event) => event.id)).size).toBe(first.length)
  })

  it('should acknowledge a notification with no entries', async () => {
    const events = await eventsOf({ object: 'whatsapp_business_account', entry: [] })

    expect(events).toEqual([])
  })

  it('should keep an entry without changes as an unsupported event', async () => {
    const events = await eventsOf({
      object: 'whatsapp_business_account',
      entry: [{ id: 'waba-x' }, 'not-an-object'],
    })

    expect(events.map((event) => [event.kind, event.channelAccountId])).toEqual([
      ['unsupported', 'waba-x'],
      ['unsupported', 'unknown'],
    ])
  })
})
